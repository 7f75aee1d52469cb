package dev.imagegov.store.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagegov.error.ConfigurationException;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.model.StoreId;
import dev.imagegov.spi.blob.BlobDigester;
import dev.imagegov.spi.blob.BlobKey;
import dev.imagegov.spi.blob.BlobNotFoundException;
import dev.imagegov.spi.blob.BlobWriteResult;
import dev.imagegov.spi.blob.HashAlgorithm;
import dev.imagegov.spi.blob.HashSpec;
import dev.imagegov.spi.blob.StoreFullException;
import dev.imagegov.testkit.gen.ByteStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the file blob store adds to the port: its files (a blob is a plain file in its fan-out
 * directory, beside a hash record), recovery on open (temporary files and orphaned records
 * removed, blobs and capacity kept), verification of a damaged blob, capacity from the file
 * system, the lock, and closing.
 */
class FileBlobStoreTest {
  private static final StoreId ID = StoreId.of("file");
  private static final BlobKey KEY = BlobKey.of("0a0b0c0d-0000-4000-8000-00000000000f");
  private static final FileBlobStoreOptions FAST =
      FileBlobStoreOptions.builder().fsync(false).build();

  @TempDir Path dir;

  private FileBlobStore store;

  private FileBlobStore open(FileBlobStoreOptions options) {
    store = FileBlobStore.open(ID, dir, options);
    return store;
  }

  private FileBlobStore reopen() {
    store.close();
    return open(FAST);
  }

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
  }

  private static BlobWriteResult write(FileBlobStore s, BlobKey key, long size, long seed)
      throws IOException {
    return s.write(
        key, ByteStream.of(size, seed).openInUnevenReads(), Long.MAX_VALUE, HashSpec.defaults());
  }

  private List<Path> files() {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private List<Path> temporaryFiles() {
    return files().stream()
        .filter(f -> f.getFileName().toString().startsWith(FileBlobStore.TEMP_PREFIX))
        .toList();
  }

  private static GovernanceException refusal(Runnable call) {
    try {
      call.run();
    } catch (GovernanceException e) {
      return e;
    }
    throw new AssertionError("the call was not refused");
  }

  /** Flips the bits of one byte of {@code file} at {@code position}. */
  private static void flip(Path file, long position) throws IOException {
    try (FileChannel channel =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      java.nio.ByteBuffer one = java.nio.ByteBuffer.allocate(1);
      channel.read(one, position);
      one.flip();
      byte b = one.get();
      channel.write(java.nio.ByteBuffer.wrap(new byte[] {(byte) ~b}), position);
    }
  }

  // files

  @Test
  void aBlobIsAPlainFileInItsFanOutDirectoryBesideAHashRecord() throws IOException {
    FileBlobStore s = open(FileBlobStoreOptions.defaults());
    BlobWriteResult r = write(s, KEY, 70_000, 1);

    Path blob = s.blobPath(KEY);
    assertThat(blob.getParent().getParent().getParent()).isEqualTo(dir.resolve("blobs"));
    assertThat(blob.getParent().getFileName().toString()).matches("[0-9a-f]{2}");
    assertThat(Files.readAllBytes(blob)).isEqualTo(ByteStream.of(70_000, 1).bytes());
    assertThat(r.url()).isEqualTo(blob.toUri().toString());
    String record = Files.readString(s.recordPath(KEY), StandardCharsets.UTF_8);
    assertThat(record)
        .contains("\"format\":1", "\"key\":\"" + KEY + "\"", "\"size\":70000",
            "\"checksum\":\"" + r.checksum() + "\"", "\"os_hash_algo\":\"sha512\"",
            "\"os_hash_value\":\"" + r.multihash() + "\"");
    assertThat(temporaryFiles()).isEmpty();
    assertThat(files()).containsExactlyInAnyOrder(
        dir.resolve("LOCK"), blob, s.recordPath(KEY));
  }

  @Test
  void theFanOutIsStableAndSpreadsKeys() {
    assertThat(FileBlobStore.leafOf(dir, "blobs", BlobKey.of("a")))
        .isEqualTo(FileBlobStore.leafOf(dir, "blobs", BlobKey.of("a")));
    long leaves =
        java.util.stream.IntStream.range(0, 200)
            .mapToObj(i -> FileBlobStore.leafOf(dir, "blobs", BlobKey.of("k" + i)))
            .distinct()
            .count();
    assertThat(leaves).isGreaterThan(190);
  }

  @Test
  void aFailedWriteLeavesNoTemporaryFile() {
    FileBlobStore s = open(FAST);
    InputStream failing = ByteStream.of(500_000, 1).failingAfter(300_000);
    assertThatThrownBy(() -> s.write(KEY, failing, Long.MAX_VALUE, HashSpec.defaults()))
        .hasMessageContaining("client went away");
    assertThatThrownBy(
            () ->
                s.write(KEY, ByteStream.of(2000, 1).openInUnevenReads(), 1999, HashSpec.defaults()))
        .isInstanceOf(dev.imagegov.spi.blob.BlobTooLargeException.class);
    assertThat(temporaryFiles()).isEmpty();
    assertThat(files()).containsExactly(dir.resolve("LOCK"));
  }

  @Test
  void anInterruptedWriteLeavesNothing() throws Exception {
    FileBlobStore s = open(FAST);
    CountDownLatch started = new CountDownLatch(1);
    InputStream endless =
        new InputStream() {
          @Override
          public int read() {
            return 1;
          }

          @Override
          public int read(byte[] b, int off, int len) {
            started.countDown();
            Arrays.fill(b, off, off + len, (byte) 7);
            return len;
          }
        };
    Throwable[] failure = new Throwable[1];
    Thread writer = new Thread(() -> {
      try {
        s.write(KEY, endless, Long.MAX_VALUE, HashSpec.defaults());
      } catch (Throwable t) {
        failure[0] = t;
      }
    });
    writer.start();
    started.await();
    writer.interrupt();
    writer.join();
    assertThat(failure[0]).isInstanceOf(IOException.class);
    assertThat(s.exists(KEY)).isFalse();
    assertThat(s.capacity().used()).isZero();
    assertThat(temporaryFiles()).isEmpty();
  }

  // recovery

  @Test
  void reopeningKeepsEveryBlobAndItsCapacity() throws IOException {
    FileBlobStore s = open(FAST);
    write(s, KEY, 10_000, 1);
    write(s, BlobKey.of("b"), 0, 2);
    write(s, BlobKey.of("c"), 5_000, 3);
    s.delete(BlobKey.of("c"));

    FileBlobStore again = reopen();
    assertThat(again.keys()).containsExactlyInAnyOrder(KEY, BlobKey.of("b"));
    assertThat(again.size(KEY)).hasValue(10_000);
    assertThat(again.size(BlobKey.of("b"))).hasValue(0);
    assertThat(again.capacity().used()).isEqualTo(10_000);
    try (InputStream in = again.read(KEY)) {
      assertThat(ByteStream.of(10_000, 1).sameBytesAs(in)).isTrue();
    }
    assertThat(again.verifyAll()).allMatch(BlobVerification::intact).hasSize(2);
  }

  @Test
  void openingRemovesWhatACrashLeftAndNothingElse() throws IOException {
    FileBlobStore s = open(FAST);
    write(s, KEY, 1000, 1);
    Path leaf = s.blobPath(BlobKey.of("orphan")).getParent();
    Path recordLeaf = s.recordPath(BlobKey.of("orphan")).getParent();
    s.close();
    // A write cut short: its temporary blob and record, and a record renamed before its blob.
    Files.createDirectories(leaf);
    Files.createDirectories(recordLeaf);
    Files.write(leaf.resolve(FileBlobStore.TEMP_PREFIX + "1234"), new byte[100]);
    Files.write(recordLeaf.resolve(FileBlobStore.TEMP_PREFIX + "5678"), new byte[10]);
    Files.write(recordLeaf.resolve("orphan"), new byte[10]);
    // Something the store did not write: left alone, and not a blob.
    Path stranger = dir.resolve("blobs").resolve("README");
    Files.writeString(stranger, "hello");

    FileBlobStore again = open(FAST);
    assertThat(again.keys()).containsExactly(KEY);
    assertThat(again.capacity().used()).isEqualTo(1000);
    assertThat(temporaryFiles()).isEmpty();
    assertThat(recordLeaf.resolve("orphan")).doesNotExist();
    assertThat(stranger).exists();
    assertThat(again.verify(KEY).intact()).isTrue();
  }

  // verification

  @Test
  void aFlippedByteIsReportedByVerification() throws IOException {
    FileBlobStore s = open(FAST);
    write(s, KEY, 300_000, 1);
    write(s, BlobKey.of("other"), 1000, 2);
    assertThat(s.verify(KEY).status()).isEqualTo(BlobVerification.Status.INTACT);

    flip(s.blobPath(KEY), 123_456);

    BlobVerification v = s.verify(KEY);
    assertThat(v.status()).isEqualTo(BlobVerification.Status.CORRUPT);
    assertThat(v.detail()).contains(KEY.value(), "MD5", "sha512");
    assertThat(s.verifyAll())
        .filteredOn(o -> !o.intact())
        .extracting(BlobVerification::key)
        .containsExactly(KEY);
    // Still after a reopen: the record on disk, not the memory of the write, is the reference.
    assertThat(reopen().verify(KEY).status()).isEqualTo(BlobVerification.Status.CORRUPT);
  }

  @Test
  void aTruncatedBlobIsReportedAndItsReadsFail() throws IOException {
    FileBlobStore s = open(FAST);
    write(s, KEY, 50_000, 1);
    try (FileChannel channel = FileChannel.open(s.blobPath(KEY), StandardOpenOption.WRITE)) {
      channel.truncate(40_000);
    }
    BlobVerification v = s.verify(KEY);
    assertThat(v.status()).isEqualTo(BlobVerification.Status.CORRUPT);
    assertThat(v.size()).isEqualTo(40_000);
    assertThat(v.detail()).contains("40000 bytes", "50000");
  }

  @Test
  void verificationAgainstTheCatalogsHashesReportsAMismatch() throws IOException {
    FileBlobStore s = open(FAST);
    BlobWriteResult r = write(s, KEY, 20_000, 1);
    BlobDigester.Digests asWritten =
        new BlobDigester.Digests(r.checksum(), r.multihashAlgorithm(), r.multihash());
    assertThat(s.verify(KEY, asWritten).intact()).isTrue();
    BlobDigester.Digests sha256 =
        new BlobDigester.Digests(r.checksum(), HashAlgorithm.of("sha256"),
            ByteStream.digest("SHA-256", ByteStream.of(20_000, 1).open()));
    assertThat(s.verify(KEY, sha256).intact()).isTrue();

    BlobDigester.Digests other =
        new BlobDigester.Digests(r.checksum(), r.multihashAlgorithm(), "00" + r.multihash()
            .substring(2));
    BlobVerification v = s.verify(KEY, other);
    assertThat(v.status()).isEqualTo(BlobVerification.Status.CORRUPT);
    assertThat(v.detail()).contains("expected");
  }

  @Test
  void aBlobWithoutAReadableHashRecordIsUnrecorded() throws IOException {
    FileBlobStore s = open(FAST);
    write(s, KEY, 1000, 1);
    write(s, BlobKey.of("b"), 1000, 2);
    Files.delete(s.recordPath(KEY));
    Files.writeString(s.recordPath(BlobKey.of("b")), "{\"format\":1,\"key\":\"b\"}");

    assertThat(s.verify(KEY).status()).isEqualTo(BlobVerification.Status.UNRECORDED);
    assertThat(s.verify(KEY).detail()).contains("no hash record");
    assertThat(s.verify(BlobKey.of("b")).status())
        .isEqualTo(BlobVerification.Status.UNRECORDED);
    assertThat(s.verify(BlobKey.of("b")).detail()).contains("damaged", "size");
    assertThatThrownBy(() -> s.verify(BlobKey.of("none")))
        .isInstanceOf(BlobNotFoundException.class);
  }

  // reads

  @Test
  void transferToCopiesARangeThroughTheChannel() throws IOException {
    FileBlobStore s = open(FAST);
    write(s, KEY, 200_000, 9);
    byte[] data = ByteStream.of(200_000, 9).bytes();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(s.transferTo(KEY, 1_000, 150_000, Channels.newChannel(out))).isEqualTo(150_000);
    assertThat(out.toByteArray()).isEqualTo(Arrays.copyOfRange(data, 1_000, 151_000));

    Path copy = dir.resolve("copy");
    try (FileChannel target =
        FileChannel.open(copy, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      s.transferTo(KEY, 0, 200_000, target);
    }
    assertThat(Files.readAllBytes(copy)).isEqualTo(data);
    assertThatThrownBy(() -> s.transferTo(KEY, 199_999, 2, Channels.newChannel(out)))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> s.transferTo(BlobKey.of("none"), 0, 0, Channels.newChannel(out)))
        .isInstanceOf(BlobNotFoundException.class);
  }

  // capacity

  @Test
  void capacityIsWhatTheStoreHoldsPlusTheFileSystemsUsableSpaceLessTheReserve()
      throws IOException {
    long usable = Files.getFileStore(dir).getUsableSpace();
    FileBlobStore s = open(FileBlobStoreOptions.builder().fsync(false).reserveBytes(1 << 20)
        .build());
    write(s, KEY, 100_000, 1);
    var capacity = s.capacity();
    assertThat(capacity.used()).isEqualTo(100_000);
    // The file system's usable space moves with other writers on the machine: compare loosely.
    assertThat(capacity.total()).isBetween(usable / 2, usable + 100_000);
    assertThat(capacity.free()).isLessThan(usable);
  }

  @Test
  void aReserveLargerThanTheFileSystemRefusesEveryWrite() throws IOException {
    long usable = Files.getFileStore(dir).getUsableSpace();
    FileBlobStore s = open(FileBlobStoreOptions.builder().fsync(false)
        .reserveBytes(usable + (1L << 40)).build());
    assertThat(s.capacity().free()).isZero();
    assertThatThrownBy(() -> write(s, KEY, 1, 1)).isInstanceOf(StoreFullException.class);
    assertThat(s.exists(KEY)).isFalse();
    assertThat(temporaryFiles()).isEmpty();
    s.write(KEY, ByteStream.of(0, 1).openInUnevenReads(), 0, HashSpec.defaults());
    assertThat(s.size(KEY)).hasValue(0);
  }

  @Test
  void badOptionsAreABadConfiguration() {
    assertThatThrownBy(() -> FileBlobStoreOptions.builder().reserveBytes(-1).build())
        .isInstanceOf(ConfigurationException.class);
    assertThatThrownBy(() -> FileBlobStoreOptions.builder().capacity(-1).build())
        .isInstanceOf(ConfigurationException.class);
    assertThatThrownBy(() -> FileBlobStoreOptions.builder().chunkSize(0).build())
        .isInstanceOf(ConfigurationException.class);
  }

  // locking and closing

  @Test
  void aSecondStoreOnTheSameDirectoryIsRefusedNamingTheHolder() {
    open(FAST);
    GovernanceException e = refusal(() -> FileBlobStore.open(StoreId.of("other"), dir, FAST));
    assertThat(e.code()).isEqualTo(StoreErrorCode.STORE_LOCKED);
    assertThat(e.getMessage())
        .contains("blob store", "process " + ProcessHandle.current().pid(), dir.toString());
    GovernanceException catalog = refusal(() -> FileCatalog.open(dir));
    assertThat(catalog.code()).isEqualTo(StoreErrorCode.CATALOG_LOCKED);
    assertThat(catalog.getMessage()).contains("a blob store of process");
    store.close();
    open(FAST);
  }

  @Test
  void aClosedStoreRefusesEveryCallButOpenStreamsFinish() throws IOException {
    FileBlobStore s = open(FAST);
    write(s, KEY, 10_000, 1);
    InputStream open = s.read(KEY);
    s.close();
    s.close();
    assertThat(refusal(() -> s.keys()).code()).isEqualTo(StoreErrorCode.STORE_FAILED);
    assertThat(refusal(() -> s.capacity()).code()).isEqualTo(StoreErrorCode.STORE_FAILED);
    assertThatThrownBy(() -> write(s, BlobKey.of("b"), 1, 1))
        .isInstanceOf(GovernanceException.class);
    assertThat(ByteStream.of(10_000, 1).sameBytesAs(open)).isTrue();
    open.close();
  }
}
