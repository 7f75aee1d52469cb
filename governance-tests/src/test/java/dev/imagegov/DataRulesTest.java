package dev.imagegov;

import static dev.imagegov.DataFixtures.CHEAP;
import static dev.imagegov.DataFixtures.FAST;
import static dev.imagegov.Fixtures.ADMIN;
import static dev.imagegov.Fixtures.CONSUMER_A;
import static dev.imagegov.Fixtures.OUTSIDER;
import static dev.imagegov.Fixtures.PRODUCER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagegov.data.ByteRange;
import dev.imagegov.data.DataCorruptionException;
import dev.imagegov.data.ImageDownload;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.events.DataDeleted;
import dev.imagegov.events.DataUploaded;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.Location;
import dev.imagegov.model.StoreId;
import dev.imagegov.model.Visibility;
import dev.imagegov.spi.blob.BlobKey;
import dev.imagegov.spi.blob.HashSpec;
import dev.imagegov.testkit.gen.ByteStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Upload, download, multi-store, copy, delete and scrub: §10, §11.5, §12 of the reference. */
class DataRulesTest {
  private final DataFixtures f = new DataFixtures();

  private static String text(ImageDownload d) throws IOException {
    try (d) {
      return new String(d.stream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  // §10.1 upload

  @Test
  void uploadMakesTheImageActiveWithSizeHashesAndLocation() throws Exception {
    Image image = f.active(PRODUCER, "abcdefghij");
    assertThat(image.status()).isEqualTo(ImageStatus.ACTIVE);
    assertThat(image.size()).hasValue(10);
    assertThat(image.checksum())
        .contains(ByteStream.digest("MD5", new ByteArrayInputStream("abcdefghij".getBytes())));
    assertThat(image.osHashAlgo()).contains("sha512");
    assertThat(image.osHashValue())
        .contains(ByteStream.digest("SHA-512", new ByteArrayInputStream("abcdefghij".getBytes())));
    assertThat(f.stored(image.id()).locations()).extracting(Location::store).containsExactly(FAST);
    assertThat(f.fast.exists(BlobKey.of(image.id()))).isTrue();
    assertThat(f.events).filteredOn(DataUploaded.class::isInstance).hasSize(1);
  }

  @Test
  void theMultihashFollowsHashingAlgorithm() {
    DataFixtures g = new DataFixtures(GovernanceConfig.builder().hashingAlgorithm("sha3_256").build());
    Image image = g.active(PRODUCER, "x");
    assertThat(image.osHashAlgo()).contains("sha3_256");
    assertThat(image.osHashValue().orElseThrow()).hasSize(64);
  }

  @Test
  void uploadNeedsBothFormats() {
    Image image = f.governance.images().create(PRODUCER, NewImage.builder().diskFormat("raw").build());
    Expect.fails(RuleCode.FORMATS_REQUIRED, () -> f.upload(PRODUCER, image.id(), "x"));
    assertThat(f.stored(image.id()).status()).isEqualTo(ImageStatus.QUEUED);
  }

  @Test
  void uploadingTwiceIsAConflict() {
    Image image = f.active(PRODUCER, "one");
    Expect.fails(RuleCode.STATUS_CONFLICT, () -> f.upload(PRODUCER, image.id(), "two"));
  }

  @Test
  void onlyTheOwnerMayUpload() {
    Image shared = f.queued(PRODUCER, Visibility.COMMUNITY);
    Expect.fails(RuleCode.POLICY_DENIED, () -> f.upload(CONSUMER_A, shared.id(), "x"));
    Image priv = f.queued(PRODUCER, Visibility.PRIVATE);
    Expect.notFound(() -> f.upload(OUTSIDER, priv.id(), "x"));
    assertThat(f.stored(shared.id()).status()).isEqualTo(ImageStatus.QUEUED);
  }

  @Test
  void aDeclaredSizeThatDisagreesIsRefusedAndTheImageStaysQueued() {
    Image image = f.queued(PRODUCER);
    for (long declared : new long[] {3, 20}) {
      Expect.fails(
          RuleCode.SIZE_MISMATCH,
          () ->
              f.data()
                  .upload(
                      PRODUCER,
                      image.id(),
                      new ByteArrayInputStream("0123456789".getBytes()),
                      OptionalLong.of(declared)));
      Image after = f.stored(image.id());
      assertThat(after.status()).isEqualTo(ImageStatus.QUEUED);
      assertThat(after.size()).isEmpty();
      assertThat(f.blobBytes()).isZero();
      assertThat(f.storedBytes("producer")).isZero();
    }
  }

  @Test
  void imageSizeCapIsEnforcedWhileStreaming() {
    DataFixtures g = new DataFixtures(GovernanceConfig.builder().imageSizeCap(5).build());
    Image image = g.queued(PRODUCER);
    Expect.fails(
        RuleCode.IMAGE_TOO_LARGE,
        () ->
            g.data().upload(PRODUCER, image.id(), ByteStream.pattern(7).open(), OptionalLong.empty()));
    Expect.fails(RuleCode.IMAGE_TOO_LARGE, () -> g.upload(PRODUCER, image.id(), "1234567"));
    assertThat(g.stored(image.id()).status()).isEqualTo(ImageStatus.QUEUED);
    assertThat(g.blobBytes()).isZero();
    assertThat(g.data().upload(PRODUCER, image.id(), ByteStream.pattern(5).open(), OptionalLong.empty()).size())
        .hasValue(5);
  }

  @Test
  void anUnknownStoreIsBadRequest() {
    Image image = f.queued(PRODUCER);
    Expect.fails(
        RuleCode.UNKNOWN_STORE,
        () ->
            f.data()
                .upload(PRODUCER, image.id(), ByteStream.pattern(1).open(), OptionalLong.empty(), StoreId.of("nope")));
  }

  @Test
  void uploadToANamedStore() {
    Image image = f.queued(PRODUCER);
    Image active =
        f.data().upload(PRODUCER, image.id(), ByteStream.pattern(100).open(), OptionalLong.empty(), CHEAP);
    assertThat(f.stored(image.id()).locations()).extracting(Location::store).containsExactly(CHEAP);
    assertThat(f.cheap.capacity().used()).isEqualTo(100);
  }

  @Test
  void aFullStoreOrItsReserveRefusesTheUpload() {
    DataFixtures g =
        new DataFixtures(GovernanceConfig.builder().storeReserveBytes(1000).build(), 5000);
    Image image = g.queued(PRODUCER);
    Expect.fails(
        RuleCode.STORE_FULL,
        () -> g.data().upload(PRODUCER, image.id(), ByteStream.pattern(4500).open(), OptionalLong.of(4500)));
    Expect.fails(
        RuleCode.STORE_FULL,
        () -> g.data().upload(PRODUCER, image.id(), ByteStream.pattern(4500).open(), OptionalLong.empty()));
    assertThat(g.stored(image.id()).status()).isEqualTo(ImageStatus.QUEUED);
    assertThat(g.data().upload(PRODUCER, image.id(), ByteStream.pattern(4000).open(), OptionalLong.empty()).size())
        .hasValue(4000);
  }

  // §10.2 download

  @Test
  void downloadReturnsTheDataWithItsChecksum() throws IOException {
    Image image = f.active(PRODUCER, "abcdefghij");
    ImageDownload d = f.data().download(PRODUCER, image.id());
    assertThat(d.httpStatus()).isEqualTo(200);
    assertThat(d.contentLength()).isEqualTo(10);
    assertThat(d.contentMd5()).isEqualTo(image.checksum());
    assertThat(text(d)).isEqualTo("abcdefghij");
  }

  @Test
  void rangesFollowGlance() throws IOException {
    Image image = f.active(PRODUCER, "abcdefghij");
    ImageDownload d = f.data().download(PRODUCER, image.id(), ByteRange.parse("bytes=2-4"));
    assertThat(d.httpStatus()).isEqualTo(206);
    assertThat(d.contentRange().orElseThrow().toString()).isEqualTo("bytes 2-4/10");
    assertThat(text(d)).isEqualTo("cde");
    assertThat(text(f.data().download(PRODUCER, image.id(), ByteRange.parse("bytes=-3")))).isEqualTo("hij");
    assertThat(text(f.data().download(PRODUCER, image.id(), ByteRange.parse("bytes=7-")))).isEqualTo("hij");
    assertThat(text(f.data().download(PRODUCER, image.id(), ByteRange.parse("bytes=8-100")))).isEqualTo("ij");
    assertThat(text(f.data().download(PRODUCER, image.id(), ByteRange.parse("bytes=-50"))))
        .isEqualTo("abcdefghij");
    Expect.fails(
        RuleCode.RANGE_NOT_SATISFIABLE,
        () -> f.data().download(PRODUCER, image.id(), ByteRange.parse("bytes=20-30")));
    Expect.fails(
        RuleCode.RANGE_NOT_SATISFIABLE,
        () -> f.data().download(PRODUCER, image.id(), ByteRange.parse("bytes=10-")));
    Expect.fails(RuleCode.RANGE_NOT_SATISFIABLE, () -> ByteRange.parse("bytes=5-2"));
    Expect.fails(RuleCode.RANGE_NOT_SATISFIABLE, () -> ByteRange.parse("items=1-2"));
    Expect.fails(RuleCode.MALFORMED_REQUEST, () -> ByteRange.parse("bytes=1-2,4-5"));
  }

  @Test
  void anImageWithoutDataAnswersNoDataEvenForARange() {
    Image image = f.queued(PRODUCER);
    ImageDownload whole = f.data().download(PRODUCER, image.id());
    assertThat(whole.hasData()).isFalse();
    assertThat(whole.httpStatus()).isEqualTo(204);
    assertThat(f.data().download(PRODUCER, image.id(), ByteRange.parse("bytes=0-1")).httpStatus())
        .isEqualTo(204);
  }

  @Test
  void deactivatedDataIsForAdminsOnly() throws IOException {
    Image image = f.active(PRODUCER, "abc");
    f.governance.images().deactivate(PRODUCER, image.id());
    Expect.fails(RuleCode.STATUS_FORBIDS, () -> f.data().download(PRODUCER, image.id()));
    assertThat(text(f.data().download(ADMIN, image.id()))).isEqualTo("abc");
    Expect.notFound(() -> f.data().download(OUTSIDER, image.id()));
  }

  @Test
  void verificationReportsCorruptData() throws IOException {
    DataFixtures g = new DataFixtures(GovernanceConfig.builder().verifyDownloads(true).build());
    Image image = g.active(PRODUCER, "abcdefghij");
    assertThat(text(g.data().download(PRODUCER, image.id()))).isEqualTo("abcdefghij");
    g.fast.delete(BlobKey.of(image.id()));
    g.fast.write(
        BlobKey.of(image.id()), new ByteArrayInputStream("abcdefghiX".getBytes()), 10, HashSpec.defaults());
    ImageDownload d = g.data().download(PRODUCER, image.id());
    assertThatThrownBy(() -> d.stream().readAllBytes())
        .isInstanceOf(DataCorruptionException.class)
        .hasMessageContaining("checksum");
    g.fast.delete(BlobKey.of(image.id()));
    g.fast.write(BlobKey.of(image.id()), new ByteArrayInputStream("abc".getBytes()), 10, HashSpec.defaults());
    ImageDownload shortRead = g.data().download(PRODUCER, image.id());
    assertThatThrownBy(() -> shortRead.stream().readAllBytes())
        .isInstanceOf(DataCorruptionException.class)
        .hasMessageContaining("3 bytes");
  }

  // §11.5, copy-image

  @Test
  void copyAddsALocationAndDoublesTheStorageCharge() throws IOException {
    Image image = f.active(PRODUCER, "abcdefghij");
    Expect.fails(RuleCode.POLICY_DENIED, () -> f.data().copyToStores(PRODUCER, image.id(), List.of(CHEAP)));
    Image copied = f.data().copyToStores(ADMIN, image.id(), List.of(CHEAP));
    assertThat(copied.locations()).as("hidden without show_multiple_locations").isEmpty();
    assertThat(f.stored(image.id()).locations()).extracting(Location::store).containsExactly(FAST, CHEAP);
    assertThat(f.cheap.exists(BlobKey.of(image.id()))).isTrue();
    assertThat(f.storedBytes("producer")).isEqualTo(20);
    Expect.fails(RuleCode.ALREADY_IN_STORE, () -> f.data().copyToStores(ADMIN, image.id(), List.of(CHEAP)));
    Expect.fails(
        RuleCode.STORE_UNAVAILABLE, () -> f.data().copyToStores(ADMIN, image.id(), List.of(StoreId.of("x"))));
  }

  @Test
  void copyRespectsTheLocationQuota() {
    DataFixtures g = new DataFixtures(GovernanceConfig.builder().imageLocationQuota(1).build());
    Image image = g.active(PRODUCER, "abc");
    Expect.fails(
        RuleCode.LOCATION_QUOTA_EXCEEDED, () -> g.data().copyToStores(ADMIN, image.id(), List.of(CHEAP)));
    assertThat(g.cheap.keys()).isEmpty();
  }

  @Test
  void copyOfAQueuedImageIsAConflict() {
    Image image = f.queued(PRODUCER);
    Expect.fails(RuleCode.STATUS_CONFLICT, () -> f.data().copyToStores(ADMIN, image.id(), List.of(CHEAP)));
  }

  @Test
  void deleteFromStoreFollowsGlancesOrderOfChecks() throws IOException {
    Image image = f.active(PRODUCER, "abcdefghij");
    Expect.fails(
        RuleCode.STORE_UNAVAILABLE, () -> f.data().deleteFromStore(ADMIN, image.id(), StoreId.of("x")));
    Expect.fails(RuleCode.ONLY_LOCATION, () -> f.data().deleteFromStore(ADMIN, image.id(), CHEAP));
    f.data().copyToStores(ADMIN, image.id(), List.of(CHEAP));
    Expect.fails(RuleCode.POLICY_DENIED, () -> f.data().deleteFromStore(PRODUCER, image.id(), CHEAP));
    Image after = f.data().deleteFromStore(ADMIN, image.id(), FAST);
    assertThat(f.stored(image.id()).locations()).extracting(Location::store).containsExactly(CHEAP);
    assertThat(f.fast.keys()).isEmpty();
    assertThat(f.storedBytes("producer")).isEqualTo(10);
    assertThat(text(f.data().download(PRODUCER, image.id()))).isEqualTo("abcdefghij");
    assertThat(f.events).filteredOn(DataDeleted.class::isInstance).hasSize(1);
    Image queued = f.queued(PRODUCER);
    Expect.fails(RuleCode.STATUS_CONFLICT, () -> f.data().deleteFromStore(ADMIN, queued.id(), FAST));
  }

  @Test
  void deleteFromStoreOfAStoreWithoutTheImageIsNotFound() {
    DataFixtures g = new DataFixtures();
    Image image = g.active(PRODUCER, "abc");
    g.data().copyToStores(ADMIN, image.id(), List.of(CHEAP));
    g.data().deleteFromStore(ADMIN, image.id(), CHEAP);
    g.data().copyToStores(ADMIN, image.id(), List.of(CHEAP));
    assertThat(g.stored(image.id()).locations()).hasSize(2);
  }

  // §12 deletion

  @Test
  void deletingAnImageRemovesItsDataFromEveryStoreEvenWhenDeactivated() {
    Image image = f.active(PRODUCER, "abcdefghij");
    f.data().copyToStores(ADMIN, image.id(), List.of(CHEAP));
    f.governance.images().deactivate(PRODUCER, image.id());
    f.governance.images().delete(PRODUCER, image.id());
    assertThat(f.fast.keys()).isEmpty();
    assertThat(f.cheap.keys()).isEmpty();
    assertThat(f.storedBytes("producer")).isZero();
  }

  @Test
  void delayedDeleteKeepsDataForTheScrubber() {
    DataFixtures g =
        new DataFixtures(
            GovernanceConfig.builder().delayedDelete(true).scrubTime(Duration.ofHours(1)).build());
    Image image = g.active(PRODUCER, "abc");
    g.governance.images().delete(PRODUCER, image.id());
    assertThat(g.fast.exists(BlobKey.of(image.id()))).isTrue();
    assertThat(g.storedBytes("producer")).isZero();
    Expect.fails(RuleCode.POLICY_DENIED, () -> g.data().scrub(PRODUCER));
    assertThat(g.data().scrub(ADMIN).deferred()).isEqualTo(1);
    assertThat(g.fast.exists(BlobKey.of(image.id()))).isTrue();

    DataFixtures now = new DataFixtures(GovernanceConfig.builder().delayedDelete(true).build());
    Image other = now.active(PRODUCER, "abc");
    now.governance.images().delete(PRODUCER, other.id());
    assertThat(now.data().scrub(ADMIN).removed()).hasSize(1);
    assertThat(now.fast.keys()).isEmpty();
  }
}
