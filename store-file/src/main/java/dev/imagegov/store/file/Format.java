package dev.imagegov.store.file;

import dev.imagegov.error.GovernanceException;
import dev.imagegov.error.StoreErrorCode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32C;

/**
 * The on-disk format, version 4 (see the module README): file headers, frames and record types.
 * All integers are big-endian. Version 2 adds the journal's sync marker and closed frames to
 * version 1; version 3 adds to version 2 the {@code via} and {@code expires_at} fields of a
 * member (hierarchical sharing, expiring shares), the restore and finished-deletion records and
 * the image a pending-delete tombstone keeps, so an older imagegov refuses a version 3 file by
 * its header instead of meeting a field or record it does not know as damage. Version 4 writes
 * the image and tombstone records of a snapshot in a compact binary layout ({@link
 * SnapshotCodec}) instead of JSON; the journal's payloads and every framing are those of
 * version 3. Files of every version are read.
 *
 * <pre>
 * file header (28 bytes)
 *   0  4  magic: "IGCJ" (journal segment) or "IGCS" (snapshot)
 *   4  2  format version (4; 1 to 3 are read)
 *   6  2  flags (0)
 *   8  8  file number (segment number; for a snapshot, the first segment to replay after it)
 *  16  8  LSN (journal: the LSN of its first record; snapshot: the last LSN it contains)
 *  24  4  CRC32C of bytes 0..24
 * frame (22 + L bytes)
 *   0  4  L, the length of the records section
 *   4  1  frame type
 *   5  1  format version (that of the file)
 *   6  8  first LSN (journal) or chunk number (snapshot)
 *  14  4  record count
 *  18  L  records: each [type u8][payload length u32][payload]
 *  18+L 4 CRC32C of bytes 0..18+L
 * </pre>
 */
final class Format {
  /** The version this code writes. */
  static final short VERSION = 4;
  /** The first version whose snapshot records are binary ({@link SnapshotCodec}), not JSON. */
  static final short BINARY_SNAPSHOT = 4;
  /** The oldest version this code reads. */
  static final short OLDEST_READ = 1;
  static final int JOURNAL_MAGIC = magic("IGCJ");
  static final int SNAPSHOT_MAGIC = magic("IGCS");
  static final int HEADER_SIZE = 28;
  static final int FRAME_HEADER_SIZE = 18;
  static final int FRAME_OVERHEAD = FRAME_HEADER_SIZE + 4;
  static final int RECORD_HEADER_SIZE = 5;
  /** The largest records section a frame may have; a larger length is damage. */
  static final int MAX_FRAME_BODY = 256 << 20;

  static final byte FRAME_COMMIT = 1;
  static final byte FRAME_SNAPSHOT_CHUNK = 2;
  static final byte FRAME_SNAPSHOT_END = 3;
  /**
   * Journal, version 2: written (not forced) right after a commit frame was forced, at the
   * position the next commit frame will overwrite; it proves the commit frame before it was
   * synced. No records; its LSN is the next record's.
   */
  static final byte FRAME_SYNCED = 4;
  /**
   * Journal, version 2: written and forced in place of the sync marker when a segment is closed
   * (by {@code close} or when the journal moves to a new segment). No records; its LSN is the
   * next record's.
   */
  static final byte FRAME_CLOSED = 5;

  static final byte RECORD_INSERT = 1;
  static final byte RECORD_UPDATE = 2;
  static final byte RECORD_DELETE = 3;
  static final byte RECORD_IMAGE = 4;
  static final byte RECORD_TOMBSTONE = 5;
  static final byte RECORD_END = 6;
  /** Journal, version 3: a pending-delete image restored; the payload is the image as stored. */
  static final byte RECORD_UNDELETE = 7;
  /** Journal, version 3: a pending-delete image's deletion finished; the deleted tombstone. */
  static final byte RECORD_FINISH_DELETION = 8;

  private Format() {}

  private static int magic(String text) {
    return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)).getInt();
  }

  static String journalName(long segment) {
    return String.format(Locale.ROOT, "journal-%020d.log", segment);
  }

  static String snapshotName(long segment) {
    return String.format(Locale.ROOT, "snapshot-%020d.snap", segment);
  }

  /** The number in a journal or snapshot file name, or -1 if the name is neither. */
  static long number(String fileName, String prefix, String suffix) {
    if (!fileName.startsWith(prefix)
        || !fileName.endsWith(suffix)
        || fileName.length() != prefix.length() + 20 + suffix.length()) {
      return -1;
    }
    String digits = fileName.substring(prefix.length(), prefix.length() + 20);
    for (int i = 0; i < digits.length(); i++) {
      if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
        return -1;
      }
    }
    return Long.parseLong(digits);
  }

  static int crc(byte[] bytes, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, offset, length);
    return (int) crc.getValue();
  }

  /** A file header. */
  static byte[] header(int magic, long number, long lsn) {
    ByteBuffer b = ByteBuffer.allocate(HEADER_SIZE).order(ByteOrder.BIG_ENDIAN);
    b.putInt(magic).putShort(VERSION).putShort((short) 0).putLong(number).putLong(lsn);
    b.putInt(crc(b.array(), 0, 24));
    return b.array();
  }

  /** A decoded file header. */
  record Header(int version, long number, long lsn) {}

  /**
   * Checks and decodes a file header. The magic and version are read before anything else, so a
   * file of a newer format is refused as such, whatever its later layout.
   */
  static Header readHeader(Path file, byte[] bytes, int length, int expectedMagic) {
    if (length < 6) {
      throw corrupt(file, 0, "the file header is incomplete (" + length + " bytes)");
    }
    ByteBuffer b = ByteBuffer.wrap(bytes, 0, length);
    int magic = b.getInt();
    if (magic != expectedMagic) {
      throw corrupt(file, 0, "the file does not start with the magic number of its kind");
    }
    int version = Short.toUnsignedInt(b.getShort());
    if (version < OLDEST_READ || version > VERSION) {
      throw GovernanceException.of(
          StoreErrorCode.CATALOG_FORMAT_UNSUPPORTED,
          file
              + " is in catalog format version "
              + version
              + "; this imagegov reads format versions "
              + OLDEST_READ
              + " to "
              + VERSION
              + " only"
              + (version > VERSION ? " (the file was written by a newer imagegov)" : "")
              + "; it was not opened and nothing was changed");
    }
    if (length < HEADER_SIZE) {
      throw corrupt(file, 0, "the file header is incomplete (" + length + " bytes)");
    }
    b.getShort();
    long number = b.getLong();
    long lsn = b.getLong();
    int stored = b.getInt();
    if (stored != crc(bytes, 0, 24)) {
      throw corrupt(file, 0, "the file header's checksum does not match");
    }
    return new Header(version, number, lsn);
  }

  /** One record inside a frame. */
  record Record(byte type, byte[] payload) {}

  /** A whole frame: header, records and checksum. */
  static byte[] frame(byte frameType, long lsn, List<Record> records) {
    int body = 0;
    for (Record r : records) {
      body += RECORD_HEADER_SIZE + r.payload().length;
    }
    ByteBuffer b = ByteBuffer.allocate(FRAME_OVERHEAD + body).order(ByteOrder.BIG_ENDIAN);
    b.putInt(body).put(frameType).put((byte) VERSION).putLong(lsn).putInt(records.size());
    for (Record r : records) {
      b.put(r.type()).putInt(r.payload().length).put(r.payload());
    }
    b.putInt(crc(b.array(), 0, FRAME_HEADER_SIZE + body));
    return b.array();
  }

  static GovernanceException corrupt(Path file, long offset, String what) {
    return GovernanceException.of(
        StoreErrorCode.CATALOG_CORRUPT,
        "The catalog file " + file + " is damaged at byte offset " + offset + ": " + what
            + ". The catalog was not opened; open it with FileCatalogOptions.repair(true) to"
            + " quarantine the damaged records and keep the rest.");
  }
}
