package dev.imagegov.store.file;

import com.google.common.hash.Hashing;
import com.google.common.util.concurrent.Striped;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.model.StoreId;
import dev.imagegov.spi.blob.BlobDigester;
import dev.imagegov.spi.blob.BlobExistsException;
import dev.imagegov.spi.blob.BlobKey;
import dev.imagegov.spi.blob.BlobNotFoundException;
import dev.imagegov.spi.blob.BlobStore;
import dev.imagegov.spi.blob.BlobTransfer;
import dev.imagegov.spi.blob.BlobWriteResult;
import dev.imagegov.spi.blob.Capacity;
import dev.imagegov.spi.blob.HashAlgorithm;
import dev.imagegov.spi.blob.HashSpec;
import dev.imagegov.spi.blob.StoreFullException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A {@link BlobStore} in a directory of the local file system, for a single-node deployment.
 * Each blob is a plain file holding exactly its bytes, named by its key under a two-level
 * fan-out of directories, with a small hash record beside it in a parallel tree. Every guarantee
 * of the port holds, and across crashes too:
 *
 * <ul>
 *   <li>A write streams to a temporary file in the blob's own directory, hashing on the way,
 *       forces it, writes and forces the hash record the same way, and then renames both into
 *       place with {@code ATOMIC_MOVE} (record first), forcing each directory. A blob is visible
 *       only once its file is in place, so a crash never shows a partial blob, and an
 *       acknowledged blob (a write that returned, with {@link FileBlobStoreOptions#fsync()} on)
 *       survives a process crash, a kernel crash or a power loss.
 *   <li>A write that fails for any reason removes its temporary files and releases its
 *       capacity. Temporary files left by a crash are removed when the store is opened.
 *   <li>Reads are positional {@link FileChannel} reads of the range asked for (no buffering of
 *       the whole blob), and {@link InputStream#transferTo} and {@link #transferTo(BlobKey, long,
 *       long, WritableByteChannel)} use {@link FileChannel#transferTo}. A stream keeps reading
 *       the blob it opened even if it is deleted meanwhile (an open file outlives its name).
 *   <li>{@link #verify} rehashes a blob and compares it with its hash record (and with the
 *       hashes a caller expects, such as the catalog's {@code checksum} and {@code
 *       os_hash_value}), reporting a blob whose bytes no longer match.
 *   <li>Capacity is the bytes this store holds plus the file system's usable space, less
 *       {@link FileBlobStoreOptions#reserveBytes()}, and at most {@link
 *       FileBlobStoreOptions#capacity()}.
 * </ul>
 *
 * <p>Thread-safe: writes of different keys and all reads run in parallel. One store at a time
 * holds a directory: a second opener, in this or another process, fails at once with {@link
 * StoreErrorCode#STORE_LOCKED} naming the holder. The directory must be on a case-sensitive file
 * system (keys differing in case are different blobs); opening checks it. The on-disk layout
 * and recovery rules are described in the module's README.
 */
public final class FileBlobStore implements BlobStore, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(FileBlobStore.class.getName());

  /** The tree of blob files. */
  static final String BLOBS = "blobs";
  /** The parallel tree of hash records. */
  static final String HASHES = "hashes";
  /** Names of temporary files start with this; no key does (keys never start with a dot). */
  static final String TEMP_PREFIX = ".tmp-";

  private static final Pattern FAN_OUT = Pattern.compile("[0-9a-f]{2}");
  private static final int VERIFY_BUFFER = 1 << 20;

  private final StoreId id;
  private final Path dir;
  private final Path blobs;
  private final Path hashes;
  private final FileBlobStoreOptions options;
  private final DirectoryLock lock;
  private final FileStore fileStore;
  private final @Nullable Executor hashExecutor;
  private final @Nullable ExecutorService ownedPool;
  /** The completely written blobs and their sizes. */
  private final ConcurrentHashMap<BlobKey, Long> index;
  /** Keys being written: a second write of one is refused. */
  private final Set<BlobKey> writing = ConcurrentHashMap.newKeySet();
  /** Serialises publishing and deleting a key. */
  private final Striped<Lock> keyLocks = Striped.lock(256);
  /** Fan-out directories known to exist. */
  private final Set<Path> directories = ConcurrentHashMap.newKeySet();
  /** Bytes of stored blobs plus bytes reserved by writes in progress. */
  private final AtomicLong used;
  private final AtomicBoolean closed = new AtomicBoolean();

  private FileBlobStore(
      StoreId id,
      Path dir,
      FileBlobStoreOptions options,
      DirectoryLock lock,
      FileStore fileStore,
      ConcurrentHashMap<BlobKey, Long> index,
      long used) {
    this.id = id;
    this.dir = dir;
    this.blobs = dir.resolve(BLOBS);
    this.hashes = dir.resolve(HASHES);
    this.options = options;
    this.lock = lock;
    this.fileStore = fileStore;
    this.index = index;
    this.used = new AtomicLong(used);
    if (options.inlineHashing()) {
      this.hashExecutor = null;
      this.ownedPool = null;
    } else if (options.hashExecutor().isPresent()) {
      this.hashExecutor = options.hashExecutor().get();
      this.ownedPool = null;
    } else {
      this.ownedPool = pool(id);
      this.hashExecutor = ownedPool;
    }
  }

  /**
   * Opens (creating if needed) the store {@code id} in {@code dir} with the default options.
   *
   * @param id the store's id
   * @param dir the directory that holds the files
   * @return the open store, holding its directory's lock until closed
   */
  public static FileBlobStore open(StoreId id, Path dir) {
    return open(id, dir, FileBlobStoreOptions.defaults());
  }

  /**
   * Opens (creating if needed) the store {@code id} in {@code dir}: takes its lock, removes the
   * temporary files and orphaned hash records a crash left, and indexes the blobs.
   *
   * @param id the store's id
   * @param dir the directory that holds the files
   * @param options the reserve, chunk size and hashing of the store
   * @return the open store, holding its directory's lock until closed
   * @throws GovernanceException {@link StoreErrorCode#STORE_LOCKED} if another store holds the
   *     directory; {@link StoreErrorCode#STORE_FAILED} if it cannot be read or written, or is on a
   *     case-insensitive file system
   */
  public static FileBlobStore open(StoreId id, Path dir, FileBlobStoreOptions options) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(options, "options");
    DirectoryLock lock;
    try {
      Files.createDirectories(dir);
      lock = DirectoryLock.acquire(dir, Instant.now(), DirectoryLock.Holder.BLOB_STORE);
    } catch (IOException e) {
      throw failed("could not open the blob store directory " + dir, e);
    }
    try {
      checkCaseSensitive(dir);
      for (String tree : List.of(BLOBS, HASHES)) {
        if (!Files.isDirectory(dir.resolve(tree))) {
          Files.createDirectories(dir.resolve(tree));
          if (options.fsync()) {
            DiskFiles.forceDirectory(dir);
          }
        }
      }
      ConcurrentHashMap<BlobKey, Long> index = new ConcurrentHashMap<>();
      long used = recover(dir, options.fsync(), index);
      return new FileBlobStore(id, dir, options, lock, Files.getFileStore(dir), index, used);
    } catch (IOException e) {
      closeQuietly(lock);
      throw failed("could not open the blob store in " + dir, e);
    } catch (RuntimeException | Error e) {
      closeQuietly(lock);
      throw e;
    }
  }

  /** Refuses a file system that does not tell {@code LOCK} from {@code lock}. */
  private static void checkCaseSensitive(Path dir) throws IOException {
    Path upper = dir.resolve(DirectoryLock.FILE_NAME);
    Path lower = dir.resolve(DirectoryLock.FILE_NAME.toLowerCase(java.util.Locale.ROOT));
    if (Files.exists(lower) && Files.isSameFile(upper, lower)) {
      throw GovernanceException.of(
          StoreErrorCode.STORE_FAILED,
          "The blob store directory " + dir + " is on a case-insensitive file system, where"
              + " keys differing only in case would overwrite each other; use a case-sensitive"
              + " one.");
    }
  }

  /**
   * Indexes the blob files, deletes temporary files and hash records without a blob; returns
   * the bytes the blobs hold. Files that are neither are left alone (and logged).
   */
  private static long recover(Path dir, boolean fsync, Map<BlobKey, Long> index)
      throws IOException {
    long total = 0;
    for (Path leaf : leaves(dir.resolve(BLOBS))) {
      boolean changed = false;
      for (Path file : list(leaf)) {
        String name = file.getFileName().toString();
        if (name.startsWith(TEMP_PREFIX)) {
          Files.deleteIfExists(file);
          changed = true;
          continue;
        }
        BlobKey key = keyOf(name);
        if (key == null || !Files.isRegularFile(file) || !leaf.equals(leafOf(dir, BLOBS, key))) {
          LOG.log(Level.WARNING, "Ignoring {0}: not a blob of this store", file);
          continue;
        }
        long size = Files.size(file);
        index.put(key, size);
        total += size;
      }
      if (changed && fsync) {
        DiskFiles.forceDirectory(leaf);
      }
    }
    for (Path leaf : leaves(dir.resolve(HASHES))) {
      boolean changed = false;
      for (Path file : list(leaf)) {
        String name = file.getFileName().toString();
        BlobKey key = name.startsWith(TEMP_PREFIX) ? null : keyOf(name);
        if (name.startsWith(TEMP_PREFIX)
            || (key != null && !index.containsKey(key) && Files.isRegularFile(file)
                && leaf.equals(leafOf(dir, HASHES, key)))) {
          // A temporary file, or the record of a blob whose write or delete a crash cut short.
          Files.deleteIfExists(file);
          changed = true;
        }
      }
      if (changed && fsync) {
        DiskFiles.forceDirectory(leaf);
      }
    }
    return total;
  }

  /** The fan-out directories two levels under {@code root}. */
  private static List<Path> leaves(Path root) throws IOException {
    List<Path> leaves = new ArrayList<>();
    for (Path first : list(root)) {
      if (FAN_OUT.matcher(first.getFileName().toString()).matches()
          && Files.isDirectory(first)) {
        for (Path second : list(first)) {
          if (FAN_OUT.matcher(second.getFileName().toString()).matches()
              && Files.isDirectory(second)) {
            leaves.add(second);
          }
        }
      }
    }
    return leaves;
  }

  private static List<Path> list(Path dir) throws IOException {
    List<Path> entries = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      stream.forEach(entries::add);
    }
    return entries;
  }

  private static @Nullable BlobKey keyOf(String name) {
    try {
      return BlobKey.of(name);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * The fan-out directory of {@code key} in {@code tree}: the first two bytes of the SHA-256 of
   * the key's UTF-8 bytes, in lower-case hex, one directory level each.
   */
  static Path leafOf(Path dir, String tree, BlobKey key) {
    byte[] hash = Hashing.sha256().hashString(key.value(), StandardCharsets.UTF_8).asBytes();
    HexFormat hex = HexFormat.of();
    return dir.resolve(tree)
        .resolve(hex.toHexDigits(hash[0]))
        .resolve(hex.toHexDigits(hash[1]));
  }

  /** Where the bytes of {@code key} are. */
  Path blobPath(BlobKey key) {
    return leafOf(dir, BLOBS, key).resolve(key.value());
  }

  /** Where the hash record of {@code key} is. */
  Path recordPath(BlobKey key) {
    return leafOf(dir, HASHES, key).resolve(key.value());
  }

  private static ExecutorService pool(StoreId id) {
    AtomicInteger n = new AtomicInteger();
    return Executors.newCachedThreadPool(
        r -> {
          Thread t = new Thread(r, "imagegov-hash-" + id + "-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  private static void closeQuietly(DirectoryLock lock) {
    try {
      lock.close();
    } catch (IOException e) {
      LOG.log(Level.WARNING, "Could not release the blob store lock", e);
    }
  }

  private static GovernanceException failed(String what, IOException e) {
    return GovernanceException.of(StoreErrorCode.STORE_FAILED, what + ": " + e, e);
  }

  @Override
  public StoreId id() {
    return id;
  }

  /** {@return the directory the store is in} */
  public Path directory() {
    return dir;
  }

  // ------------------------------------------------------------------------------------ write

  @Override
  public BlobWriteResult write(BlobKey key, InputStream in, long maxBytes, HashSpec hashes)
      throws IOException {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(hashes, "hashes");
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes must not be negative: " + maxBytes);
    }
    ensureOpen();
    // Claim the key first, then look for a finished blob: a finished write publishes before it
    // releases its claim, so one of the two checks always sees it.
    if (!writing.add(key)) {
      throw new BlobExistsException("blob " + key + " is being written in store " + id);
    }
    Path blobDir = leafOf(dir, BLOBS, key);
    Path recordDir = leafOf(dir, HASHES, key);
    Path blobTemp = null;
    Path recordTemp = null;
    long[] reserved = {0};
    boolean published = false;
    try {
      if (index.containsKey(key)) {
        throw new BlobExistsException("blob " + key + " exists in store " + id);
      }
      ensureDirectory(blobDir);
      ensureDirectory(recordDir);
      blobTemp = blobDir.resolve(TEMP_PREFIX + UUID.randomUUID());
      BlobDigester digester =
          hashExecutor == null
              ? BlobDigester.inline(hashes)
              : BlobDigester.forWrite(hashes, hashExecutor);
      long size;
      try (FileChannel out =
          FileChannel.open(blobTemp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        size =
            BlobTransfer.transfer(
                in,
                maxBytes,
                options.chunkSize(),
                digester,
                (chunk, length) -> {
                  reserve(length);
                  reserved[0] += length;
                  append(out, chunk, length);
                  return false;
                });
        if (options.fsync()) {
          out.force(true);
        }
      }
      BlobDigester.Digests digests = digester.finish();
      recordTemp = recordDir.resolve(TEMP_PREFIX + UUID.randomUUID());
      writeAndForce(recordTemp, new BlobRecord(key, size, digests).encode());
      Lock keyLock = keyLocks.get(key);
      keyLock.lock();
      try {
        publish(key, blobTemp, recordTemp, blobDir, recordDir);
        blobTemp = null;
        recordTemp = null;
        index.put(key, size);
        published = true;
      } finally {
        keyLock.unlock();
      }
      return new BlobWriteResult(
          key, url(key), size, digests.checksum(), digests.algorithm(), digests.multihash());
    } finally {
      if (!published) {
        deleteQuietly(blobTemp);
        deleteQuietly(recordTemp);
        used.addAndGet(-reserved[0]);
      }
      writing.remove(key);
    }
  }

  /**
   * Renames the hash record, then the blob into place, forcing each directory; if the blob's
   * rename fails, removes the record again. Holds the key's lock.
   */
  private void publish(BlobKey key, Path blobTemp, Path recordTemp, Path blobDir, Path recordDir)
      throws IOException {
    Path record = recordDir.resolve(key.value());
    Files.move(recordTemp, record, StandardCopyOption.ATOMIC_MOVE);
    try {
      if (options.fsync()) {
        DiskFiles.forceDirectory(recordDir);
      }
      Files.move(blobTemp, blobDir.resolve(key.value()), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      deleteQuietly(record);
      throw e;
    }
    if (options.fsync()) {
      DiskFiles.forceDirectory(blobDir);
    }
  }

  private void reserve(long bytes) throws StoreFullException {
    while (true) {
      long u = used.get();
      long total = total(u);
      if (bytes > total - u) {
        throw new StoreFullException(
            "store " + id + " is full: " + u + " of " + total + " bytes used");
      }
      if (used.compareAndSet(u, u + bytes)) {
        return;
      }
    }
  }

  /** Writes {@code length} bytes of {@code chunk} at the channel's position. */
  private void append(FileChannel out, byte[] chunk, int length) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(chunk, 0, length);
    try {
      while (buffer.hasRemaining()) {
        out.write(buffer);
      }
    } catch (IOException e) {
      if (usableSpace() < buffer.remaining()) {
        StoreFullException full =
            new StoreFullException("store " + id + " is full: its file system has no space left");
        full.initCause(e);
        throw full;
      }
      throw e;
    }
  }

  private void writeAndForce(Path file, byte[] bytes) throws IOException {
    try (FileChannel out =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      DiskFiles.writeFully(out, bytes, 0);
      if (options.fsync()) {
        out.force(true);
      }
    }
  }

  /** Creates a fan-out directory if needed, forcing its parents' entries. */
  private void ensureDirectory(Path leaf) throws IOException {
    if (directories.contains(leaf)) {
      return;
    }
    if (!Files.isDirectory(leaf)) {
      Path first = leaf.getParent();
      boolean newFirst = !Files.isDirectory(first);
      Files.createDirectories(leaf);
      if (options.fsync()) {
        DiskFiles.forceDirectory(first);
        if (newFirst) {
          DiskFiles.forceDirectory(first.getParent());
        }
      }
    }
    directories.add(leaf);
  }

  private static void deleteQuietly(@Nullable Path file) {
    if (file == null) {
      return;
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.log(Level.WARNING, "Could not delete " + file + "; opening the store removes it", e);
    }
  }

  // ------------------------------------------------------------------------------------- read

  @Override
  public InputStream read(BlobKey key) throws IOException {
    FileChannel channel = openBlob(key);
    return new RangeInputStream(channel, 0, channel.size(), key);
  }

  @Override
  public InputStream read(BlobKey key, long offset, long length) throws IOException {
    FileChannel channel = openBlob(key);
    try {
      Objects.checkFromIndexSize(offset, length, channel.size());
    } catch (IndexOutOfBoundsException e) {
      channel.close();
      throw e;
    }
    return new RangeInputStream(channel, offset, offset + length, key);
  }

  /**
   * Copies {@code length} bytes of the blob from {@code offset} to {@code target} with {@link
   * FileChannel#transferTo} (which the operating system may do without copying through this
   * process, for example to a socket or a file).
   *
   * @param key the blob's key in this store
   * @param offset the first byte to read, counted from 0
   * @param length how many bytes to read
   * @param target the channel the bytes go to; not closed
   * @return the bytes copied, {@code length}
   * @throws BlobNotFoundException if {@code key} holds no blob
   * @throws IndexOutOfBoundsException if the range does not lie within the blob
   * @throws IOException if the blob or the target fails
   */
  public long transferTo(BlobKey key, long offset, long length, WritableByteChannel target)
      throws IOException {
    Objects.requireNonNull(target, "target");
    try (FileChannel channel = openBlob(key)) {
      Objects.checkFromIndexSize(offset, length, channel.size());
      return transfer(channel, offset, offset + length, target, key);
    }
  }

  private long transfer(
      FileChannel channel, long from, long end, WritableByteChannel target, BlobKey key)
      throws IOException {
    long position = from;
    while (position < end) {
      long n = channel.transferTo(position, end - position, target);
      if (n <= 0) {
        if (position >= channel.size()) {
          throw endedEarly(key, position, end);
        }
        // A non-blocking target that took nothing: try again.
        Thread.onSpinWait();
        continue;
      }
      position += n;
    }
    return end - from;
  }

  private IOException endedEarly(BlobKey key, long position, long end) {
    return new IOException(
        "blob " + key + " in store " + id + " ended at byte " + position + " before " + end
            + ": it was truncated on disk (damaged)");
  }

  private FileChannel openBlob(BlobKey key) throws IOException {
    Objects.requireNonNull(key, "key");
    ensureOpen();
    if (!index.containsKey(key)) {
      throw notFound(key);
    }
    try {
      return FileChannel.open(blobPath(key), StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw notFound(key);
    }
  }

  private BlobNotFoundException notFound(BlobKey key) {
    return new BlobNotFoundException("no blob " + key + " in store " + id);
  }

  @Override
  public OptionalLong size(BlobKey key) {
    Objects.requireNonNull(key, "key");
    ensureOpen();
    Long size = index.get(key);
    return size == null ? OptionalLong.empty() : OptionalLong.of(size);
  }

  @Override
  public List<BlobKey> keys() {
    ensureOpen();
    return List.copyOf(index.keySet());
  }

  /** The {@code file://} URL of the blob's file. */
  @Override
  public String url(BlobKey key) {
    return blobPath(Objects.requireNonNull(key, "key")).toAbsolutePath().toUri().toString();
  }

  // ----------------------------------------------------------------------------------- delete

  @Override
  public boolean delete(BlobKey key) throws IOException {
    Objects.requireNonNull(key, "key");
    ensureOpen();
    Lock keyLock = keyLocks.get(key);
    keyLock.lock();
    try {
      Long size = index.remove(key);
      if (size == null) {
        return false;
      }
      try {
        Files.deleteIfExists(blobPath(key));
      } catch (IOException | RuntimeException e) {
        index.put(key, size);
        throw e;
      }
      used.addAndGet(-size);
      if (options.fsync()) {
        DiskFiles.forceDirectory(blobPath(key).getParent());
      }
      // The blob is gone; a record left by a failure here is removed on the next open.
      deleteQuietly(recordPath(key));
      return true;
    } finally {
      keyLock.unlock();
    }
  }

  // --------------------------------------------------------------------------------- capacity

  @Override
  public Capacity capacity() {
    ensureOpen();
    long u = used.get();
    return new Capacity(total(u), u);
  }

  /**
   * What the store can hold when it holds {@code used} bytes: those plus the file system's usable
   * space less the reserve, at most the configured capacity.
   */
  private long total(long used) {
    long room = Math.max(0, usableSpace() - options.reserveBytes());
    long total = used > Long.MAX_VALUE - room ? Long.MAX_VALUE : used + room;
    return options.capacity().isPresent()
        ? Math.min(total, options.capacity().getAsLong())
        : total;
  }

  private long usableSpace() {
    try {
      return fileStore.getUsableSpace();
    } catch (IOException e) {
      LOG.log(Level.WARNING, "Could not read the usable space of " + dir + "; assuming none", e);
      return 0;
    }
  }

  // ----------------------------------------------------------------------------- verification

  /**
   * Rehashes the blob under {@code key} and compares its size and hashes with its hash record.
   *
   * @param key the blob's key in this store
   * @return what the rehash found: intact, corrupt (with what differed) or unrecorded
   * @throws BlobNotFoundException if {@code key} holds no blob
   * @throws IOException if the blob cannot be read
   */
  public BlobVerification verify(BlobKey key) throws IOException {
    return check(key, null);
  }

  /**
   * Rehashes the blob under {@code key} and compares it with its hash record and with {@code
   * expected} (for example the catalog image's {@code checksum}, {@code os_hash_algo} and {@code
   * os_hash_value}); a mismatch with either is {@link BlobVerification.Status#CORRUPT}.
   *
   * @param key the blob's key in this store
   * @param expected the digests the blob must also match (for example the catalog's checksum and
   *     multihash)
   * @return what the rehash found: intact, corrupt (with what differed) or unrecorded
   * @throws BlobNotFoundException if {@code key} holds no blob
   * @throws IOException if the blob cannot be read
   */
  public BlobVerification verify(BlobKey key, BlobDigester.Digests expected) throws IOException {
    return check(key, Objects.requireNonNull(expected, "expected"));
  }

  /**
   * Verifies every blob ({@link #verify(BlobKey)}), in key order; blobs deleted during the pass
   * are left out.
   *
   * @return one outcome per blob; the damaged ones are those not {@link
   *     BlobVerification#intact()}
   * @throws IOException if a blob cannot be read
   */
  public List<BlobVerification> verifyAll() throws IOException {
    List<BlobVerification> outcomes = new ArrayList<>();
    for (BlobKey key : keys().stream().sorted().toList()) {
      try {
        outcomes.add(verify(key));
      } catch (BlobNotFoundException e) {
        // Deleted meanwhile.
      }
    }
    return outcomes;
  }

  private BlobVerification check(BlobKey key, BlobDigester.@Nullable Digests expected)
      throws IOException {
    BlobRecord record = null;
    String recordProblem = null;
    try (FileChannel channel = openBlob(key)) {
      try {
        record = BlobRecord.decode(key, Files.readAllBytes(recordPath(key)));
      } catch (NoSuchFileException e) {
        recordProblem = "it has no hash record";
      } catch (IllegalArgumentException e) {
        recordProblem = "its hash record " + recordPath(key) + " is damaged: " + e.getMessage();
      }
      Map<HashAlgorithm, MessageDigest> digests = new LinkedHashMap<>();
      digests.put(HashAlgorithm.MD5, HashAlgorithm.MD5.newDigest());
      List<BlobDigester.Digests> against = new ArrayList<>();
      if (record != null) {
        against.add(record.digests());
      }
      if (expected != null) {
        against.add(expected);
      }
      for (BlobDigester.Digests d : against) {
        digests.computeIfAbsent(d.algorithm(), HashAlgorithm::newDigest);
      }
      long size = hash(channel, digests.values());
      HexFormat hex = HexFormat.of();
      Map<HashAlgorithm, String> actual = new LinkedHashMap<>();
      digests.forEach((algorithm, digest) -> actual.put(algorithm, hex.formatHex(digest.digest())));
      List<String> differences = new ArrayList<>();
      if (record != null) {
        compare("recorded", record.size(), record.digests(), size, actual, differences);
      }
      if (expected != null) {
        compare("expected", -1, expected, size, actual, differences);
      }
      String where = "blob " + key + " in store " + id + " (" + blobPath(key) + ")";
      if (!differences.isEmpty()) {
        return new BlobVerification(key, BlobVerification.Status.CORRUPT, size,
            where + " no longer matches what was written: " + String.join("; ", differences));
      }
      if (recordProblem != null) {
        return new BlobVerification(key, BlobVerification.Status.UNRECORDED, size,
            where + " cannot be checked against what was written: " + recordProblem);
      }
      return new BlobVerification(key, BlobVerification.Status.INTACT, size,
          where + " matches its " + (expected == null ? "recorded" : "recorded and expected")
              + " size and hashes");
    }
  }

  private static void compare(
      String what,
      long expectedSize,
      BlobDigester.Digests expected,
      long size,
      Map<HashAlgorithm, String> actual,
      List<String> differences) {
    if (expectedSize >= 0 && expectedSize != size) {
      differences.add("it holds " + size + " bytes, " + what + " " + expectedSize);
    }
    if (!expected.checksum().equalsIgnoreCase(actual.get(HashAlgorithm.MD5))) {
      differences.add("its MD5 is " + actual.get(HashAlgorithm.MD5) + ", " + what + " "
          + expected.checksum());
    }
    String multihash = actual.get(expected.algorithm());
    if (!expected.multihash().equalsIgnoreCase(multihash)) {
      differences.add("its " + expected.algorithm() + " is " + multihash + ", " + what + " "
          + expected.multihash());
    }
  }

  /** Feeds the whole file to {@code digests} with positional reads; returns its size. */
  private static long hash(FileChannel channel, Iterable<MessageDigest> digests)
      throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(VERIFY_BUFFER);
    long position = 0;
    while (true) {
      buffer.clear();
      int n = channel.read(buffer, position);
      if (n < 0) {
        return position;
      }
      position += n;
      for (MessageDigest digest : digests) {
        digest.update(buffer.array(), 0, n);
      }
    }
  }

  // ---------------------------------------------------------------------------------- closing

  /**
   * Releases the directory's lock and stops the store's own hashing threads; idempotent. Streams
   * already open keep working; every other call afterwards fails with {@link
   * StoreErrorCode#STORE_FAILED}.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (ownedPool != null) {
      ownedPool.shutdown();
    }
    closeQuietly(lock);
  }

  private void ensureOpen() {
    if (closed.get()) {
      throw GovernanceException.of(
          StoreErrorCode.STORE_FAILED, "The blob store " + id + " in " + dir + " is closed.");
    }
  }

  @Override
  public String toString() {
    return "FileBlobStore[" + id + " in " + dir + ", " + index.size() + " blobs]";
  }

  /** Reads a blob's bytes in {@code [position, end)} with positional reads of one channel. */
  private final class RangeInputStream extends InputStream {
    private final FileChannel channel;
    private final long end;
    private final BlobKey key;
    private long position;
    private boolean closed;

    RangeInputStream(FileChannel channel, long start, long end, BlobKey key) {
      this.channel = channel;
      this.position = start;
      this.end = end;
      this.key = key;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      Objects.checkFromIndexSize(off, len, b.length);
      ensureOpen();
      if (len == 0) {
        return 0;
      }
      if (position >= end) {
        return -1;
      }
      ByteBuffer buffer = ByteBuffer.wrap(b, off, (int) Math.min(len, end - position));
      int n = channel.read(buffer, position);
      if (n < 0) {
        throw endedEarly(key, position, end);
      }
      position += n;
      return n;
    }

    @Override
    public long transferTo(OutputStream out) throws IOException {
      Objects.requireNonNull(out, "out");
      ensureOpen();
      long n = transfer(channel, position, end, Channels.newChannel(out), key);
      position = end;
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      ensureOpen();
      long k = Math.max(0, Math.min(n, end - position));
      position += k;
      return k;
    }

    @Override
    public int available() throws IOException {
      ensureOpen();
      return (int) Math.min(Integer.MAX_VALUE, end - position);
    }

    @Override
    public void close() throws IOException {
      if (!closed) {
        closed = true;
        channel.close();
      }
    }

    private void ensureOpen() throws IOException {
      if (closed) {
        throw new IOException("stream closed");
      }
    }
  }
}
