package dev.imagegov.store.file;

import dev.imagegov.error.ErrorCode;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.error.StoreErrorCode;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one-writer lock of a store's directory (a {@link FileCatalog}'s or a {@link
 * FileBlobStore}'s): an exclusive {@link FileLock} on its {@code LOCK} file, which records who
 * holds it (what kind of store, process id, host, when it was taken) so a refused opener can name
 * the holder.
 *
 * <p>File locks belong to the whole process, and on POSIX systems closing <em>any</em> channel to
 * the lock file releases them. So a second opener in the same JVM must not even open the file:
 * the directories locked by this JVM are kept in a process-wide set (the one piece of static
 * state in this module, mirroring the operating system's per-process locks) and checked first.
 */
final class DirectoryLock implements Closeable {
  static final String FILE_NAME = "LOCK";

  /** What holds a directory: names it in messages and picks the refusal's error code. */
  enum Holder {
    CATALOG("catalog", StoreErrorCode.CATALOG_LOCKED),
    BLOB_STORE("blob store", StoreErrorCode.STORE_LOCKED);

    private final String noun;
    private final ErrorCode refusal;

    Holder(String noun, ErrorCode refusal) {
      this.noun = noun;
      this.refusal = refusal;
    }
  }

  private static final ConcurrentHashMap<Path, String> HELD_BY_THIS_JVM =
      new ConcurrentHashMap<>();

  private final Path key;
  private final FileChannel channel;
  private final FileLock lock;

  private DirectoryLock(Path key, FileChannel channel, FileLock lock) {
    this.key = key;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock of {@code dir} (an existing directory) at once or fails.
   *
   * @throws GovernanceException the {@code holder}'s refusal code ({@link
   *     StoreErrorCode#CATALOG_LOCKED}, {@link StoreErrorCode#STORE_LOCKED}) naming the holder
   * @throws IOException if the lock file cannot be opened or written
   */
  static DirectoryLock acquire(Path dir, Instant now, Holder holder) throws IOException {
    Path key = dir.toRealPath();
    String me = "a " + holder.noun + " of " + describeThisProcess(now);
    String other = HELD_BY_THIS_JVM.putIfAbsent(key, me);
    if (other != null) {
      throw locked(dir, holder, other + ", still open in this JVM");
    }
    boolean done = false;
    FileChannel channel = null;
    try {
      channel =
          FileChannel.open(
              dir.resolve(FILE_NAME),
              StandardOpenOption.CREATE,
              StandardOpenOption.READ,
              StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        throw locked(dir, holder, holderOf(dir));
      }
      channel.truncate(0);
      // Only informative, for a refused opener: not forced.
      DiskFiles.writeFully(channel, me.getBytes(StandardCharsets.UTF_8), 0);
      done = true;
      return new DirectoryLock(key, channel, lock);
    } finally {
      if (!done) {
        if (channel != null) {
          channel.close();
        }
        HELD_BY_THIS_JVM.remove(key, me);
      }
    }
  }

  private static String holderOf(Path dir) {
    try {
      String text = Files.readString(dir.resolve(FILE_NAME), StandardCharsets.UTF_8).strip();
      return text.isEmpty() ? "an unknown holder (it has not written its name yet)" : text;
    } catch (IOException e) {
      return "an unknown holder (" + e.getMessage() + ")";
    }
  }

  private static GovernanceException locked(Path dir, Holder opener, String holder) {
    return GovernanceException.of(
        opener.refusal,
        "The " + opener.noun + " in " + dir + " is in use by " + holder
            + "; only one writer may open it at a time. Close the other " + opener.noun
            + " first.");
  }

  private static String describeThisProcess(Instant now) {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "an unknown host";
    }
    return "process " + ProcessHandle.current().pid() + " on " + host + " (opened at " + now + ")";
  }

  @Override
  public void close() throws IOException {
    try {
      if (lock.isValid()) {
        channel.truncate(0);
        lock.release();
      }
    } finally {
      channel.close();
      HELD_BY_THIS_JVM.remove(key);
    }
  }
}
