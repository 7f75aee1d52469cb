package dev.imagegov.model;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.immutables.value.Value;

/**
 * The one Immutables style of every imagegov value type (model, SPI, core, stores); applications
 * have no use for it. A package or type annotated with it gets:
 *
 * <ul>
 *   <li>package-private generated {@code Immutable*} types, never named by a public signature:
 *       {@code build()} and {@code copyOf} answer the abstract type ({@code
 *       overshadowImplementation}), and a value with a builder declares a public nested {@code
 *       Builder} extending the generated one, reached through {@code builder()} and {@code
 *       toBuilder()} on the abstract type;
 *   <li>{@code is*}/{@code get*} accessors named without their prefix;
 *   <li>no classpath annotation on generated types ({@code allowedClasspathAnnotations} names
 *       only {@link Override}, which the generator never places on a type): in particular not
 *       {@code org.immutables.value.Generated}, whose class is absent from an application's class
 *       path (Immutables is a {@code provided} dependency) and would make javac warn for every
 *       application compiling against the jars;
 *   <li>no initialization shim for {@code @Value.Default} and {@code @Value.Derived} attributes
 *       ({@code unsafeDefaultAndDerived}): without it every construction of a value with such an
 *       attribute, a {@code with*} copy included, allocates a shim object and makes two volatile
 *       writes, which a by-id read that copies an image to form the caller's view pays each time.
 *       The shim only orders defaults that read other attributes; so <strong>a default or derived
 *       attribute of a type with this style must not read another attribute</strong> (every one
 *       today returns a constant).
 * </ul>
 *
 * <p>It is public only so that core and the stores share it; its retention is {@code CLASS}, so it
 * is read by the annotation processor of those modules and never at run time.
 */
@Target({ElementType.PACKAGE, ElementType.TYPE})
@Retention(RetentionPolicy.CLASS)
@Value.Style(
    visibility = Value.Style.ImplementationVisibility.PACKAGE,
    overshadowImplementation = true,
    get = {"is*", "get*"},
    defaults = @Value.Immutable(copy = true),
    allowedClasspathAnnotations = Override.class,
    unsafeDefaultAndDerived = true)
public @interface ValueStyle {}
