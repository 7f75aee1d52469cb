/**
 * The error model: {@link dev.imagegov.error.GovernanceException} and its subclasses, each with a
 * stable {@link dev.imagegov.error.ErrorCode} and Glance's HTTP status, for refusals of a request;
 * {@link dev.imagegov.error.ConfigurationException}, without code or status, for a configuration
 * that cannot be used.
 */
@NullMarked
package dev.imagegov.error;

import org.jspecify.annotations.NullMarked;
