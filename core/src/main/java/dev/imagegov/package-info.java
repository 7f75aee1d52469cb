/**
 * imagegov's public face: the entry point {@link dev.imagegov.ImageGovernance}, built once by its
 * {@link dev.imagegov.ImageGovernance.Builder} from a catalog, blob stores, a {@link
 * dev.imagegov.GovernanceConfig}, a clock, an id generator and listeners; and the request and
 * result values that belong to no single concern ({@link dev.imagegov.NewImage}, {@link
 * dev.imagegov.ImageList}).
 *
 * <p>Start with {@link dev.imagegov.ImageGovernance#builder()}, then use the group of the concern
 * at hand; each group lives in the package that owns its rules:
 *
 * <ul>
 *   <li>{@link dev.imagegov.ImageGovernance#images()}: {@link dev.imagegov.image.Images} (create,
 *       get, list, delete, deactivate, reactivate, visibility, tags, patch);
 *   <li>{@link dev.imagegov.ImageGovernance#sharing()}: {@link dev.imagegov.sharing.Sharing}
 *       (members);
 *   <li>{@link dev.imagegov.ImageGovernance#data()}: {@link dev.imagegov.data.Data} (upload,
 *       download, copy to stores, delete from a store, scrub);
 *   <li>{@link dev.imagegov.ImageGovernance#imports()}: {@link dev.imagegov.data.Imports}
 *       (discovery, stage, import, tasks);
 *   <li>{@link dev.imagegov.ImageGovernance#quotas()}: {@link dev.imagegov.quota.Quotas} (usage
 *       reports);
 *   <li>{@link dev.imagegov.ImageGovernance#access()}: {@link dev.imagegov.access.Access}
 *       (download authorization and {@code explain});
 *   <li>{@link dev.imagegov.ImageGovernance#lifecycle()}: {@link
 *       dev.imagegov.lifecycle.Lifecycle} (families, deprecation, latest, retention plans).
 * </ul>
 *
 * <p>An HTTP front end writes and reads Glance's JSON (images, members, list pages, error
 * bodies, the create body, ids from paths) with {@link dev.imagegov.wire.GlanceWire} and its
 * package {@code dev.imagegov.wire}.
 *
 * <h2>Rules owned here</h2>
 *
 * <ul>
 *   <li>The configuration's options, Glance's defaults and their consistency ({@link
 *       dev.imagegov.GovernanceConfig}); reading them from {@code glance-api.conf} is {@link
 *       dev.imagegov.GovernanceConfig#fromGlanceConfig(java.nio.file.Path)}.
 *   <li>The wiring of stores: enabled store ids are unique and not {@code os_glance_*}, the
 *       default store is enabled, the staging store is never a final store ({@link
 *       dev.imagegov.ImageGovernance.Builder}).
 * </ul>
 */
// ValueStyle (store-spi) is the one Immutables style; Immutables applies a package's style
// to its sub-packages too, so it covers every value type of core.
@NullMarked
@ValueStyle
package dev.imagegov;

import dev.imagegov.model.ValueStyle;
import org.jspecify.annotations.NullMarked;
