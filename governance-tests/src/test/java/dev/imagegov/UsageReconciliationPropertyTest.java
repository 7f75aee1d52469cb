package dev.imagegov;

import static dev.imagegov.ReportWorld.ADMIN;
import static dev.imagegov.ReportWorld.SLOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.imagegov.data.imports.ImportRequest;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import dev.imagegov.report.ReconciliationReport;
import dev.imagegov.spi.usage.UsageKind;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Reconciliation as a property: whatever random operations ran (creates, uploads that succeed,
 * fail mid-stream, declare the wrong size or exceed the quota or the store, stagings and
 * imports, copies, deletions from a store and of images, and pairs of uploads started together
 * on two threads), recomputing usage from the catalog finds no drift in the usage port and no
 * reservation is left open. A fixed QuickTheories seed draws the histories; each failure names
 * its seed.
 */
class UsageReconciliationPropertyTest {
  static final long SEED = 20_261_207_171L;
  private static final String[] OWNERS = {"producer", "consumer-a"};
  private static final ExecutorService TWO = Executors.newFixedThreadPool(2);

  @AfterAll
  static void stop() {
    TWO.shutdownNow();
  }

  /** A stream of {@code n} bytes that fails after {@code failAfter} of them (never if negative). */
  private static InputStream data(int n, int failAfter) {
    return new InputStream() {
      private int read;

      @Override
      public int read() throws IOException {
        if (failAfter >= 0 && read >= failAfter) {
          throw new IOException("the client went away");
        }
        return read < n ? (read++ & 0x7f) : -1;
      }
    };
  }

  private static void quietly(Runnable op) {
    try {
      op.run();
    } catch (GovernanceException expected) {
      // a refusal or a failed upload: it must leave usage as it was
    }
  }

  private static final class History {
    final ReportWorld w = new ReportWorld(GovernanceConfig.builder().userStorageQuota("3KB")
        .build());
    final Random r;
    final List<ImageId> ids = new ArrayList<>();

    History(long seed) {
      r = new Random(seed);
    }

    ImageId any() {
      if (ids.isEmpty() || r.nextInt(4) == 0) {
        ids.add(w.queued(OWNERS[r.nextInt(2)], "i" + ids.size(), Visibility.PRIVATE).id());
      }
      return ids.get(r.nextInt(ids.size()));
    }

    void upload(ImageId id, int size, int failAfter, long declared) {
      quietly(() -> w.governance.data().upload(ADMIN, id, data(size, failAfter),
          declared < 0 ? OptionalLong.empty() : OptionalLong.of(declared)));
    }

    void step() {
      ImageId id = any();
      int size = 1 + r.nextInt(1500);
      switch (r.nextInt(9)) {
        case 0 -> upload(id, size, -1, size);
        case 1 -> upload(id, size, r.nextInt(size), size);
        case 2 -> upload(id, size, -1, size + 1 + r.nextInt(5));
        case 3 -> upload(id, size, -1, -1);
        case 4 -> quietly(() -> {
          w.governance.imports().stage(ADMIN, id, new ByteArrayInputStream(new byte[size]),
              OptionalLong.of(size));
          if (r.nextBoolean()) {
            w.governance.imports().importImage(ADMIN, id, ImportRequest.glanceDirect());
          }
        });
        case 5 -> quietly(() -> w.governance.data().copyToStores(ADMIN, id, List.of(SLOW)));
        case 6 -> quietly(() -> w.governance.data().deleteFromStore(ADMIN, id, ReportWorld.FAST));
        case 7 -> quietly(() -> w.governance.images().delete(ADMIN, id));
        default -> together(id, r.nextBoolean() ? id : any(), size, r.nextInt(3) == 0);
      }
    }

    /** Two uploads released at once on two threads; one of them may fail mid-stream. */
    void together(ImageId a, ImageId b, int size, boolean oneFails) {
      CountDownLatch start = new CountDownLatch(1);
      CompletableFuture<?> first = CompletableFuture.runAsync(() -> {
        awaitQuietly(start);
        upload(a, size, -1, size);
      }, TWO);
      CompletableFuture<?> second = CompletableFuture.runAsync(() -> {
        awaitQuietly(start);
        upload(b, size, oneFails ? size / 2 : -1, size);
      }, TWO);
      start.countDown();
      first.join();
      second.join();
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void randomOperationsIncludingFailedAndConcurrentUploadsNeverLeaveDrift() {
    qt().withFixedSeed(SEED).withExamples(40).forAll(longs().all()).checkAssert(seed -> {
      History h = new History(seed);
      int steps = 5 + h.r.nextInt(25);
      for (int i = 0; i < steps; i++) {
        h.step();
      }
      ReconciliationReport report =
          h.w.governance.reports().reconcile(ADMIN, h.w.tenancy, false);
      assertThat(report.drifts()).as("seed %d after %d steps", seed, steps).isEmpty();
      for (String owner : OWNERS) {
        for (UsageKind kind : UsageKind.values()) {
          assertThat(h.w.usage.snapshot(ProjectId.of(owner)).reserved(kind))
              .as("seed %d: %s reserved %s", seed, owner, kind).isZero();
        }
      }
    });
  }

  @Test
  void someHistoriesActivateImagesAndSomeUploadsFail() {
    int activated = 0;
    for (long seed = 0; seed < 10; seed++) {
      History h = new History(seed);
      for (int i = 0; i < 20; i++) {
        h.step();
      }
      for (ImageId id : h.ids) {
        activated += h.w.catalog.find(id).map(Image::status)
            .filter(s -> s == ImageStatus.ACTIVE).isPresent() ? 1 : 0;
      }
    }
    assertThat(activated).as("the histories exercise successful uploads").isPositive();
  }
}
