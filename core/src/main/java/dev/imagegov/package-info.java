/**
 * imagegov's facade: {@link dev.imagegov.ImageGovernance}, with its use-case groups {@link
 * dev.imagegov.Images}, {@link dev.imagegov.Sharing} and {@link dev.imagegov.Access}, the
 * configuration {@link dev.imagegov.GovernanceConfig} and the request and result values.
 *
 * <p>Start with {@link dev.imagegov.ImageGovernance#builder()}.
 */
// The Immutables style of core: Immutables applies a package's style to its sub-packages too, so
// every generated type of core carries no classpath annotation. In particular not
// org.immutables.value.Generated: Immutables is a provided dependency, so an application's class
// path lacks that class and javac would warn about it in every application's build
// (allowedClasspathAnnotations names only Override, which is never placed on a type).
@NullMarked
@Value.Style(allowedClasspathAnnotations = Override.class)
package dev.imagegov;

import org.immutables.value.Value;
import org.jspecify.annotations.NullMarked;
