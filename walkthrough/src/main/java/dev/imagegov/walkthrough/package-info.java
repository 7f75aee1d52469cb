/**
 * The runnable golden-image walkthrough ({@link dev.imagegov.walkthrough.GoldenImageWalkthrough},
 * with its lifecycle chapter {@link dev.imagegov.walkthrough.LifecycleWalkthrough})
 * and the README's quick start ({@link dev.imagegov.walkthrough.QuickStart}).
 */
@NullMarked
package dev.imagegov.walkthrough;

import org.jspecify.annotations.NullMarked;
