package dev.imagegov.data.imports;

import com.google.common.collect.ImmutableList;
import dev.imagegov.model.StoreId;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The body of an import request (Glance's {@code POST /v2/images/{id}/import}): the method by
 * wire name, the URI of a {@code web-download}, the target stores ({@code stores}, or {@code
 * all_stores}, or neither for the default store) and {@code all_stores_must_succeed} (true by
 * default). Immutable; the {@code with…} methods return changed copies.
 *
 * <pre>{@code
 * ImportRequest.webDownload(URI.create("https://images.example/cirros.qcow2"))
 *     .withStores(List.of(StoreId.of("fast"), StoreId.of("cheap")))
 *     .withAllStoresMustSucceed(false);
 * }</pre>
 *
 * @param method the method's wire name (validated by the import, which answers 400 for an unknown
 *     or disabled one)
 * @param uri the URI to fetch from; only for {@code web-download}
 * @param stores the target stores, in order; empty for the default store (or all stores)
 * @param allStores whether every enabled store is a target
 * @param allStoresMustSucceed whether one failing store fails the whole import
 */
public record ImportRequest(
    String method,
    Optional<URI> uri,
    ImmutableList<StoreId> stores,
    boolean allStores,
    boolean allStoresMustSucceed) {

  /**
   * Checks for nulls.
   *
   * @param allStores whether to import into every enabled store
   * @param allStoresMustSucceed whether the import fails if one store fails
   * @param method the import method's wire name
   * @param stores the stores to import into; empty for the default
   * @param uri the URI of {@code web-download}, if any
   */
  public ImportRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(stores, "stores");
  }

  /**
   * {@return a request for {@code method} to the default store, all stores required to succeed}
   *
   * @param method the import method's wire name
   */
  public static ImportRequest of(String method) {
    return new ImportRequest(method, Optional.empty(), ImmutableList.of(), false, true);
  }

  /** {@return a {@code glance-direct} import of the staged data} */
  public static ImportRequest glanceDirect() {
    return of(ImportMethod.GLANCE_DIRECT.wireName());
  }

  /**
   * {@return a {@code web-download} import from {@code uri}}
   *
   * @param uri the URI to check
   */
  public static ImportRequest webDownload(URI uri) {
    return of(ImportMethod.WEB_DOWNLOAD.wireName())
        .withUri(Objects.requireNonNull(uri, "uri"));
  }

  /**
   * {@return a {@code copy-image} import; name stores with {@link #withStores} or {@link
   * #toAllStores}}
   */
  public static ImportRequest copyImage() {
    return of(ImportMethod.COPY_IMAGE.wireName());
  }

  /**
   * This request with {@code uri} ({@code method.uri}).
   *
   * @param uri the URI to check
   * @return a copy of this request with that URI
   */
  public ImportRequest withUri(URI uri) {
    return new ImportRequest(method, Optional.of(uri), stores, allStores, allStoresMustSucceed);
  }

  /**
   * This request targeting {@code targets} ({@code stores}).
   *
   * @param targets the stores to import into
   * @return a copy of this request with those stores
   */
  public ImportRequest withStores(List<StoreId> targets) {
    return new ImportRequest(
        method, uri, ImmutableList.copyOf(targets), allStores, allStoresMustSucceed);
  }

  /**
   * This request targeting every enabled store ({@code all_stores: true}).
   *
   * @return a copy of this request targeting every enabled store
   */
  public ImportRequest toAllStores() {
    return new ImportRequest(method, uri, stores, true, allStoresMustSucceed);
  }

  /**
   * This request with {@code all_stores_must_succeed} set to {@code value}.
   *
   * @param value whether the import fails if one store fails
   * @return a copy of this request with that setting
   */
  public ImportRequest withAllStoresMustSucceed(boolean value) {
    return new ImportRequest(method, uri, stores, allStores, value);
  }
}
