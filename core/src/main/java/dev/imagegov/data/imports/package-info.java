/**
 * Values of the interoperable import workflow ({@link dev.imagegov.data.Imports}): the {@link
 * dev.imagegov.data.imports.ImportMethod}s, an {@link dev.imagegov.data.imports.ImportRequest}
 * (Glance's {@code POST /v2/images/{id}/import} body), the tracked {@link
 * dev.imagegov.data.imports.ImportTask} with its {@link dev.imagegov.data.imports.TaskStatus}, and
 * the {@link dev.imagegov.data.imports.StoreInfo} of store discovery.
 *
 * <p>Start with {@link dev.imagegov.data.imports.ImportRequest}; the import's rules live with its
 * use case in {@code dev.imagegov.data}.
 */
@NullMarked
package dev.imagegov.data.imports;

import org.jspecify.annotations.NullMarked;
