package dev.imagegov.store.file;

import static dev.imagegov.testkit.gen.CatalogHistories.PROJECTS;
import static dev.imagegov.testkit.gen.Images.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.imagegov.error.ConfigurationException;
import dev.imagegov.error.ErrorCode;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.Location;
import dev.imagegov.model.Member;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.StoreId;
import dev.imagegov.model.Tombstone;
import dev.imagegov.model.Visibility;
import dev.imagegov.spi.CatalogQuery;
import dev.imagegov.spi.QueryEvaluator;
import dev.imagegov.store.memory.MemoryCatalog;
import dev.imagegov.testkit.gen.CatalogHistories;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the file catalog adds to the {@link dev.imagegov.spi.Catalog} contract (which {@link
 * FileCatalogContractTest} checks): every change is durable across a reopen, also through
 * snapshots, a refused change writes nothing to the journal, and a reopened catalog (its images,
 * tombstones, usage and query indexes) equals the one that was closed.
 */
class FileCatalogBehaviourTest {
  private static final ProjectId ALICE = ProjectId.of("alice");
  private static final ProjectId BOB = ProjectId.of("bob");
  private static final FileCatalogOptions FAST = FileCatalogOptions.builder().fsync(false).build();

  @TempDir Path dir;

  static ImageId id(long n) {
    return ImageId.of(new UUID(0, n));
  }

  static Image image(long n, ProjectId owner) {
    return Image.builder()
        .id(id(n))
        .owner(owner)
        .visibility(Visibility.PRIVATE)
        .status(ImageStatus.ACTIVE)
        .size(10 * n)
        .createdAt(T0.plusSeconds(n))
        .updatedAt(T0.plusSeconds(n))
        .build();
  }

  private FileCatalog reopen(FileCatalog catalog) {
    catalog.close();
    return FileCatalog.open(dir, FAST);
  }

  private static GovernanceException refusal(Runnable call) {
    try {
      call.run();
    } catch (GovernanceException e) {
      return e;
    }
    throw new AssertionError("the call was not refused");
  }

  private long journalBytes() throws IOException {
    long total = 0;
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        if (f.getFileName().toString().startsWith("journal-")) {
          total += Files.size(f);
        }
      }
    }
    return total;
  }

  // insert

  @Test
  void insertStoresVersionOneAndSurvivesReopen() {
    FileCatalog catalog = FileCatalog.open(dir);
    Image stored = catalog.insert(image(1, ALICE).withVersion(42));
    assertThat(stored.version()).isEqualTo(1);

    catalog = reopen(catalog);
    assertThat(catalog.find(id(1))).contains(stored);
    assertThat(catalog.isKnown(id(1))).isTrue();
    catalog.close();
  }

  @Test
  void everyAttributeOfAnImageSurvivesTheJournalAndASnapshot() throws IOException {
    Image rich =
        Image.builder()
            .id(ImageId.of("0A0B0C0D-0000-4000-8000-00000000000F"))
            .name("ubuntu ☃ \"quoted\"")
            .status(ImageStatus.ACTIVE)
            .visibility(Visibility.SHARED)
            .owner(ALICE)
            .isProtected(true)
            .osHidden(true)
            .diskFormat("qcow2")
            .containerFormat("bare")
            .size(Long.MAX_VALUE)
            .virtualSize(0)
            .checksum("abc")
            .osHashAlgo("sha512")
            .osHashValue("def")
            .minDisk(5)
            .minRam(Integer.MAX_VALUE)
            .addTags("z", "a", "m")
            .putProperties("os_distro", "ubuntu")
            .putProperties("", "empty key")
            .addLocations(Location.of(StoreId.of("file"), "file:///x"))
            .putMembers(BOB, Member.pending(
                ImageId.of("0A0B0C0D-0000-4000-8000-00000000000F"), BOB, T0.plusNanos(1)))
            .createdAt(T0.plusNanos(123_456_789))
            .updatedAt(T0)
            .build();
    FileCatalog catalog = FileCatalog.open(dir, FAST);
    Image stored = catalog.insert(rich);

    catalog = reopen(catalog);
    assertThat(catalog.find(rich.id())).contains(stored);
    assertThat(catalog.find(rich.id()).get().tags()).containsExactly("z", "a", "m");
    catalog.snapshot();
    catalog = reopen(catalog);
    assertThat(catalog.find(rich.id())).contains(stored);
    catalog.close();
  }

  @Test
  void insertRefusesALiveIdExactlyAsTheMemoryStoreDoesAndWritesNothing() throws IOException {
    FileCatalog catalog = FileCatalog.open(dir, FAST);
    MemoryCatalog memory = new MemoryCatalog();
    catalog.insert(image(1, ALICE));
    memory.insert(image(1, ALICE));
    long before = journalBytes();

    GovernanceException file = refusal(() -> catalog.insert(image(1, BOB)));
    GovernanceException mem = refusal(() -> memory.insert(image(1, BOB)));

    assertThat(file.code()).isEqualTo(StoreErrorCode.DUPLICATE_IMAGE_ID);
    assertThat(file).hasMessage(mem.getMessage());
    assertThat(journalBytes()).isEqualTo(before);
    catalog.close();
  }

  @Test
  void idOfADeletedImageIsNeverReusedEvenAfterReopenAndSnapshot() throws IOException {
    FileCatalog catalog = FileCatalog.open(dir, FAST);
    catalog.insert(image(1, ALICE));
    Tombstone tombstone = catalog.delete(id(1), 1, ImageStatus.PENDING_DELETE, T0);

    catalog = reopen(catalog);
    assertThat(catalog.tombstone(id(1))).contains(tombstone);
    FileCatalog reopened = catalog;
    assertThat(refusal(() -> reopened.insert(image(1, ALICE))).code())
        .isEqualTo(StoreErrorCode.DUPLICATE_IMAGE_ID);

    catalog.snapshot();
    catalog = reopen(catalog);
    FileCatalog afterSnapshot = catalog;
    assertThat(catalog.tombstone(id(1))).contains(tombstone);
    assertThat(catalog.find(id(1))).isEmpty();
    assertThat(refusal(() -> afterSnapshot.insert(image(1, ALICE))).code())
        .isEqualTo(StoreErrorCode.DUPLICATE_IMAGE_ID);
    catalog.close();
  }

  // compare-and-set and delete

  @Test
  void compareAndSetStoresTheNextVersionDurably() {
    FileCatalog catalog = FileCatalog.open(dir, FAST);
    catalog.insert(image(1, ALICE));
    Image renamed = catalog.compareAndSet(1, image(1, ALICE).toBuilder().name("x").build()).orElseThrow();
    assertThat(renamed.version()).isEqualTo(2);

    catalog = reopen(catalog);
    assertThat(catalog.find(id(1))).contains(renamed);
    assertThat(catalog.compareAndSet(2, renamed.withVersion(99)).orElseThrow().version()).isEqualTo(3);
    catalog.close();
  }

  @Test
  void staleOrMissingCompareAndSetAndDeleteFailLikeTheMemoryStoreAndWriteNothing()
      throws IOException {
    FileCatalog catalog = FileCatalog.open(dir, FAST);
    MemoryCatalog memory = new MemoryCatalog();
    for (var c : List.of(catalog, memory)) {
      Image v1 = c.insert(image(1, ALICE));
      c.compareAndSet(1, v1.toBuilder().name("first").build()).orElseThrow();
    }
    long before = journalBytes();
    Image stale = image(1, ALICE).toBuilder().owner(BOB).size(9).build();
    List<java.util.function.Function<dev.imagegov.spi.Catalog, Runnable>> calls =
        List.of(
            c -> () -> c.compareAndSet(1, stale).orElseThrow(),
            c -> () -> c.delete(id(1), 5, ImageStatus.DELETED, T0),
            c -> () -> c.compareAndSet(1, image(2, ALICE)).orElseThrow(),
            c -> () -> c.delete(id(2), 1, ImageStatus.DELETED, T0));
    for (var call : calls) {
      GovernanceException onFile = refusal(call.apply(catalog));
      GovernanceException inMemory = refusal(call.apply(memory));
      assertThat(onFile.code()).isEqualTo(inMemory.code());
      assertThat(onFile).hasMessage(inMemory.getMessage());
    }
    assertThat(journalBytes()).isEqualTo(before);

    catalog = reopen(catalog);
    assertThat(catalog.find(id(1))).isEqualTo(memory.find(id(1)));
    catalog.close();
  }

  @Test
  void deleteLeavesATombstoneAndReleasesUsageDurably() {
    FileCatalog catalog = FileCatalog.open(dir, FAST);
    catalog.insert(image(1, ALICE));
    catalog.insert(image(2, ALICE));
    Tombstone tombstone = catalog.delete(id(1), 1, ImageStatus.DELETED, T0.plusSeconds(9));
    assertThat(tombstone).isEqualTo(Tombstone.of(id(1), Optional.of(ALICE), ImageStatus.DELETED,
        T0.plusSeconds(9)));

    catalog = reopen(catalog);
    assertThat(catalog.find(id(1))).isEmpty();
    assertThat(catalog.tombstone(id(1))).contains(tombstone);
    assertThat(catalog.size()).isEqualTo(1);
    catalog.close();
  }

  @Test
  void ofRacingUpdatesOfOneVersionExactlyOneWinsAndOnlyItIsJournaled() throws Exception {
    FileCatalog catalog = FileCatalog.open(dir);
    catalog.insert(image(1, ALICE));
    int threads = 8;
    CountDownLatch start = new CountDownLatch(1);
    AtomicInteger wins = new AtomicInteger();
    // Collected, not asserted in the workers: an assertion failing in another thread is lost.
    List<ErrorCode> refusals = Collections.synchronizedList(new ArrayList<>());
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      String name = "writer" + t;
      Thread worker = new Thread(() -> {
        try {
          start.await();
          catalog.compareAndSet(1, image(1, ALICE).toBuilder().name(name).build()).orElseThrow();
          wins.incrementAndGet();
        } catch (GovernanceException e) {
          refusals.add(e.code());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      worker.start();
      workers.add(worker);
    }
    start.countDown();
    for (Thread worker : workers) {
      worker.join();
    }
    assertThat(wins).hasValue(1);
    assertThat(refusals).hasSize(threads - 1).containsOnly(StoreErrorCode.STALE_VERSION);
    Image winner = catalog.find(id(1)).get();
    assertThat(winner.version()).isEqualTo(2);

    FileCatalog reopened = reopen(catalog);
    assertThat(reopened.find(id(1))).contains(winner);
    reopened.close();
  }

  @Test
  void concurrentWritersAreAllDurable() throws Exception {
    FileCatalog catalog = FileCatalog.open(dir);
    int threads = 16;
    int each = 20;
    Map<ImageId, Image> acknowledged = new ConcurrentHashMap<>();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int base = t * 1000;
      Thread worker = new Thread(() -> {
        for (int i = 1; i <= each; i++) {
          Image stored = catalog.insert(image(base + i, PROJECTS.get(i % PROJECTS.size())));
          acknowledged.put(stored.id(), catalog.compareAndSet(1, stored.toBuilder()
              .name("n" + i).build()).orElseThrow());
        }
      });
      worker.start();
      workers.add(worker);
    }
    for (Thread worker : workers) {
      worker.join();
    }
    // A worker that failed stops without a trace of its own: count what was acknowledged.
    assertThat(acknowledged).hasSize(threads * each);
    FileCatalog reopened = reopen(catalog);
    Map<ImageId, Image> live = new HashMap<>();
    reopened.forEach(i -> live.put(i.id(), i));
    assertThat(live).isEqualTo(acknowledged);
    reopened.close();
  }

  // snapshots

  @Test
  void aSnapshotReplacesTheJournalSegmentsItCovers() throws IOException {
    FileCatalog catalog = FileCatalog.open(dir, FAST);
    for (int i = 1; i <= 5; i++) {
      catalog.insert(image(i, ALICE));
    }
    catalog.snapshot();
    catalog.insert(image(6, ALICE));
    catalog.delete(id(2), 1, ImageStatus.DELETED, T0);

    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(f -> f.getFileName().toString()).sorted())
          .containsExactly("LOCK", Format.journalName(2), Format.snapshotName(2));
    }
    catalog = reopen(catalog);
    assertThat(catalog.size()).isEqualTo(5);
    assertThat(catalog.tombstone(id(2))).isPresent();
    catalog.close();
  }

  @Test
  void snapshotsAreTakenEveryIntervalInTheBackground() throws Exception {
    FileCatalogOptions options = FileCatalogOptions.builder().fsync(false).snapshotInterval(3)
        .build();
    FileCatalog catalog = FileCatalog.open(dir, options);
    for (int i = 1; i <= 30; i++) {
      catalog.insert(image(i, ALICE));
    }
    catalog.close();
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .anyMatch(n -> n.startsWith("snapshot-"));
    }
    FileCatalog reopened = FileCatalog.open(dir, options);
    assertThat(reopened.size()).isEqualTo(30);
    reopened.close();
  }

  // closing

  @Test
  void aClosedCatalogAnswersUnavailable() {
    FileCatalog catalog = FileCatalog.open(dir, FAST);
    catalog.close();
    catalog.close();
    assertThat(refusal(() -> catalog.find(id(1))).code())
        .isEqualTo(StoreErrorCode.CATALOG_UNAVAILABLE);
    assertThat(refusal(() -> catalog.insert(image(1, ALICE))).code())
        .isEqualTo(StoreErrorCode.CATALOG_UNAVAILABLE);
  }

  @Test
  void aSnapshotIntervalBelowOneIsABadConfiguration() {
    assertThatThrownBy(() -> FileCatalogOptions.builder().snapshotInterval(0).build())
        .isInstanceOf(ConfigurationException.class);
  }

  // generated histories

  @Test
  void queriesAndUsageAnswerWhatTheEvaluatorAnswersAfterReopen() {
    AtomicInteger example = new AtomicInteger();
    AtomicInteger nonEmpty = new AtomicInteger();
    // A fixed seed: the same histories every run, so that the count below is certain.
    long seed = 20261207L;
    qt().withFixedSeed(seed)
        .withExamples(80)
        .forAll(CatalogHistories.histories(),
            lists().of(CatalogHistories.questions()).ofSizeBetween(1, 6),
            integers().between(1, 20))
        .checkAssert((history, queries, interval) -> {
          Path home = dir.resolve("q" + example.incrementAndGet());
          FileCatalogOptions options =
              FileCatalogOptions.builder().fsync(false).snapshotInterval(interval).build();
          Map<ImageId, Image> model = new TreeMap<>();
          FileCatalog catalog = FileCatalog.open(home, options);
          CatalogHistories.play(catalog, history, model, new HashMap<>());
          catalog.close();
          FileCatalog reopened = FileCatalog.open(home, options);
          checkAgainstEvaluator(reopened, model, queries, nonEmpty);
          reopened.close();
        });
    assertThat(nonEmpty.get()).as("non-empty answers from seed %d", seed).isGreaterThan(25);
  }

  private static void checkAgainstEvaluator(
      FileCatalog catalog, Map<ImageId, Image> model, List<CatalogHistories.Question> questions,
      AtomicInteger nonEmpty) {
    List<Image> live = new ArrayList<>();
    catalog.forEach(live::add);
    assertThat(live).containsExactlyInAnyOrderElementsOf(model.values());
    assertThat(catalog.size()).isEqualTo(model.size());
    List<ImageId> ids = List.copyOf(model.keySet());
    for (CatalogHistories.Question question : questions) {
      CatalogQuery query = question.at(ids);
      List<Image> answer = catalog.query(query);
      assertThat(answer).as("%s", query)
          .containsExactlyElementsOf(QueryEvaluator.evaluate(query, live, catalog::find));
      if (!answer.isEmpty()) {
        nonEmpty.incrementAndGet();
      }
    }
  }

  @Test
  void aReopenedCatalogEqualsTheCatalogThatWasClosed() {
    AtomicInteger example = new AtomicInteger();
    qt().withExamples(80)
        .forAll(CatalogHistories.histories(), integers().between(1, 20))
        .checkAssert((history, interval) -> {
          Path home = dir.resolve("r" + example.incrementAndGet());
          FileCatalogOptions options =
              FileCatalogOptions.builder().fsync(false).snapshotInterval(interval).build();
          FileCatalog catalog = FileCatalog.open(home, options);
          Map<ImageId, Tombstone> dead = new HashMap<>();
          CatalogHistories.play(catalog, history, new TreeMap<>(), dead);
          Map<ImageId, Image> before = new TreeMap<>();
          catalog.forEach(i -> before.put(i.id(), i));
          catalog.close();

          FileCatalog reopened = FileCatalog.open(home, options);
          Map<ImageId, Image> after = new TreeMap<>();
          reopened.forEach(i -> after.put(i.id(), i));
          assertThat(after).isEqualTo(before);
          for (ImageId id : history.ids()) {
            assertThat(reopened.tombstone(id)).isEqualTo(Optional.ofNullable(dead.get(id)));
          }
          assertThat(reopened.size()).isEqualTo(before.size());
          reopened.close();
        });
  }

  @Test
  void membersOfEveryStatusSurviveReopen() {
    FileCatalog catalog = FileCatalog.open(dir, FAST);
    Image shared = image(1, ALICE).toBuilder().visibility(Visibility.SHARED).build();
    for (MemberStatus status : MemberStatus.values()) {
      ProjectId p = ProjectId.of("m-" + status.wireName());
      shared = shared.toBuilder().putMembers(p, Member.pending(id(1), p, T0).withStatus(status,
          T0)).build();
    }
    Image stored = catalog.insert(shared);
    catalog = reopen(catalog);
    assertThat(catalog.find(id(1))).contains(stored);
    catalog.close();
  }
}
