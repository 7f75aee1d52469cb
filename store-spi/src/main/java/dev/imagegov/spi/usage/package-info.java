/**
 * The usage port: {@link dev.imagegov.spi.usage.UsageStore}, per-project committed usage and
 * in-flight reservations with one owner, its values and {@link
 * dev.imagegov.spi.usage.MemoryUsageStore}, the implementation for one JVM.
 */
@NullMarked
package dev.imagegov.spi.usage;

import org.jspecify.annotations.NullMarked;
