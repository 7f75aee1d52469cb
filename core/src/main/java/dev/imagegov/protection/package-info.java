/**
 * Property protections: {@link dev.imagegov.protection.PropertyProtections} decides which callers
 * may create, read, update and delete which custom properties.
 *
 * <h2>Contents</h2>
 *
 * <ul>
 *   <li>{@link dev.imagegov.protection.PropertyProtections}: loads Glance's property-protections
 *       file ({@code load}, {@code parse}) in a {@link dev.imagegov.protection.RuleFormat} and
 *       answers {@code allows}; {@code none()} turns the feature off.
 *   <li>{@link dev.imagegov.protection.PropertyOperation}: create, read, update, delete.
 *   <li>{@link dev.imagegov.protection.ProtectionDecision}: which section decided and why, for
 *       operators.
 * </ul>
 */
@NullMarked
package dev.imagegov.protection;

import org.jspecify.annotations.NullMarked;
