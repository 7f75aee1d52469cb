/**
 * imagegov's facade: {@link dev.imagegov.ImageGovernance}, with its use-case groups {@link
 * dev.imagegov.Images}, {@link dev.imagegov.Sharing} and {@link dev.imagegov.Access}, the
 * configuration {@link dev.imagegov.GovernanceConfig} and the request and result values.
 *
 * <p>Start with {@link dev.imagegov.ImageGovernance#builder()}.
 */
@NullMarked
package dev.imagegov;

import org.jspecify.annotations.NullMarked;
