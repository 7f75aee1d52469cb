package dev.imagegov.model;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.immutables.value.Value;

/**
 * The one Immutables style of the model: generated {@code Immutable*} types are public, builders
 * are strict (each attribute set once), and Guava's immutable collections back collection
 * attributes. Generated types carry no classpath annotation ({@code allowedClasspathAnnotations}
 * names only {@link Override}, which the generator never places on a type): in particular not
 * {@code org.immutables.value.Generated}, whose class is absent from an application's class path
 * (Immutables is a {@code provided} dependency) and would make javac warn for every application
 * that compiles against the model.
 */
@Target({ElementType.PACKAGE, ElementType.TYPE})
@Retention(RetentionPolicy.CLASS)
@Value.Style(
    visibility = Value.Style.ImplementationVisibility.PUBLIC,
    strictBuilder = false,
    get = {"is*", "get*"},
    defaults = @Value.Immutable(copy = true),
    allowedClasspathAnnotations = Override.class)
@interface ModelStyle {}
