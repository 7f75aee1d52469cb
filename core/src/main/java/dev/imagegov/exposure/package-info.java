/**
 * Exposure governance: the guardrail on public and community exposure ({@link
 * dev.imagegov.exposure.ExposureGuardrail}) and the report of existing images the current
 * guardrail would not allow ({@link dev.imagegov.exposure.ExposureReport}).
 *
 * <p>The guardrail is a check step of every pipeline that can make an image public or community
 * (create with a visibility, a visibility change, a patch of {@code visibility}), so {@code
 * explain} names it when it decides. It never changes existing images. It is part of the
 * configuration: an operator lifts it by building the governance again from a configuration with
 * another setting (there is no runtime switch, so no caller can lift it).
 */
@org.jspecify.annotations.NullMarked
package dev.imagegov.exposure;
