package dev.imagegov;

import static dev.imagegov.Fixtures.ADMIN;
import static dev.imagegov.Fixtures.CONSUMER_A;
import static dev.imagegov.Fixtures.OUTSIDER;
import static dev.imagegov.Fixtures.PRODUCER;
import static dev.imagegov.ImportFixtures.CHEAP;
import static dev.imagegov.ImportFixtures.FAST;
import static dev.imagegov.ImportFixtures.SLOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import com.sun.net.httpserver.HttpServer;
import dev.imagegov.data.Imports;
import dev.imagegov.data.fetch.FetchResult;
import dev.imagegov.data.fetch.HttpFetcher;
import dev.imagegov.data.fetch.UriGuard;
import dev.imagegov.data.imports.ImportRequest;
import dev.imagegov.data.imports.ImportTask;
import dev.imagegov.data.imports.StoreInfo;
import dev.imagegov.data.imports.TaskStatus;
import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.Location;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.StoreId;
import dev.imagegov.model.Visibility;
import dev.imagegov.quota.StaticLimits;
import dev.imagegov.quota.UnifiedLimit;
import dev.imagegov.spi.blob.BlobKey;
import dev.imagegov.testkit.gen.ByteStream;
import dev.imagegov.testkit.gen.DiskImages;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The interoperable import workflow (reference §9): discovery, staging, {@code glance-direct},
 * {@code web-download} (from a loopback HTTP server, allowed only by a test guard), {@code
 * copy-image}, {@code all_stores_must_succeed}, the bookkeeping properties, the import lock, and
 * tasks; every failure leaves nothing staged or stored and the image in the reference's status.
 */
class ImportRulesTest {
  private static final byte[] DATA =
      "golden image bytes ".repeat(3000).getBytes(StandardCharsets.US_ASCII);

  private final ImportFixtures f = new ImportFixtures();
  private HttpServer server;

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.stop(0);
    }
  }

  private Image staged(byte[] data) {
    Image image = f.queued(PRODUCER);
    f.stage(PRODUCER, image.id(), data);
    return image;
  }

  private static List<StoreId> stores(Image image) {
    return image.locations().stream().map(Location::store).collect(Collectors.toList());
  }

  private static byte[] read(InputStream in) throws IOException {
    try (in) {
      return in.readAllBytes();
    }
  }

  // ------------------------------------------------------------------------------ discovery

  @Test
  void discoveryListsGlancesDefaultMethodsAndTheEnabledStoresWithTheDefault() {
    assertThat(f.imports().methods())
        .containsExactly("glance-direct", "web-download", "copy-image");
    assertThat(f.imports().stores()).containsExactly(
        new StoreInfo(FAST, true), new StoreInfo(CHEAP, false), new StoreInfo(SLOW, false));
  }

  @Test
  void anUnknownImportMethodIsRefusedInConfiguration() {
    assertThatThrownBy(
        () -> GovernanceConfig.builder().enabledImportMethods(List.of("glance-download")).build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  // -------------------------------------------------------------------------------- staging

  @Test
  void stagingMovesTheImageToUploadingAndCountsAgainstStagedUsage() {
    Image image = f.queued(PRODUCER);
    Image uploading = f.stage(PRODUCER, image.id(), DATA);
    assertThat(uploading.status()).isEqualTo(ImageStatus.UPLOADING);
    assertThat(uploading.size()).hasValue(DATA.length);
    assertThat(f.isStaged(image.id())).isTrue();
    assertThat(f.usage(PRODUCER).stagedBytes()).isEqualTo(DATA.length);
    assertThat(f.usage(PRODUCER).uploadsInProgress()).isEqualTo(1);
    assertThat(f.usage(PRODUCER).storedBytes()).isZero();
  }

  @Test
  void stagingTwiceIsAConflict() {
    Image image = staged(DATA);
    Expect.fails(RuleCode.STATUS_CONFLICT, () -> f.stage(PRODUCER, image.id(), DATA));
  }

  @Test
  void onlyTheOwnerMayStage() {
    Image image = f.governance.images().create(
        PRODUCER, NewImage.builder().diskFormat("raw").containerFormat("bare")
            .visibility(Visibility.COMMUNITY).build());
    Expect.fails(RuleCode.POLICY_DENIED, () -> f.stage(CONSUMER_A, image.id(), DATA));
    Image hidden = f.queued(PRODUCER);
    Expect.fails(StoreErrorCode.IMAGE_NOT_FOUND, () -> f.stage(OUTSIDER, hidden.id(), DATA));
    assertThat(f.stored(image.id()).status()).isEqualTo(ImageStatus.QUEUED);
  }

  @Test
  void stagingIsUnavailableWithoutGlanceDirect() {
    ImportFixtures g = new ImportFixtures(
        GovernanceConfig.builder().enabledImportMethods(List.of("web-download")).build());
    Image image = g.queued(PRODUCER);
    Expect.fails(RuleCode.IMPORT_METHOD_UNAVAILABLE, () -> g.stage(PRODUCER, image.id(), DATA));
  }

  @Test
  void stagingOverImageStageTotalIsRefusedAndLeavesNothing() {
    ImportFixtures g = new ImportFixtures(GovernanceConfig.builder()
        .unifiedLimits(StaticLimits.builder()
            .registered(UnifiedLimit.IMAGE_STAGE_TOTAL, 1)
            .registered(UnifiedLimit.IMAGE_SIZE_TOTAL, 100)
            .registered(UnifiedLimit.IMAGE_COUNT_TOTAL, 10)
            .registered(UnifiedLimit.IMAGE_COUNT_UPLOADING, 10)
            .build())
        .build());
    Image image = g.queued(PRODUCER);
    byte[] twoMib = new byte[2 << 20];
    Expect.fails(RuleCode.LIMIT_EXCEEDED, () -> g.stage(PRODUCER, image.id(), twoMib));
    Expect.fails(RuleCode.LIMIT_EXCEEDED, () -> g.imports().stage(
        PRODUCER, image.id(), new ByteArrayInputStream(twoMib), OptionalLong.empty()));
    assertThat(g.stored(image.id()).status()).isEqualTo(ImageStatus.QUEUED);
    assertThat(g.leftNothing(image.id(), PRODUCER)).isTrue();
  }

  @Test
  void stagingOverTheSizeCapIsRefusedAndLeavesNothing() {
    ImportFixtures g = new ImportFixtures(GovernanceConfig.builder().imageSizeCap(100).build());
    Image image = g.queued(PRODUCER);
    Expect.fails(RuleCode.IMAGE_TOO_LARGE, () -> g.imports().stage(
        PRODUCER, image.id(), new ByteArrayInputStream(DATA), OptionalLong.empty()));
    assertThat(g.stored(image.id()).status()).isEqualTo(ImageStatus.QUEUED);
    assertThat(g.leftNothing(image.id(), PRODUCER)).isTrue();
  }

  @Test
  void deletingAStagedImageRemovesItsStagedData() {
    Image image = staged(DATA);
    f.governance.images().delete(PRODUCER, image.id());
    assertThat(f.isStaged(image.id())).isFalse();
    assertThat(f.usage(PRODUCER).stagedBytes()).isZero();
    assertThat(f.usage(PRODUCER).uploadsInProgress()).isZero();
  }

  // -------------------------------------------------------------------------- glance-direct

  @Test
  void glanceDirectMovesTheStagedDataToTheDefaultStore() throws IOException {
    Image image = staged(DATA);
    ImportTask task = f.imports().importImage(PRODUCER, image.id(), ImportRequest.glanceDirect());
    assertThat(task.status()).isEqualTo(TaskStatus.SUCCESS);
    Image active = f.stored(image.id());
    assertThat(active.status()).isEqualTo(ImageStatus.ACTIVE);
    assertThat(stores(active)).containsExactly(FAST);
    assertThat(active.checksum()).isPresent();
    assertThat(active.properties()).doesNotContainKeys(
        Imports.IMPORT_TASK, Imports.IMPORTING_TO_STORES, Imports.FAILED_IMPORT);
    assertThat(read(f.governance.data().download(PRODUCER, image.id()).stream()))
        .isEqualTo(DATA);
    assertThat(f.isStaged(image.id())).isFalse();
    assertThat(f.usage(PRODUCER).storedBytes()).isEqualTo(DATA.length);
    assertThat(f.usage(PRODUCER).stagedBytes()).isZero();
    assertThat(f.usage(PRODUCER).uploadsInProgress()).isZero();
    assertThat(f.events).anySatisfy(e -> assertThat(e).isInstanceOf(
        dev.imagegov.events.StatusChanged.class));
  }

  @Test
  void glanceDirectNeedsStagedData() {
    Image image = f.queued(PRODUCER);
    Expect.fails(RuleCode.STATUS_CONFLICT,
        () -> f.imports().importImage(PRODUCER, image.id(), ImportRequest.glanceDirect()));
  }

  @Test
  void anActiveImageIsNoTargetForImport() {
    Image image = f.queued(PRODUCER);
    f.upload(PRODUCER, image.id(), DATA);
    Expect.fails(RuleCode.STATUS_CONFLICT,
        () -> f.imports().importImage(PRODUCER, image.id(), ImportRequest.glanceDirect()));
  }

  @Test
  void anUnknownOrDisabledMethodIsABadRequest() {
    Image image = staged(DATA);
    Expect.fails(StoreErrorCode.INVALID_VALUE,
        () -> f.imports().importImage(PRODUCER, image.id(), ImportRequest.of("glance-download")));
    ImportFixtures g = new ImportFixtures(
        GovernanceConfig.builder().enabledImportMethods(List.of("glance-direct")).build());
    Image queued = g.queued(PRODUCER);
    Expect.fails(StoreErrorCode.INVALID_VALUE, () -> g.imports().importImage(
        PRODUCER, queued.id(), ImportRequest.webDownload(URI.create("https://x.example/i"))));
  }

  @Test
  void importNeedsBothFormats() {
    Image image = f.governance.images().create(PRODUCER, NewImage.builder().build());
    f.stage(PRODUCER, image.id(), DATA);
    Expect.fails(RuleCode.STATUS_CONFLICT,
        () -> f.imports().importImage(PRODUCER, image.id(), ImportRequest.glanceDirect()));
  }

  @Test
  void anUnknownTargetStoreIsAConflict() {
    Image image = staged(DATA);
    Expect.fails(RuleCode.STORE_UNAVAILABLE, () -> f.imports().importImage(
        PRODUCER, image.id(),
        ImportRequest.glanceDirect().withStores(List.of(StoreId.of("nowhere")))));
    Expect.fails(StoreErrorCode.INVALID_VALUE, () -> f.imports().importImage(
        PRODUCER, image.id(), ImportRequest.glanceDirect().withStores(List.of(FAST))
            .toAllStores()));
    assertThat(f.stored(image.id()).status()).isEqualTo(ImageStatus.UPLOADING);
  }

  @Test
  void glanceDirectToSeveralStoresStoresEveryCopyAndCountsEach() {
    Image image = staged(DATA);
    ImportTask task = f.imports().importImage(
        PRODUCER, image.id(), ImportRequest.glanceDirect().withStores(List.of(FAST, CHEAP)));
    assertThat(task.status()).isEqualTo(TaskStatus.SUCCESS);
    assertThat(stores(f.stored(image.id()))).containsExactly(FAST, CHEAP);
    assertThat(f.usage(PRODUCER).storedBytes()).isEqualTo(2L * DATA.length);
  }

  @Test
  void whenAllStoresMustSucceedOneFailingStoreRevertsEveryStore() {
    ImportFixtures g = new ImportFixtures(GovernanceConfig.defaults(), b -> {}, 1000);
    Image image = g.queued(PRODUCER);
    g.stage(PRODUCER, image.id(), DATA);
    ImportTask task = g.imports().importImage(
        PRODUCER, image.id(), ImportRequest.glanceDirect().withStores(List.of(FAST, SLOW, CHEAP)));
    assertThat(task.status()).isEqualTo(TaskStatus.FAILURE);
    Image after = g.stored(image.id());
    assertThat(after.status()).isEqualTo(ImageStatus.QUEUED);
    assertThat(after.locations()).isEmpty();
    assertThat(after.properties()).containsEntry(Imports.FAILED_IMPORT, "slow")
        .doesNotContainKeys(Imports.IMPORTING_TO_STORES, Imports.IMPORT_TASK);
    assertThat(g.leftNothing(image.id(), PRODUCER)).isTrue();
  }

  @Test
  void whenNotAllStoresMustSucceedAFailingStoreIsOnlyRecorded() {
    ImportFixtures g = new ImportFixtures(GovernanceConfig.defaults(), b -> {}, 1000);
    Image image = g.queued(PRODUCER);
    g.stage(PRODUCER, image.id(), DATA);
    ImportTask task = g.imports().importImage(
        PRODUCER, image.id(), ImportRequest.glanceDirect().withStores(List.of(FAST, SLOW, CHEAP))
            .withAllStoresMustSucceed(false));
    assertThat(task.status()).isEqualTo(TaskStatus.SUCCESS);
    Image after = g.stored(image.id());
    assertThat(after.status()).isEqualTo(ImageStatus.ACTIVE);
    assertThat(stores(after)).containsExactly(FAST, CHEAP);
    assertThat(after.properties()).containsEntry(Imports.FAILED_IMPORT, "slow")
        .doesNotContainKeys(Imports.IMPORTING_TO_STORES, Imports.IMPORT_TASK);
    assertThat(g.slow.exists(BlobKey.of(image.id()))).isFalse();
    assertThat(g.isStaged(image.id())).isFalse();
    assertThat(g.usage(PRODUCER).storedBytes()).isEqualTo(2L * DATA.length);
  }

  @Test
  void whenNoStoreSucceedsTheImportFailsEvenIfNotAllMustSucceed() {
    ImportFixtures g = new ImportFixtures(GovernanceConfig.defaults(), b -> {}, 1000);
    Image image = g.queued(PRODUCER);
    g.stage(PRODUCER, image.id(), DATA);
    ImportTask task = g.imports().importImage(
        PRODUCER, image.id(), ImportRequest.glanceDirect().withStores(List.of(SLOW))
            .withAllStoresMustSucceed(false));
    assertThat(task.status()).isEqualTo(TaskStatus.FAILURE);
    assertThat(task.message()).contains("None of the uploads finished");
    assertThat(g.stored(image.id()).status()).isEqualTo(ImageStatus.QUEUED);
    assertThat(g.leftNothing(image.id(), PRODUCER)).isTrue();
  }

  // ----------------------------------------------------------------------------- copy-image

  @Test
  void adminCopiesAnActiveImageToMoreStoresWithoutChangingItsStatus() throws IOException {
    Image image = f.queued(PRODUCER);
    f.upload(PRODUCER, image.id(), DATA);
    ImportTask task = f.imports().importImage(
        ADMIN, image.id(), ImportRequest.copyImage().withStores(List.of(CHEAP)));
    assertThat(task.status()).isEqualTo(TaskStatus.SUCCESS);
    Image after = f.stored(image.id());
    assertThat(after.status()).isEqualTo(ImageStatus.ACTIVE);
    assertThat(stores(after)).containsExactly(FAST, CHEAP);
    assertThat(read(f.cheap.read(BlobKey.of(image.id())))).isEqualTo(DATA);
    assertThat(f.usage(PRODUCER).storedBytes()).isEqualTo(2L * DATA.length);
    assertThat(f.usage(PRODUCER).stagedBytes()).isZero();
    assertThat(f.usage(PRODUCER).uploadsInProgress()).isZero();
  }

  @Test
  void copyImageIsAdminOnlyByDefault() {
    Image image = f.queued(PRODUCER);
    f.upload(PRODUCER, image.id(), DATA);
    Expect.fails(RuleCode.POLICY_DENIED, () -> f.imports().importImage(
        PRODUCER, image.id(), ImportRequest.copyImage().withStores(List.of(CHEAP))));
  }

  @Test
  void copyImageNeedsAnActiveImageAndNewStores() {
    Image queued = f.queued(PRODUCER);
    Expect.fails(RuleCode.STATUS_CONFLICT, () -> f.imports().importImage(
        ADMIN, queued.id(), ImportRequest.copyImage().withStores(List.of(CHEAP))));
    Image image = f.queued(PRODUCER);
    f.upload(PRODUCER, image.id(), DATA);
    Expect.fails(RuleCode.ALREADY_IN_STORE, () -> f.imports().importImage(
        ADMIN, image.id(), ImportRequest.copyImage().withStores(List.of(FAST))));
  }

  @Test
  void copyImageToAllStoresSkipsTheStoresThatHoldTheImage() {
    Image image = f.queued(PRODUCER);
    f.upload(PRODUCER, image.id(), DATA);
    ImportTask task =
        f.imports().importImage(ADMIN, image.id(), ImportRequest.copyImage().toAllStores());
    assertThat(task.stores()).containsExactly(CHEAP, SLOW);
    assertThat(stores(f.stored(image.id()))).containsExactly(FAST, CHEAP, SLOW);
    ImportTask nothing =
        f.imports().importImage(ADMIN, image.id(), ImportRequest.copyImage().toAllStores());
    assertThat(nothing.status()).isEqualTo(TaskStatus.SUCCESS);
    assertThat(nothing.stores()).isEmpty();
  }

  @Test
  void aFailedCopyLeavesTheImageActiveAndUnchanged() {
    ImportFixtures g = new ImportFixtures(GovernanceConfig.defaults(), b -> {}, 1000);
    Image image = g.queued(PRODUCER);
    g.upload(PRODUCER, image.id(), DATA);
    ImportTask task = g.imports().importImage(
        ADMIN, image.id(), ImportRequest.copyImage().withStores(List.of(CHEAP, SLOW)));
    assertThat(task.status()).isEqualTo(TaskStatus.FAILURE);
    Image after = g.stored(image.id());
    assertThat(after.status()).isEqualTo(ImageStatus.ACTIVE);
    assertThat(stores(after)).containsExactly(FAST);
    assertThat(after.properties()).containsEntry(Imports.FAILED_IMPORT, "slow")
        .doesNotContainKeys(Imports.IMPORTING_TO_STORES, Imports.IMPORT_TASK);
    assertThat(g.cheap.exists(BlobKey.of(image.id()))).isFalse();
    assertThat(g.usage(PRODUCER).storedBytes()).isEqualTo(DATA.length);
    assertThat(g.usage(PRODUCER).stagedBytes()).isZero();
  }

  // ------------------------------------------------------------------------ lock and tasks

  @Test
  void aSecondImportWhileOneRunsIsAConflictAndTheLockIsReleasedAfterwards() {
    List<Runnable> queue = new ArrayList<>();
    ImportFixtures g =
        new ImportFixtures(GovernanceConfig.defaults(), b -> b.importExecutor(queue::add),
            Long.MAX_VALUE);
    Image image = g.queued(PRODUCER);
    g.upload(PRODUCER, image.id(), DATA);
    ImportTask pending = g.imports().importImage(
        ADMIN, image.id(), ImportRequest.copyImage().withStores(List.of(CHEAP)));
    assertThat(pending.status()).isEqualTo(TaskStatus.PENDING);
    assertThat(g.stored(image.id()).properties()).containsEntry(Imports.IMPORT_TASK, pending.id());
    Expect.fails(RuleCode.IMPORT_IN_PROGRESS, () -> g.imports().importImage(
        ADMIN, image.id(), ImportRequest.copyImage().withStores(List.of(SLOW))));
    queue.remove(0).run();
    assertThat(g.imports().task(ADMIN, pending.id()).status()).isEqualTo(TaskStatus.SUCCESS);
    assertThat(g.stored(image.id()).properties()).doesNotContainKey(Imports.IMPORT_TASK);
    assertThat(g.imports().importImage(
        ADMIN, image.id(), ImportRequest.copyImage().withStores(List.of(SLOW))).status())
        .isEqualTo(TaskStatus.PENDING);
  }

  @Test
  void aPendingLockExpiresAfterTwoHoursAndIsBroken() {
    List<Runnable> queue = new ArrayList<>();
    ImportFixtures g =
        new ImportFixtures(GovernanceConfig.defaults(), b -> b.importExecutor(queue::add),
            Long.MAX_VALUE);
    Image image = g.queued(PRODUCER);
    g.upload(PRODUCER, image.id(), DATA);
    ImportTask first = g.imports().importImage(
        ADMIN, image.id(), ImportRequest.copyImage().withStores(List.of(CHEAP)));
    g.clock.advance(Duration.ofMinutes(119));
    Expect.fails(RuleCode.IMPORT_IN_PROGRESS, () -> g.imports().importImage(
        ADMIN, image.id(), ImportRequest.copyImage().withStores(List.of(SLOW))));
    g.clock.advance(Duration.ofMinutes(2));
    ImportTask second = g.imports().importImage(
        ADMIN, image.id(), ImportRequest.copyImage().withStores(List.of(SLOW)));
    assertThat(g.imports().task(ADMIN, first.id()).status()).isEqualTo(TaskStatus.FAILURE);
    assertThat(g.imports().task(ADMIN, first.id()).message()).isEqualTo("Expired lock preempted");
    queue.remove(0).run(); // the preempted import finds it lost the lock and changes nothing
    queue.remove(0).run();
    assertThat(g.imports().task(ADMIN, second.id()).status()).isEqualTo(TaskStatus.SUCCESS);
    assertThat(stores(g.stored(image.id()))).containsExactly(FAST, SLOW);
    assertThat(g.cheap.exists(BlobKey.of(image.id()))).isFalse();
  }

  @Test
  void aLockNamingAnUnknownTaskIsStaleAndBroken() {
    Image image = staged(DATA);
    Image current = f.stored(image.id());
    f.catalog.compareAndSet(current.version(), current.toBuilder()
        .putProperties(Imports.IMPORT_TASK, "a-task-of-a-previous-process").build()).orElseThrow();
    ImportTask task = f.imports().importImage(PRODUCER, image.id(), ImportRequest.glanceDirect());
    assertThat(task.status()).isEqualTo(TaskStatus.SUCCESS);
  }

  @Test
  void tasksOfAnImageAreVisibleToItsProjectAndAdminsOnly() {
    Image image = f.governance.images().create(
        PRODUCER, NewImage.builder().diskFormat("raw").containerFormat("bare")
            .visibility(Visibility.COMMUNITY).build());
    f.stage(PRODUCER, image.id(), DATA);
    ImportTask task = f.imports().importImage(PRODUCER, image.id(), ImportRequest.glanceDirect());
    assertThat(f.imports().tasks(PRODUCER, image.id())).containsExactly(task);
    assertThat(f.imports().tasks(ADMIN, image.id())).containsExactly(task);
    assertThat(f.imports().tasks(CONSUMER_A, image.id())).isEmpty();
    assertThat(f.imports().task(PRODUCER, task.id())).isEqualTo(task);
    Expect.fails(RuleCode.TASK_NOT_FOUND, () -> f.imports().task(OUTSIDER, task.id()));
    Image hidden = f.queued(PRODUCER);
    Expect.fails(StoreErrorCode.IMAGE_NOT_FOUND, () -> f.imports().tasks(OUTSIDER, hidden.id()));
  }

  // --------------------------------------------------------------------------- web-download

  private URI serve(byte[] body, boolean endless) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/image", exchange -> {
      if (endless) {
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
          byte[] chunk = new byte[8192];
          while (true) {
            out.write(chunk);
          }
        } catch (IOException e) {
          // The client hung up at its limit.
        }
      } else {
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    });
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/image");
  }

  /** A guard that trusts the loopback server: for tests only, never in a deployment. */
  private static UriGuard loopbackGuard(URI uri) {
    return UriGuard.builder().allowedHosts(List.of("127.0.0.1"))
        .allowedPorts(List.of(uri.getPort())).build();
  }

  @Test
  void webDownloadFetchesTheDataIntoTheStores() throws IOException {
    URI uri = serve(DATA, false);
    ImportFixtures g = new ImportFixtures(
        GovernanceConfig.builder().importUriGuard(loopbackGuard(uri)).build());
    Image image = g.queued(PRODUCER);
    ImportTask task = g.imports().importImage(PRODUCER, image.id(), ImportRequest.webDownload(uri));
    assertThat(task.status()).as(task.message()).isEqualTo(TaskStatus.SUCCESS);
    Image active = g.stored(image.id());
    assertThat(active.status()).isEqualTo(ImageStatus.ACTIVE);
    assertThat(active.size()).hasValue(DATA.length);
    assertThat(read(g.governance.data().download(PRODUCER, image.id()).stream()))
        .isEqualTo(DATA);
    assertThat(g.isStaged(image.id())).isFalse();
    assertThat(g.usage(PRODUCER).stagedBytes()).isZero();
  }

  @Test
  void theDefaultGuardRefusesALoopbackUriBeforeAnythingChanges() throws IOException {
    URI uri = serve(DATA, false);
    Image image = f.queued(PRODUCER);
    Expect.fails(RuleCode.URI_NOT_ALLOWED,
        () -> f.imports().importImage(PRODUCER, image.id(), ImportRequest.webDownload(uri)));
    assertThat(f.stored(image.id()).status()).isEqualTo(ImageStatus.QUEUED);
    assertThat(f.imports().tasks(PRODUCER, image.id())).isEmpty();
  }

  @Test
  void anEndlessResponseIsCutAtTheSizeCapAndLeavesNothing() throws IOException {
    URI uri = serve(new byte[0], true);
    ImportFixtures g = new ImportFixtures(GovernanceConfig.builder()
        .importUriGuard(loopbackGuard(uri)).imageSizeCap(1 << 20).build());
    Image image = g.queued(PRODUCER);
    ImportTask task = g.imports().importImage(PRODUCER, image.id(), ImportRequest.webDownload(uri));
    assertThat(task.status()).isEqualTo(TaskStatus.FAILURE);
    assertThat(task.message()).containsAnyOf("too large", "exceeds the limit");
    assertThat(g.stored(image.id()).status()).isEqualTo(ImageStatus.QUEUED);
    assertThat(g.leftNothing(image.id(), PRODUCER)).isTrue();
  }

  @Test
  void aWebDownloadWhoseServerStallsMidBodyTimesOutAndReleasesItsReservation() throws Exception {
    java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch stalling = new java.util.concurrent.CountDownLatch(1);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/image", exchange -> {
      exchange.sendResponseHeaders(200, DATA.length);
      OutputStream out = exchange.getResponseBody();
      out.write(DATA, 0, DATA.length / 2);
      out.flush();
      stalling.countDown();
      try {
        // Stalls mid-body until the test has asserted (hang guard: 5 minutes).
        released.await(5, java.util.concurrent.TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.close();
    });
    server.start();
    URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/image");
    // The server never sends the rest before the latch is released, so this short timeout
    // always expires: the outcome does not depend on how fast anything runs.
    ImportFixtures g = new ImportFixtures(
        GovernanceConfig.builder().importUriGuard(loopbackGuard(uri)).build(),
        b -> b.fetcher(HttpFetcher.builder(loopbackGuard(uri))
            .readTimeout(java.time.Duration.ofMillis(200)).build()),
        Long.MAX_VALUE);
    try (g.governance) {
      Image image = g.queued(PRODUCER);
      ImportTask task =
          g.imports().importImage(PRODUCER, image.id(), ImportRequest.webDownload(uri));
      assertThat(stalling.getCount()).as("the server sent part of the body").isZero();
      assertThat(task.status()).isEqualTo(TaskStatus.FAILURE);
      assertThat(task.message()).contains("read timeout");
      assertThat(g.stored(image.id()).status()).isEqualTo(ImageStatus.QUEUED);
      assertThat(g.usage(PRODUCER).stagedBytes()).isZero();
      assertThat(g.usage(PRODUCER).uploadsInProgress()).isZero();
      assertThat(g.leftNothing(image.id(), PRODUCER)).isTrue();
    } finally {
      released.countDown();
    }
  }

  @Test
  void closingAGovernanceLeavesNoHttpClientThreadBehind() throws Exception {
    java.util.function.Predicate<Thread> clientThread =
        t -> t.getName().matches("HttpClient-\\d+-SelectorManager|HttpClient-\\d+-Worker-\\d+");
    java.util.Set<Thread> before = Thread.getAllStackTraces().keySet();
    URI uri = serve(DATA, false);
    ImportFixtures g = new ImportFixtures(
        GovernanceConfig.builder().importUriGuard(loopbackGuard(uri)).build());
    Image image = g.queued(PRODUCER);
    assertThat(g.imports().importImage(PRODUCER, image.id(), ImportRequest.webDownload(uri))
        .status()).isEqualTo(TaskStatus.SUCCESS);
    g.governance.close();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (!before.contains(t) && clientThread.test(t)) {
        t.join(java.time.Duration.ofMinutes(1).toMillis()); // hang guard, not a wait for a duration
        assertThat(t.isAlive()).as("thread %s still runs after close", t.getName()).isFalse();
      }
    }
    ImportTask afterClose = g.imports().importImage(
        PRODUCER, g.queued(PRODUCER).id(), ImportRequest.webDownload(uri));
    assertThat(afterClose.status()).isEqualTo(TaskStatus.FAILURE);
    assertThat(afterClose.message()).contains("the fetcher is closed");
  }

  @Test
  void webDownloadOfAnImageInAnotherFormatIsRefusedByInspection() throws IOException {
    URI uri = serve(DiskImages.qcow2(1L << 30), false);
    ImportFixtures g = new ImportFixtures(
        GovernanceConfig.builder().importUriGuard(loopbackGuard(uri)).build());
    Image image = g.queued(PRODUCER);
    ImportTask task = g.imports().importImage(PRODUCER, image.id(), ImportRequest.webDownload(uri));
    assertThat(task.status()).isEqualTo(TaskStatus.FAILURE);
    assertThat(g.stored(image.id()).status()).isEqualTo(ImageStatus.QUEUED);
    assertThat(g.leftNothing(image.id(), PRODUCER)).isTrue();
  }

  // ----------------------------------------------------------------------------- properties

  private static final int SIZE = 20_000;

  @Test
  void stagingThatFailsAtAnyByteOffsetLeavesTheImageQueuedWithNothingStaged() {
    qt().withExamples(40).forAll(integers().between(0, SIZE - 1)).checkAssert(offset -> {
      Image image = f.queued(PRODUCER);
      Expect.fails(RuleCode.DATA_UNREADABLE, () -> f.imports().stage(
          PRODUCER, image.id(),
          ByteStream.pattern(SIZE).failingAfter(offset), OptionalLong.empty()));
      assertThat(f.stored(image.id()).status()).isEqualTo(ImageStatus.QUEUED);
      assertThat(f.leftNothing(image.id(), PRODUCER)).isTrue();
    });
  }

  @Test
  void aWebDownloadThatFailsAtAnyByteOffsetLeavesTheImageQueuedWithNothing() {
    int[] failAt = {0};
    ImportFixtures g = new ImportFixtures(
        GovernanceConfig.builder().importUriGuard(
            UriGuard.builder().allowedHosts(List.of("images.example")).build()).build(),
        b -> b.fetcher((uri, max) -> new FetchResult(
            ByteStream.pattern(SIZE).failingAfter(failAt[0]),
            OptionalLong.of(SIZE), uri)),
        Long.MAX_VALUE);
    URI uri = URI.create("https://images.example/cirros.img");
    qt().withExamples(40).forAll(integers().between(0, SIZE - 1)).checkAssert(offset -> {
      failAt[0] = offset;
      Image image = g.queued(PRODUCER);
      ImportTask task =
          g.imports().importImage(PRODUCER, image.id(), ImportRequest.webDownload(uri));
      assertThat(task.status()).isEqualTo(TaskStatus.FAILURE);
      Image after = g.stored(image.id());
      assertThat(after.status()).isEqualTo(ImageStatus.QUEUED);
      assertThat(after.properties()).doesNotContainKeys(
          Imports.IMPORT_TASK, Imports.IMPORTING_TO_STORES);
      assertThat(g.leftNothing(image.id(), PRODUCER)).isTrue();
    });
  }

  @Test
  void anImportWhoseStoreWriteFailsAtAnyByteOffsetLeavesNothingStagedOrStored() {
    qt().withExamples(25).forAll(integers().between(0, SIZE - 1)).checkAssert(offset -> {
      ImportFixtures g = new ImportFixtures(GovernanceConfig.defaults(), b -> {}, offset);
      Image image = g.queued(PRODUCER);
      g.imports().stage(PRODUCER, image.id(), ByteStream.pattern(SIZE).open(), OptionalLong.empty());
      ImportTask task = g.imports().importImage(
          PRODUCER, image.id(), ImportRequest.glanceDirect().withStores(List.of(FAST, SLOW)));
      assertThat(task.status()).isEqualTo(TaskStatus.FAILURE);
      assertThat(g.stored(image.id()).status()).isEqualTo(ImageStatus.QUEUED);
      assertThat(g.leftNothing(image.id(), PRODUCER)).isTrue();
    });
  }

  @Test
  void aCopyWhoseStoreWriteFailsAtAnyByteOffsetLeavesTheImageActiveAsItWas() {
    qt().withExamples(25).forAll(integers().between(0, SIZE - 1)).checkAssert(offset -> {
      ImportFixtures g = new ImportFixtures(GovernanceConfig.defaults(), b -> {}, offset);
      Image image = g.queued(PRODUCER);
      g.governance.data().upload(
          PRODUCER, image.id(), ByteStream.pattern(SIZE).open(), OptionalLong.of(SIZE));
      g.imports().importImage(
          ADMIN, image.id(), ImportRequest.copyImage().withStores(List.of(CHEAP, SLOW)));
      Image after = g.stored(image.id());
      assertThat(after.status()).isEqualTo(ImageStatus.ACTIVE);
      assertThat(stores(after)).containsExactly(FAST);
      assertThat(g.cheap.exists(BlobKey.of(image.id()))).isFalse();
      assertThat(g.slow.exists(BlobKey.of(image.id()))).isFalse();
      assertThat(g.usage(ProjectId.of("producer")).storedBytes()).isEqualTo(SIZE);
      assertThat(g.usage(PRODUCER).uploadsInProgress()).isZero();
    });
  }
}
