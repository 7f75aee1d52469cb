package dev.imagegov.model;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.immutables.value.Value;

/**
 * The style of {@link Image}: {@link ValueStyle}'s (keep the two in step: Immutables styles do
 * not merge), and every attribute a parameter, so the
 * generated implementation has the all-values constructor behind {@link Image#of}. Its retention
 * is {@code SOURCE}: only this module's annotation processing reads it, and no class file names
 * it (nor, through it, an Immutables type an application's compiler could not find).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.SOURCE)
@Value.Style(
    visibility = Value.Style.ImplementationVisibility.PACKAGE,
    overshadowImplementation = true,
    get = {"is*", "get*"},
    defaults = @Value.Immutable(copy = true),
    allowedClasspathAnnotations = Override.class,
    unsafeDefaultAndDerived = true,
    allParameters = true)
@interface ImageStyle {}
