/**
 * The runnable golden-image walkthrough ({@link dev.imagegov.walkthrough.GoldenImageWalkthrough})
 * and the README's quick start ({@link dev.imagegov.walkthrough.QuickStart}).
 */
@NullMarked
package dev.imagegov.walkthrough;

import org.jspecify.annotations.NullMarked;
