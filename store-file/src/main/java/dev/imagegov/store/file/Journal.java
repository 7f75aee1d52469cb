package dev.imagegov.store.file;

import com.google.common.util.concurrent.Uninterruptibles;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The write-ahead journal: the current segment file and its group committer. Writers hand their
 * records to {@link #commit} and wait; one flusher thread takes every record waiting, writes them
 * as one frame, forces the file once and releases them all, so concurrent writers share one
 * {@code fsync}. A record is acknowledged only once it is on disk.
 *
 * <p>Because the flusher writes a frame only after the previous one was forced, at most the last
 * frame of the last segment can be incomplete after a crash: an invalid frame followed by a valid
 * one is damage, never a crash. Once a commit frame is forced, and before its writers are
 * released, the flusher writes a sync marker after it (not forced); the next commit frame is
 * written over the marker, so a segment ends with the marker of its last commit and every
 * acknowledged commit frame is followed by a valid frame, which proves it was synced: damage in
 * it is refused, never taken for a torn tail. Closing (and moving to a new segment) writes a
 * closed frame in the marker's place and forces it.
 *
 * <p>After any I/O error the journal tries to cut the file back to its last good frame and then
 * refuses every further commit: the catalog must be reopened (PostgreSQL does the same after a
 * failed {@code fsync}, whose outcome cannot be known).
 */
final class Journal implements Closeable {
  private static final class Pending {
    final Format.Record record;
    final CountDownLatch done = new CountDownLatch(1);
    @Nullable IOException error;

    Pending(Format.Record record) {
      this.record = record;
    }
  }

  private final Path dir;
  private final boolean fsync;

  // The segment, guarded by "this".
  private FileChannel channel;
  private long segment;
  private long position;
  private long nextLsn;

  // The queue of waiting writers, guarded by queueLock.
  private final ReentrantLock queueLock = new ReentrantLock();
  private final Condition notEmpty = queueLock.newCondition();
  private List<Pending> queue = new ArrayList<>();
  private boolean closing;
  private volatile @Nullable IOException failure;
  private final Thread flusher;

  private Journal(Path dir, boolean fsync, FileChannel channel, long segment, long position,
      long nextLsn) {
    this.dir = dir;
    this.fsync = fsync;
    this.channel = channel;
    this.segment = segment;
    this.position = position;
    this.nextLsn = nextLsn;
    this.flusher = new Thread(this::flushLoop, "imagegov-journal " + dir);
    flusher.setDaemon(true);
    flusher.start();
  }

  /**
   * Continues an existing segment at {@code end}: the end of its last commit frame (where its
   * sync marker or closed frame, if any, is overwritten by the next commit).
   */
  static Journal resume(Path dir, boolean fsync, long segment, long end, long nextLsn)
      throws IOException {
    FileChannel channel =
        FileChannel.open(dir.resolve(Format.journalName(segment)), StandardOpenOption.WRITE);
    return new Journal(dir, fsync, channel, segment, end, nextLsn);
  }

  /** Starts a new, empty segment. */
  static Journal create(Path dir, boolean fsync, long segment, long nextLsn) throws IOException {
    return new Journal(dir, fsync, createSegment(dir, segment, nextLsn, fsync), segment,
        Format.HEADER_SIZE, nextLsn);
  }

  /** Creates a segment with only its header, atomically (so a segment never lacks its header). */
  private static FileChannel createSegment(Path dir, long segment, long firstLsn, boolean fsync)
      throws IOException {
    Path target = dir.resolve(Format.journalName(segment));
    Path temporary = dir.resolve(Format.journalName(segment) + ".tmp");
    try (FileChannel tmp =
        FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      DiskFiles.writeFully(tmp, Format.header(Format.JOURNAL_MAGIC, segment, firstLsn), 0);
      if (fsync) {
        tmp.force(true);
      }
    }
    DiskFiles.publish(temporary, target, fsync);
    return FileChannel.open(target, StandardOpenOption.WRITE);
  }

  synchronized long segment() {
    return segment;
  }

  /** The LSN the next record will get. */
  synchronized long nextLsn() {
    return nextLsn;
  }

  /**
   * Appends {@code record} and returns once it is durable.
   *
   * @throws IOException if it could not be written; the journal then accepts no more records
   */
  void commit(Format.Record record) throws IOException {
    Pending pending = new Pending(record);
    queueLock.lock();
    try {
      IOException failed = failure;
      if (failed != null) {
        throw new IOException("the journal failed earlier: " + failed.getMessage(), failed);
      }
      if (closing) {
        throw new ClosedChannelException();
      }
      queue.add(pending);
      notEmpty.signal();
    } finally {
      queueLock.unlock();
    }
    Uninterruptibles.awaitUninterruptibly(pending.done);
    IOException error = pending.error;
    if (error != null) {
      throw new IOException(error.getMessage(), error);
    }
  }

  private void flushLoop() {
    while (true) {
      List<Pending> batch;
      queueLock.lock();
      try {
        while (queue.isEmpty() && !closing) {
          notEmpty.awaitUninterruptibly();
        }
        if (queue.isEmpty()) {
          return;
        }
        batch = queue;
        queue = new ArrayList<>();
      } finally {
        queueLock.unlock();
      }
      IOException error = null;
      try {
        write(batch);
      } catch (IOException e) {
        error = e;
      } catch (RuntimeException | Error e) {
        error = new IOException("the journal flusher failed: " + e, e);
      }
      if (error != null) {
        failure = error;
      }
      for (Pending p : batch) {
        p.error = error;
        p.done.countDown();
      }
    }
  }

  private synchronized void write(List<Pending> batch) throws IOException {
    List<Format.Record> records = new ArrayList<>(batch.size());
    for (Pending p : batch) {
      records.add(p.record);
    }
    byte[] frame = Format.frame(Format.FRAME_COMMIT, nextLsn, records);
    long start = position;
    try {
      DiskFiles.writeFully(channel, frame, start);
      if (fsync) {
        channel.force(false);
      }
      DiskFiles.writeFully(channel, marker(Format.FRAME_SYNCED, nextLsn + records.size()),
          start + frame.length);
    } catch (IOException e) {
      try {
        channel.truncate(start);
        channel.force(false);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    position = start + frame.length;
    nextLsn += records.size();
  }

  /** A frame without records: a sync marker or a closed frame, before LSN {@code nextLsn}. */
  private static byte[] marker(byte type, long nextLsn) {
    return Format.frame(type, nextLsn, List.of());
  }

  /** Writes the closed frame in the place of the last sync marker and forces the segment. */
  private void writeClosed() throws IOException {
    DiskFiles.writeFully(channel, marker(Format.FRAME_CLOSED, nextLsn), position);
    if (fsync) {
      channel.force(false);
    }
  }

  /**
   * Closes the current segment (with its closed frame) and continues in a new one numbered
   * {@code newSegment}. Call only while no commit is in flight.
   */
  synchronized void roll(long newSegment) throws IOException {
    IOException failed = failure;
    if (failed != null) {
      throw new IOException("the journal failed earlier: " + failed.getMessage(), failed);
    }
    try {
      writeClosed();
    } catch (IOException e) {
      failure = e;
      throw e;
    }
    FileChannel next;
    try {
      next = createSegment(dir, newSegment, nextLsn, fsync);
    } catch (IOException e) {
      // The new segment may exist with a header that later records would contradict.
      failure = e;
      throw e;
    }
    FileChannel old = channel;
    channel = next;
    segment = newSegment;
    position = Format.HEADER_SIZE;
    old.close();
  }

  /**
   * Stops the flusher once the queue is empty, writes the closed frame, forces and closes the
   * segment.
   */
  @Override
  public void close() throws IOException {
    queueLock.lock();
    try {
      closing = true;
      notEmpty.signalAll();
    } finally {
      queueLock.unlock();
    }
    Uninterruptibles.joinUninterruptibly(flusher);
    synchronized (this) {
      try {
        if (failure == null && channel.isOpen()) {
          writeClosed();
        }
      } finally {
        channel.close();
      }
    }
  }

  /** Whether {@code file} is a leftover temporary file of a segment or snapshot. */
  static boolean isTemporary(Path file) {
    return file.getFileName().toString().endsWith(".tmp") && Files.isRegularFile(file);
  }
}
