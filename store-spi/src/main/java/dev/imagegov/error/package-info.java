/**
 * The error model: {@link dev.imagegov.error.GovernanceException} and its subclasses, each with a
 * stable {@link dev.imagegov.error.ErrorCode} and Glance's HTTP status.
 */
@NullMarked
package dev.imagegov.error;

import org.jspecify.annotations.NullMarked;
