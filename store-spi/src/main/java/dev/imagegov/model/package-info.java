/**
 * The persisted model shared by core and every store: {@link dev.imagegov.model.Image} with its
 * {@link dev.imagegov.model.Member members}, typed ids, and the state enums {@link
 * dev.imagegov.model.ImageStatus}, {@link dev.imagegov.model.MemberStatus} and {@link
 * dev.imagegov.model.Visibility} with their transition tables.
 *
 * <p>Values are immutable and hold no rule: every governance decision lives in core.
 */
@ValueStyle
@NullMarked
package dev.imagegov.model;

import org.jspecify.annotations.NullMarked;
