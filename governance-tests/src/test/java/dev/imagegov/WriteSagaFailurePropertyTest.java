package dev.imagegov;

import static dev.imagegov.Fixtures.ADMIN;
import static dev.imagegov.Fixtures.PRODUCER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import dev.imagegov.error.GovernanceException;
import dev.imagegov.internal.Engine;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.StoreId;
import dev.imagegov.model.Tombstone;
import dev.imagegov.quota.UsageReport;
import dev.imagegov.spi.Catalog;
import dev.imagegov.spi.CatalogQuery;
import dev.imagegov.spi.CompareAndSetResult;
import dev.imagegov.spi.blob.BlobKey;
import dev.imagegov.spi.blob.BlobStore;
import dev.imagegov.spi.blob.BlobWriteResult;
import dev.imagegov.spi.blob.Capacity;
import dev.imagegov.spi.blob.HashSpec;
import dev.imagegov.store.memory.MemoryBlobStore;
import dev.imagegov.store.memory.MemoryCatalog;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The write saga's one rollback path: whatever step of an upload, a staging, a copy to another
 * store or a delete from one fails (the n-th call to any blob store, or the catalog answering
 * stale for every attempt of one commit until the kernel gives up, or missing, at the m-th
 * compare-and-set; or both, so that the catalog may refuse the rollback's compensation, which
 * the kernel retries), the catalog (up to
 * the image's version and time of change), every store and the owner's quota usage are exactly
 * as they were before the operation began. With both faults the only trace allowed is a blob
 * that the rollback failed to delete and that the catalog does not name.
 */
class WriteSagaFailurePropertyTest {
  private static final long SEED = 0x5A6A_2026L;
  private static final StoreId FAST = StoreId.of("fast");
  private static final StoreId CHEAP = StoreId.of("cheap");
  private static final byte[] DATA = "the image data, forty bytes long........"
      .getBytes(StandardCharsets.UTF_8);

  /** The operations run under faults, each on an image prepared without faults. */
  private enum Operation { UPLOAD_DECLARED, UPLOAD_UNDECLARED, STAGE, COPY, DELETE_FROM_STORE }

  /** What the catalog does wrong at the m-th compare-and-set once armed. */
  enum CatalogFault { NONE, STALE, MISSING }

  @Test
  void anyFailureAtAnySagaStepLeavesCatalogStoresAndUsageAsBefore() {
    qt().withFixedSeed(SEED)
        .withExamples(300)
        .forAll(
            integers().between(0, Operation.values().length - 1),
            integers().between(0, 10),
            integers().between(0, CatalogFault.values().length - 1),
            integers().between(1, 4))
        .checkAssert((op, n, fault, m) ->
            // A blob call and the catalog may both fail in one example: the catalog may then
            // refuse the rollback's own compensation, which the kernel retries.
            runOnce(Operation.values()[op], n, CatalogFault.values()[fault], m));
  }

  private static void runOnce(Operation op, int failingCall, CatalogFault fault, int atCas) {
    Faults faults = new Faults();
    FaultyCatalog catalog = new FaultyCatalog(new MemoryCatalog(), faults);
    FaultyStore fast = new FaultyStore(MemoryBlobStore.builder(FAST).build(), faults);
    FaultyStore cheap = new FaultyStore(MemoryBlobStore.builder(CHEAP).build(), faults);
    FaultyStore staging =
        new FaultyStore(MemoryBlobStore.builder(StoreId.of("staging")).build(), faults);
    ImageGovernance g =
        ImageGovernance.builder()
            .catalog(catalog)
            .config(GovernanceConfig.builder().userStorageQuota("1MB").build())
            .clock(new TickingClock())
            .blobStore(fast)
            .blobStore(cheap)
            .stagingStore(staging)
            .build();
    Image image =
        g.images().create(PRODUCER,
            NewImage.builder().diskFormat("raw").containerFormat("bare").build());
    ImageId id = image.id();
    if (op == Operation.COPY || op == Operation.DELETE_FROM_STORE) {
      g.data().upload(PRODUCER, id, new ByteArrayInputStream(DATA), OptionalLong.of(DATA.length));
    }
    if (op == Operation.DELETE_FROM_STORE) {
      g.data().copyToStores(ADMIN, id, List.of(CHEAP));
    }
    State before = State.of(catalog, id, g, List.of(fast, cheap, staging));

    faults.arm(failingCall, fault, atCas);
    String description = "seed " + SEED + ": " + op + ", blob call " + failingCall
        + " fails (0: none), catalog " + fault + " at compare-and-set " + atCas;
    boolean failed = false;
    try {
      switch (op) {
        case UPLOAD_DECLARED -> g.data().upload(
            PRODUCER, id, new ByteArrayInputStream(DATA), OptionalLong.of(DATA.length));
        case UPLOAD_UNDECLARED -> g.data().upload(
            PRODUCER, id, new ByteArrayInputStream(DATA), OptionalLong.empty());
        case STAGE -> g.imports().stage(
            PRODUCER, id, new ByteArrayInputStream(DATA), OptionalLong.of(DATA.length));
        case COPY -> g.data().copyToStores(ADMIN, id, List.of(CHEAP));
        case DELETE_FROM_STORE -> g.data().deleteFromStore(ADMIN, id, CHEAP);
      }
    } catch (GovernanceException e) {
      failed = true;
    }
    faults.disarm();
    State after = State.of(catalog, id, g, List.of(fast, cheap, staging));
    if (failed && failingCall > 0 && fault != CatalogFault.NONE) {
      // Two faults: the second may hit the rollback's own blob delete, whose only trace is a
      // blob the catalog does not name (left to scrub); catalog and usage are as before.
      assertThat(after.image()).as(description).isEqualTo(before.image());
      assertThat(after.usage()).as(description).isEqualTo(before.usage());
      assertThat(after.blobs()).as(description).containsAllEntriesOf(before.blobs());
      for (String blob : after.blobs().keySet()) {
        if (!before.blobs().containsKey(blob)) {
          String store = blob.substring(0, blob.indexOf('/'));
          assertThat(after.image().locations()).as(description + ": " + blob + " is unreferenced")
              .noneMatch(l -> l.store().value().equals(store));
        }
      }
    } else if (failed) {
      assertThat(after).as(description).isEqualTo(before);
    } else {
      // A fault may fire without failing the operation (a retried compare-and-set, a quiet
      // delete of data the catalog no longer names); the operation then took effect.
      assertThat(after).as(description).isNotEqualTo(before);
    }
  }

  /** The observable state: the image (without version and time), every blob, the usage. */
  record State(Image image, Map<String, String> blobs, UsageReport usage) {
    static State of(Catalog catalog, ImageId id, ImageGovernance g, List<FaultyStore> stores) {
      Image image = catalog.find(id).orElseThrow()
          .toBuilder()
          .updatedAt(Instant.EPOCH)
          .version(0)
          .build();
      Map<String, String> blobs = new TreeMap<>();
      for (FaultyStore s : stores) {
        for (BlobKey key : s.delegate.keys()) {
          try (InputStream in = s.delegate.read(key)) {
            blobs.put(s.id() + "/" + key.value(),
                Base64.getEncoder().encodeToString(in.readAllBytes()));
          } catch (IOException e) {
            throw new AssertionError(e);
          }
        }
      }
      return new State(image, blobs, g.quotas().usage(ADMIN, ProjectId.of("producer")));
    }
  }

  /** The armed faults, shared by the stores and the catalog of one example. */
  static final class Faults {
    private int failingCall;
    private int blobCalls;
    private CatalogFault fault = CatalogFault.NONE;
    private int atCas;
    private int casCalls;
    private int staleLeft;
    private boolean refuseAll;

    private boolean refuseAfterBlobFault;

    /**
     * Fails the {@code failingCall}-th blob call, and from then on answers every
     * compare-and-set stale until {@link #disarm}.
     */
    void failThenRefuseEveryCommit(int failingCall) {
      arm(failingCall, CatalogFault.NONE, 0);
      refuseAfterBlobFault = true;
    }

    void arm(int failingCall, CatalogFault fault, int atCas) {
      this.failingCall = failingCall;
      this.fault = fault;
      this.atCas = atCas;
    }

    void disarm() {
      failingCall = 0;
      fault = CatalogFault.NONE;
      staleLeft = 0;
      refuseAll = false;
      refuseAfterBlobFault = false;
    }

    void blobCall() throws IOException {
      if (failingCall > 0 && ++blobCalls == failingCall) {
        refuseAll = refuseAfterBlobFault;
        throw new IOException("injected failure of blob call " + failingCall);
      }
    }

    /** Null to let the compare-and-set run; else the refusal to answer instead. */
    CompareAndSetResult cas(Image replacement, long expected) {
      if (refuseAll) {
        return new CompareAndSetResult.Stale(replacement.id(), expected, expected + 1);
      }
      if (fault == CatalogFault.NONE) {
        return null;
      }
      casCalls++;
      if (casCalls == atCas) {
        if (fault == CatalogFault.MISSING) {
          return new CompareAndSetResult.Missing(replacement.id());
        }
        staleLeft = Engine.MAX_ATTEMPTS; // every attempt of this commit: the kernel gives up
      }
      if (staleLeft > 0) {
        staleLeft--;
        return new CompareAndSetResult.Stale(replacement.id(), expected, expected + 1);
      }
      return null;
    }
  }

  /** A catalog that answers stale or missing when its faults say so, else the memory catalog. */
  record FaultyCatalog(Catalog delegate, Faults faults) implements Catalog {
    @Override
    public Optional<Image> find(ImageId id) {
      return delegate.find(id);
    }

    @Override
    public Optional<Tombstone> tombstone(ImageId id) {
      return delegate.tombstone(id);
    }

    @Override
    public Image insert(Image image) {
      return delegate.insert(image);
    }

    @Override
    public CompareAndSetResult compareAndSet(long expectedVersion, Image replacement) {
      CompareAndSetResult refusal = faults.cas(replacement, expectedVersion);
      return refusal != null ? refusal : delegate.compareAndSet(expectedVersion, replacement);
    }

    @Override
    public Tombstone delete(
        ImageId id, long expectedVersion, ImageStatus finalStatus, Instant at) {
      return delegate.delete(id, expectedVersion, finalStatus, at);
    }

    @Override
    public Image undelete(ImageId id, Instant at) {
      return delegate.undelete(id, at);
    }

    @Override
    public Tombstone finishDeletion(ImageId id) {
      return delegate.finishDeletion(id);
    }

    @Override
    public List<Image> query(CatalogQuery query) {
      return delegate.query(query);
    }

    @Override
    public long size() {
      return delegate.size();
    }

    @Override
    public void forEach(Consumer<Image> action) {
      delegate.forEach(action);
    }
  }

  /** A blob store whose write, read and delete fail when their call is the armed one. */
  record FaultyStore(BlobStore delegate, Faults faults) implements BlobStore {
    @Override
    public StoreId id() {
      return delegate.id();
    }

    @Override
    public BlobWriteResult write(BlobKey key, InputStream in, long maxBytes, HashSpec hashes)
        throws IOException {
      faults.blobCall();
      return delegate.write(key, in, maxBytes, hashes);
    }

    @Override
    public InputStream read(BlobKey key) throws IOException {
      faults.blobCall();
      return delegate.read(key);
    }

    @Override
    public InputStream read(BlobKey key, long offset, long length) throws IOException {
      faults.blobCall();
      return delegate.read(key, offset, length);
    }

    @Override
    public OptionalLong size(BlobKey key) {
      return delegate.size(key);
    }

    @Override
    public boolean delete(BlobKey key) throws IOException {
      faults.blobCall();
      return delegate.delete(key);
    }

    @Override
    public Capacity capacity() {
      return delegate.capacity();
    }

    @Override
    public List<BlobKey> keys() {
      return delegate.keys();
    }

    @Override
    public String url(BlobKey key) {
      return delegate.url(key);
    }
  }
}
