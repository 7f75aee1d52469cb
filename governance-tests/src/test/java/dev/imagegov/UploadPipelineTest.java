package dev.imagegov;

import static dev.imagegov.Fixtures.ADMIN;
import static dev.imagegov.Fixtures.PRODUCER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegov.error.ErrorCode;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.StoreId;
import dev.imagegov.quota.UsageReport;
import dev.imagegov.spi.Catalog;
import dev.imagegov.TestStores.Kind;
import dev.imagegov.spi.blob.BlobStore;
import dev.imagegov.spi.blob.ObservingInputStream;
import dev.imagegov.store.memory.MemoryCatalog;
import dev.imagegov.testkit.gen.ByteStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The upload pipeline through {@code data().upload}, on the memory and the file store, with data
 * large enough to run both stages (the multihash on the governance's hashing thread, MD5 and the
 * store's write on the caller's): the digests are the JDK's over the same bytes; a stage that
 * fails mid-stream (the caller's stream, the store, the quota) stops the upload and leaves the
 * image queued as it was, no blob, no usage; the hashing threads are the governance's, and end
 * when it is closed.
 */
class UploadPipelineTest {
  private static final StoreId STORE = StoreId.of("pipeline");
  private static final int MIB = 1 << 20;
  private static final long SIZE = 8L * MIB;
  private static final Pattern GOVERNANCE_HASH_THREAD = Pattern.compile("imagegov-hash-\\d+-\\d+");

  /** A stage that fails once 3 MiB streamed. */
  enum Failure {
    /** The caller's stream throws. */
    SOURCE(RuleCode.DATA_UNREADABLE),
    /** The store fills (its capacity is 3 MiB). */
    STORE(RuleCode.STORE_FULL),
    /** The owner's storage quota (3 MiB) is reached. */
    QUOTA(RuleCode.STORAGE_QUOTA_EXCEEDED);

    final ErrorCode code;

    Failure(ErrorCode code) {
      this.code = code;
    }
  }

  @RegisterExtension final TestStores stores = new TestStores();
  private Catalog catalog;
  private BlobStore blobs;

  private ImageGovernance governance(Kind kind, long storeCapacity, GovernanceConfig config) {
    catalog = new MemoryCatalog();
    blobs = stores.blobs(kind, STORE, storeCapacity);
    return stores.opened(
        ImageGovernance.builder().catalog(catalog).blobStore(blobs).config(config).build());
  }

  private static Image queued(ImageGovernance g) {
    return g.images().create(PRODUCER, NewImage.builder()
        .diskFormat("raw").containerFormat("bare").build());
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void anUploadRecordsTheJdksDigestsOfTheBytesItStored(Kind kind) throws Exception {
    ImageGovernance g = governance(kind, Long.MAX_VALUE, GovernanceConfig.defaults());
    Image image = queued(g);
    ByteStream data = ByteStream.of(SIZE, 42);

    Image active = g.data().upload(PRODUCER, image.id(), data.open(), OptionalLong.of(SIZE));

    assertThat(active.status()).isEqualTo(ImageStatus.ACTIVE);
    assertThat(active.size()).hasValue(SIZE);
    assertThat(active.checksum()).hasValue(data.md5());
    assertThat(active.osHashValue()).hasValue(data.sha512());
    try (var download = g.data().download(PRODUCER, image.id());
        InputStream stored = download.stream()) {
      assertThat(ByteStream.digest("SHA-512", stored))
          .isEqualTo(active.osHashValue().orElseThrow());
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Failure.class)
  void aStageFailingMidStreamStopsTheUploadAndLeavesNothing(Failure failure) {
    for (Kind kind : Kind.values()) {
      long cap = failure == Failure.STORE ? 3L * MIB : Long.MAX_VALUE;
      GovernanceConfig config = failure == Failure.QUOTA
          ? GovernanceConfig.builder().userStorageQuota("3MB").build()
          : GovernanceConfig.defaults();
      ImageGovernance g = governance(kind, cap, config);
      Image image = queued(g);
      Image before = catalog.find(image.id()).orElseThrow();
      ByteStream bytes = ByteStream.of(SIZE, 7);
      Counted data = new Counted(
          failure == Failure.SOURCE ? bytes.failingAfter(3L * MIB) : bytes.open());

      Expect.fails(failure.code, () -> g.data().upload(
          PRODUCER, image.id(), data, OptionalLong.empty()));

      assertThat(data.read).as("%s: the upload stopped reading soon after the failure", kind)
          .isLessThan(SIZE);
      Image after = catalog.find(image.id()).orElseThrow();
      assertThat(after.toBuilder().version(before.version()).build())
          .as("%s: the image as it was", kind).isEqualTo(before);
      assertThat(blobs.keys()).as("%s: blobs left", kind).isEmpty();
      assertThat(blobs.capacity().used()).as("%s: bytes left in the store", kind).isZero();
      UsageReport usage = g.quotas().usage(ADMIN, ProjectId.of("producer"));
      assertThat(usage.storedBytes()).as("%s: stored bytes", kind).isZero();
      assertThat(usage.uploadsInProgress()).as("%s: uploads in progress", kind).isZero();
    }
  }

  @Test
  void theMultihashRunsOnTheGovernancesHashingThreadsWhichEndWhenItIsClosed() throws Exception {
    List<Thread> earlier = governanceHashThreads();
    ImageGovernance g = governance(Kind.MEMORY, Long.MAX_VALUE, GovernanceConfig.defaults());
    g.data().upload(PRODUCER, queued(g).id(), ByteStream.of(SIZE, 3).open(), OptionalLong.of(SIZE));
    List<Thread> mine = governanceHashThreads();
    mine.removeAll(earlier);
    assertThat(mine).as("a hashing thread of this governance").isNotEmpty();
    assertThat(Thread.getAllStackTraces().keySet())
        .as("no hashing thread of the store itself")
        .noneMatch(t -> t.getName().startsWith("imagegov-hash-" + STORE + "-"));

    g.close();
    for (Thread t : mine) {
      t.join(); // ends once its pool is shut down and its task is done
    }
    assertThat(mine).noneMatch(Thread::isAlive);
    Image second = queued(g);
    ByteStream data = ByteStream.of(SIZE, 4);
    assertThat(g.data().upload(PRODUCER, second.id(), data.open(),
            OptionalLong.of(SIZE)).osHashValue())
        .as("a closed governance still uploads, hashing on the caller's thread")
        .hasValue(data.sha512());
  }

  private static List<Thread> governanceHashThreads() {
    List<Thread> found = new ArrayList<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (GOVERNANCE_HASH_THREAD.matcher(t.getName()).matches()) {
        found.add(t);
      }
    }
    return found;
  }

  /** Counts the bytes the upload read. */
  private static final class Counted extends ObservingInputStream {
    long read;

    Counted(InputStream in) {
      super(in);
    }

    @Override
    protected void onBytes(byte[] b, int off, int len) {
      read += len;
    }
  }
}
