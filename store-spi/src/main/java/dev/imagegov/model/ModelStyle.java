package dev.imagegov.model;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.immutables.value.Value;

/**
 * The one Immutables style of the model: generated {@code Immutable*} types are public, builders
 * are strict (each attribute set once), and Guava's immutable collections back collection
 * attributes.
 */
@Target({ElementType.PACKAGE, ElementType.TYPE})
@Retention(RetentionPolicy.CLASS)
@Value.Style(
    visibility = Value.Style.ImplementationVisibility.PUBLIC,
    strictBuilder = false,
    get = {"is*", "get*"},
    defaults = @Value.Immutable(copy = true))
@interface ModelStyle {}
