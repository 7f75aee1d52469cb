/**
 * The error codes of core's rules.
 *
 * <ul>
 *   <li>{@link dev.imagegov.errors.RuleCode}: every code a use case of core answers with, beside
 *       the store codes of {@link dev.imagegov.error.StoreErrorCode}.
 * </ul>
 */
package dev.imagegov.errors;
