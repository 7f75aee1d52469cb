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
import dev.imagegov.spi.blob.BlobStore;
import dev.imagegov.store.file.FileBlobStore;
import dev.imagegov.store.file.FileBlobStoreOptions;
import dev.imagegov.store.memory.MemoryBlobStore;
import dev.imagegov.store.memory.MemoryCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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

  /** Where the blobs live. */
  enum Stores { MEMORY, FILE }

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

  @TempDir Path dir;
  private final List<AutoCloseable> opened = new ArrayList<>();
  private Catalog catalog;
  private BlobStore blobs;

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : opened) {
      c.close();
    }
  }

  private ImageGovernance governance(Stores stores, long storeCapacity, GovernanceConfig config) {
    catalog = new MemoryCatalog();
    if (stores == Stores.MEMORY) {
      blobs = MemoryBlobStore.builder(STORE).capacity(storeCapacity).build();
    } else {
      FileBlobStore b = FileBlobStore.open(STORE, dir.resolve("blobs-" + opened.size()),
          FileBlobStoreOptions.builder().fsync(false).capacity(storeCapacity).build());
      opened.add(b);
      blobs = b;
    }
    ImageGovernance g =
        ImageGovernance.builder().catalog(catalog).blobStore(blobs).config(config).build();
    opened.add(g);
    return g;
  }

  private static Image queued(ImageGovernance g) {
    return g.images().create(PRODUCER, NewImage.builder()
        .diskFormat("raw").containerFormat("bare").build());
  }

  @ParameterizedTest
  @EnumSource(Stores.class)
  void anUploadRecordsTheJdksDigestsOfTheBytesItStored(Stores stores) throws Exception {
    ImageGovernance g = governance(stores, Long.MAX_VALUE, GovernanceConfig.defaults());
    Image image = queued(g);

    Image active = g.data().upload(
        PRODUCER, image.id(), new Bytes(SIZE, 42, -1), OptionalLong.of(SIZE));

    assertThat(active.status()).isEqualTo(ImageStatus.ACTIVE);
    assertThat(active.size()).hasValue(SIZE);
    assertThat(active.checksum()).hasValue(jdk("MD5", new Bytes(SIZE, 42, -1)));
    assertThat(active.osHashValue()).hasValue(jdk("SHA-512", new Bytes(SIZE, 42, -1)));
    try (var download = g.data().download(PRODUCER, image.id());
        InputStream stored = download.stream()) {
      assertThat(jdk("SHA-512", stored)).isEqualTo(active.osHashValue().orElseThrow());
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Failure.class)
  void aStageFailingMidStreamStopsTheUploadAndLeavesNothing(Failure failure) {
    for (Stores stores : Stores.values()) {
      long cap = failure == Failure.STORE ? 3L * MIB : Long.MAX_VALUE;
      GovernanceConfig config = failure == Failure.QUOTA
          ? GovernanceConfig.builder().userStorageQuota("3MB").build()
          : GovernanceConfig.defaults();
      ImageGovernance g = governance(stores, cap, config);
      Image image = queued(g);
      Image before = catalog.find(image.id()).orElseThrow();
      Bytes data = new Bytes(SIZE, 7, failure == Failure.SOURCE ? 3L * MIB : -1);

      Expect.fails(failure.code, () -> g.data().upload(
          PRODUCER, image.id(), data, OptionalLong.empty()));

      assertThat(data.read).as("%s: the upload stopped reading soon after the failure", stores)
          .isLessThan(SIZE);
      Image after = catalog.find(image.id()).orElseThrow();
      assertThat(after.toBuilder().version(before.version()).build())
          .as("%s: the image as it was", stores).isEqualTo(before);
      assertThat(blobs.keys()).as("%s: blobs left", stores).isEmpty();
      assertThat(blobs.capacity().used()).as("%s: bytes left in the store", stores).isZero();
      UsageReport usage = g.quotas().usage(ADMIN, ProjectId.of("producer"));
      assertThat(usage.storedBytes()).as("%s: stored bytes", stores).isZero();
      assertThat(usage.uploadsInProgress()).as("%s: uploads in progress", stores).isZero();
    }
  }

  @Test
  void theMultihashRunsOnTheGovernancesHashingThreadsWhichEndWhenItIsClosed() throws Exception {
    List<Thread> earlier = governanceHashThreads();
    ImageGovernance g = governance(Stores.MEMORY, Long.MAX_VALUE, GovernanceConfig.defaults());
    g.data().upload(PRODUCER, queued(g).id(), new Bytes(SIZE, 3, -1), OptionalLong.of(SIZE));
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
    assertThat(g.data().upload(PRODUCER, second.id(), new Bytes(SIZE, 4, -1),
            OptionalLong.of(SIZE)).osHashValue())
        .as("a closed governance still uploads, hashing on the caller's thread")
        .hasValue(jdk("SHA-512", new Bytes(SIZE, 4, -1)));
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

  private static String jdk(String algorithm, InputStream in) throws Exception {
    MessageDigest d = MessageDigest.getInstance(algorithm);
    byte[] buffer = new byte[64 * 1024];
    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
      d.update(buffer, 0, n);
    }
    return HexFormat.of().formatHex(d.digest());
  }

  /**
   * {@code size} pseudo-random bytes of a fixed seed, made as they are read; throws once {@code
   * failAt} bytes were read (unless negative). Counts what was read.
   */
  private static final class Bytes extends InputStream {
    private final long size;
    private final long failAt;
    private final byte[] block = new byte[64 * 1024];
    long read;

    Bytes(long size, long seed, long failAt) {
      this.size = size;
      this.failAt = failAt;
      new SplittableRandom(seed).nextBytes(block);
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (failAt >= 0 && read >= failAt) {
        throw new IOException("the caller's stream broke after " + read + " bytes");
      }
      if (read >= size) {
        return -1;
      }
      int at = (int) (read % block.length);
      int n = (int) Math.min(Math.min(len, block.length - at), size - read);
      System.arraycopy(block, at, b, off, n);
      read += n;
      return n;
    }
  }
}
