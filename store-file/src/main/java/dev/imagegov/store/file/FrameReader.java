package dev.imagegov.store.file;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads the frames of one journal segment or snapshot with positional reads. A frame is valid
 * only if its header is plausible (length within the file and the limit, a frame type of this
 * kind of file, the file's format version, a record count the length can hold), its CRC32C
 * matches and its records exactly fill its records section.
 */
final class FrameReader implements Closeable {
  private static final int SCAN_WINDOW = 1 << 16;

  /** A valid frame, from {@code offset} (inclusive) to {@code end} (exclusive). */
  record Frame(long offset, long end, byte type, long lsn, Records records) {}

  /**
   * The records of a frame, kept in the frame's bytes as read: {@link #get} copies a record's
   * payload out, while {@link #payloadStart} and {@link #payloadLength} let a decoder read it in
   * place (a snapshot's binary records are decoded without a copy each).
   */
  static final class Records extends AbstractList<Format.Record> {
    private final byte[] bytes;
    private final byte[] types;
    private final int[] starts;
    private final int[] lengths;

    private Records(byte[] bytes, byte[] types, int[] starts, int[] lengths) {
      this.bytes = bytes;
      this.types = types;
      this.starts = starts;
      this.lengths = lengths;
    }

    @Override
    public Format.Record get(int index) {
      return new Format.Record(types[index],
          Arrays.copyOfRange(bytes, starts[index], starts[index] + lengths[index]));
    }

    @Override
    public int size() {
      return types.length;
    }

    /** The frame's bytes, which hold every payload. */
    byte[] bytes() {
      return bytes;
    }

    byte type(int index) {
      return types[index];
    }

    /** Where record {@code index}'s payload starts in {@link #bytes}. */
    int payloadStart(int index) {
      return starts[index];
    }

    int payloadLength(int index) {
      return lengths[index];
    }
  }

  private final Path file;
  private final FileChannel channel;
  private Set<Byte> frameTypes;
  private int version = Format.VERSION;
  private final long size;

  FrameReader(Path file, Set<Byte> frameTypes) throws IOException {
    this.file = file;
    this.channel = FileChannel.open(file, StandardOpenOption.READ);
    this.frameTypes = frameTypes;
    this.size = channel.size();
  }

  /**
   * From now on, reads frames of format {@code version} (that of the file's header) and of the
   * given types only.
   */
  void expect(int version, Set<Byte> frameTypes) {
    this.version = version;
    this.frameTypes = frameTypes;
  }

  Path file() {
    return file;
  }

  long size() {
    return size;
  }

  /** Reads up to {@code length} bytes at {@code offset} (fewer at the end of the file). */
  byte[] read(long offset, int length) throws IOException {
    int n = (int) Math.max(0, Math.min(length, size - offset));
    ByteBuffer buffer = ByteBuffer.allocate(n);
    readFully(buffer, offset);
    return buffer.array();
  }

  /** Fills {@code buffer} (from its position) with the bytes at {@code offset}. */
  private void readFully(ByteBuffer buffer, long offset) throws IOException {
    long at = offset - buffer.position();
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, at + buffer.position()) < 0) {
        throw new EOFException(file + " shrank while being read");
      }
    }
  }

  /** The valid frame starting at {@code offset}, if one does. */
  Optional<Frame> frameAt(long offset) throws IOException {
    return frameAt(offset, null);
  }

  /**
   * The valid frame starting at {@code offset}, if one does, read into {@code reuse} when it is
   * large enough (the frame's {@link Records#bytes} are then {@code reuse}, of which the frame
   * uses the first bytes): a caller done with a frame may hand its bytes back for the next one.
   */
  Optional<Frame> frameAt(long offset, byte @Nullable [] reuse) throws IOException {
    if (offset + Format.FRAME_OVERHEAD > size) {
      return Optional.empty();
    }
    byte[] head = read(offset, Format.FRAME_HEADER_SIZE);
    if (!plausible(head, 0, offset)) {
      return Optional.empty();
    }
    ByteBuffer h = ByteBuffer.wrap(head);
    int body = h.getInt();
    byte type = h.get();
    h.get();
    long lsn = h.getLong();
    int count = h.getInt();
    int frameLength = Format.FRAME_OVERHEAD + body;
    byte[] whole;
    if (reuse != null && reuse.length >= frameLength) {
      whole = reuse;
      readFully(ByteBuffer.wrap(reuse, 0, frameLength), offset);
    } else {
      whole = read(offset, frameLength);
    }
    int stored = ByteBuffer.wrap(whole, Format.FRAME_HEADER_SIZE + body, 4).getInt();
    if (stored != Format.crc(whole, 0, Format.FRAME_HEADER_SIZE + body)) {
      return Optional.empty();
    }
    ByteBuffer records = ByteBuffer.wrap(whole, Format.FRAME_HEADER_SIZE, body);
    byte[] types = new byte[count];
    int[] starts = new int[count];
    int[] lengths = new int[count];
    for (int i = 0; i < count; i++) {
      if (records.remaining() < Format.RECORD_HEADER_SIZE) {
        return Optional.empty();
      }
      types[i] = records.get();
      int length = records.getInt();
      if (length < 0 || length > records.remaining()) {
        return Optional.empty();
      }
      starts[i] = records.position();
      lengths[i] = length;
      records.position(records.position() + length);
    }
    if (records.hasRemaining()) {
      return Optional.empty();
    }
    return Optional.of(new Frame(offset, offset + Format.FRAME_OVERHEAD + body, type, lsn,
        new Records(whole, types, starts, lengths)));
  }

  /** The offset of the first valid frame after {@code offset}, or -1 if none. */
  long nextFrameAfter(long offset) throws IOException {
    long base = offset + 1;
    while (base + Format.FRAME_OVERHEAD <= size) {
      byte[] window = read(base, SCAN_WINDOW + Format.FRAME_HEADER_SIZE);
      int last = window.length - Format.FRAME_HEADER_SIZE;
      for (int i = 0; i <= last; i++) {
        if (plausible(window, i, base + i) && frameAt(base + i).isPresent()) {
          return base + i;
        }
      }
      base += last + 1;
    }
    return -1;
  }

  private boolean plausible(byte[] bytes, int at, long offset) {
    ByteBuffer h = ByteBuffer.wrap(bytes, at, Format.FRAME_HEADER_SIZE);
    int body = h.getInt();
    byte type = h.get();
    byte version = h.get();
    h.getLong();
    int count = h.getInt();
    return body >= 0
        && body <= Format.MAX_FRAME_BODY
        && offset + Format.FRAME_OVERHEAD + body <= size
        && frameTypes.contains(type)
        && version == this.version
        && count >= 0
        && (long) count * Format.RECORD_HEADER_SIZE <= body;
  }

  /** Copies {@code length} bytes at {@code offset} into a new file {@code target}. */
  void copy(long offset, long length, Path target) throws IOException {
    try (FileChannel out =
        FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      long done = 0;
      while (done < length) {
        long n = channel.transferTo(offset + done, length - done, out);
        if (n <= 0) {
          throw new EOFException(file + " shrank while being copied");
        }
        done += n;
      }
      out.force(true);
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
