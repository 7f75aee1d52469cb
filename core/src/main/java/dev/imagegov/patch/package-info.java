/**
 * Updates to an image: typed operations ({@link dev.imagegov.patch.PatchOperation}) gathered in an
 * {@link dev.imagegov.patch.ImagePatch}, built in Java or parsed by {@link
 * dev.imagegov.patch.JsonPatchParser} from Glance's JSON-patch media types, and applied
 * all-or-nothing by {@link dev.imagegov.patch.PatchApplier} with Glance's semantics. {@link
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
 *       operation's verb, path and JSON pointer, the schema of each value, and the bounds of
 *       {@link dev.imagegov.patch.PatchLimits} (413, 400). Which paths are read-only or reserved
 *       (403) it asks of the attribute table, {@code dev.imagegov.image.internal.Attributes}.
 *   <li>The operations ({@code PatchApplier}, pure: no policy, no persistence): {@code
 *       add}/{@code replace}/{@code remove} semantics, tag sets, property protections as the
 *       caller's {@code PropertyAccess} says, then the property quota and the schema of every
 *       changed attribute. Every value rule (lengths, 4-byte characters, {@code min_*}, formats
 *       and the statuses that allow changing them) is the attribute table's. The policy of each
 *       operation and the commit are the update use case's, in {@code dev.imagegov.image}.
 * </ul>
 */
@NullMarked
package dev.imagegov.patch;

import org.jspecify.annotations.NullMarked;
