/**
 * Property protections: {@link dev.imagegov.protection.PropertyProtections} decides which callers
 * may create, read, update and delete which custom properties.
 *
 * <p>Start with {@link dev.imagegov.protection.PropertyProtections#load}, or configure a file
 * through {@code glance-api.conf}'s {@code property_protection_file}.
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
 *
 * <h2>Rules owned here</h2>
 *
 * <ul>
 *   <li>Glance's protections file: section names are Python regular expressions ({@code
 *       PythonRegex}) searched for in the property name, in file order; the first match decides
 *       and a property no section matches is denied to everyone; {@code !}, {@code @}, and roles
 *       or policy rules ({@code property_protection_rule_format}); base attributes are never
 *       protected.
 * </ul>
 */
@NullMarked
package dev.imagegov.protection;

import org.jspecify.annotations.NullMarked;
