/**
 * Updates to an image: typed operations ({@link dev.imagegov.patch.PatchOperation}) gathered in an
 * {@link dev.imagegov.patch.ImagePatch}, built in Java or parsed by {@link
 * dev.imagegov.patch.JsonPatchParser} from Glance's JSON-patch media types, and applied
 * all-or-nothing by {@link dev.imagegov.patch.PatchApplier} with Glance's rules. {@link
 * dev.imagegov.patch.ImagePatch#diff} computes the document that turns one image into another.
 *
 * <p>Start with {@link dev.imagegov.patch.ImagePatch#builder()}; applications apply a patch with
 * {@code ImageGovernance.images().update} (or {@code patch} for a document), which runs the
 * applier under one compare-and-set.
 *
 * <h2>Rules owned here</h2>
 *
 * <ul>
 *   <li>The document ({@code JsonPatchParser}): the two media types (415), the body, each
 *       operation's verb, path and JSON pointer, the screening of read-only and reserved paths
 *       (403), and the bounds of {@link dev.imagegov.patch.PatchLimits} (413, 400).
 *   <li>The operations ({@code PatchApplier}): the policy of each operation, owner changes by
 *       admins only, formats only while queued or importing, {@code add}/{@code replace}/{@code
 *       remove} semantics, property protections, then the property quota, the schema of every
 *       changed attribute and the hard mutate check. What the applier needs of the governance is
 *       {@link dev.imagegov.patch.UpdateGuard}.
 * </ul>
 */
@NullMarked
package dev.imagegov.patch;

import org.jspecify.annotations.NullMarked;
