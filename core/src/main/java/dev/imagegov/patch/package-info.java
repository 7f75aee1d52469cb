/**
 * Updates to an image: typed operations ({@link dev.imagegov.patch.PatchOperation}) gathered in an
 * {@link dev.imagegov.patch.ImagePatch}, built in Java or parsed by {@link
 * dev.imagegov.patch.JsonPatchParser} from Glance's JSON-patch media types, and applied
 * all-or-nothing by {@link dev.imagegov.patch.PatchApplier} with Glance's rules. {@link
 * dev.imagegov.patch.ImagePatch#diff} computes the document that turns one image into another.
 */
@NullMarked
package dev.imagegov.patch;

import org.jspecify.annotations.NullMarked;
