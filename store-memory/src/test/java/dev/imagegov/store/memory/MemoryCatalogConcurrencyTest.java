package dev.imagegov.store.memory;

import static dev.imagegov.store.memory.TestImages.ALICE;
import static dev.imagegov.store.memory.TestImages.BOB;
import static dev.imagegov.store.memory.TestImages.id;
import static dev.imagegov.store.memory.TestImages.image;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegov.error.GovernanceException;
import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.model.Image;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import dev.imagegov.spi.CatalogQuery;
import dev.imagegov.spi.VisibilityFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class MemoryCatalogConcurrencyTest {
  private static final int THREADS = 8;

  private final MemoryCatalog catalog = new MemoryCatalog();
  private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

  @AfterEach
  void shutDown() throws InterruptedException {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  /** Runs {@code task} on every thread at once and returns their results. */
  private <T> List<T> race(int threads, Callable<T> task) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    List<Future<T>> futures = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      futures.add(pool.submit(() -> {
        start.await();
        return task.call();
      }));
    }
    start.countDown();
    List<T> results = new ArrayList<>();
    for (Future<T> f : futures) {
      results.add(f.get(30, TimeUnit.SECONDS));
    }
    return results;
  }

  @RepeatedTest(20)
  void exactlyOneOfConcurrentCompareAndSetsOnTheSameVersionWins() throws Exception {
    Image v1 = catalog.insert(image(1, ALICE).toBuilder().size(10).build());

    List<String> outcomes = race(THREADS, () -> {
      String name = Thread.currentThread().getName();
      try {
        catalog.compareAndSet(
            1, v1.toBuilder().name(name).owner(ProjectId.of(name)).size(1).build()).orElseThrow();
        return "won " + name;
      } catch (GovernanceException e) {
        assertThat(e.code()).isEqualTo(StoreErrorCode.STALE_VERSION);
        return "lost";
      }
    });

    List<String> winners = outcomes.stream().filter(o -> o.startsWith("won ")).toList();
    assertThat(winners).hasSize(1);
    String winner = winners.get(0).substring(4);
    Image stored = catalog.find(id(1)).orElseThrow();
    assertThat(stored.version()).isEqualTo(2);
    assertThat(stored.name()).contains(winner);
  }

  @Test
  void readCompareAndSetRetryLoopsLoseNoUpdate() throws Exception {
    catalog.insert(image(1, ALICE).toBuilder().putProperties("counter", "0").build());
    int increments = 500;

    race(THREADS, () -> {
      for (int i = 0; i < increments; i++) {
        while (true) {
          Image current = catalog.find(id(1)).orElseThrow();
          long next = Long.parseLong(current.properties().get("counter")) + 1;
          Image bumped =
              current.toBuilder().properties(Map.of("counter", Long.toString(next))).build();
          try {
            catalog.compareAndSet(current.version(), bumped).orElseThrow();
            break;
          } catch (GovernanceException e) {
            assertThat(e.code()).isEqualTo(StoreErrorCode.STALE_VERSION);
          }
        }
      }
      return null;
    });

    Image last = catalog.find(id(1)).orElseThrow();
    assertThat(last.properties()).containsEntry("counter", Long.toString(THREADS * increments));
    assertThat(last.version()).isEqualTo(1L + THREADS * increments);
  }

  /**
   * While writers move images between visibilities and owners, every list a reader sees is one
   * the catalog actually held: all images, each once, newest first, and usage totals that add up.
   */
  @Test
  void readersNeverSeeAChangeHalfDone() throws Exception {
    int images = 50;
    for (int n = 1; n <= images; n++) {
      catalog.insert(image(n, ALICE, Visibility.PUBLIC, n % 7));
    }
    CatalogQuery everything =
        CatalogQuery.builder().seesAll(true).visibility(VisibilityFilter.ALL).limit(1000).build();
    List<Image> expectedOrder = catalog.query(everything);
    AtomicBoolean writing = new AtomicBoolean(true);
    int writers = 2;

    List<Integer> checks = race(THREADS, new Callable<>() {
      private final java.util.concurrent.atomic.AtomicInteger next =
          new java.util.concurrent.atomic.AtomicInteger();

      @Override
      public Integer call() {
        int me = next.getAndIncrement();
        if (me < writers) {
          java.util.Random random = new java.util.Random(me);
          for (int i = 0; i < 20_000; i++) {
            Image current = catalog.find(id(1 + random.nextInt(images))).orElseThrow();
            Visibility v = Visibility.values()[random.nextInt(4)];
            ProjectId owner = random.nextBoolean() ? ALICE : BOB;
            try {
              catalog.compareAndSet(
                  current.version(), current.toBuilder().visibility(v).owner(owner).build()).orElseThrow();
            } catch (GovernanceException e) {
              assertThat(e.code()).isEqualTo(StoreErrorCode.STALE_VERSION);
            }
          }
          writing.set(false);
          return 0;
        }
        int checked = 0;
        while (writing.get() || checked == 0) {
          List<Image> listed = catalog.query(everything);
          assertThat(listed.stream().map(Image::id).toList())
              .isEqualTo(expectedOrder.stream().map(Image::id).toList());
          assertThat(catalog.size()).isEqualTo(images);
          checked++;
        }
        return checked;
      }
    });

    assertThat(checks.stream().mapToInt(Integer::intValue).sum()).isPositive();
  }
}
