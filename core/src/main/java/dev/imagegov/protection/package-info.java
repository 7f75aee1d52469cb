/**
 * Property protections: {@link dev.imagegov.protection.PropertyProtections} decides which callers
 * may create, read, update and delete which custom properties.
 */
@NullMarked
package dev.imagegov.protection;

import org.jspecify.annotations.NullMarked;
