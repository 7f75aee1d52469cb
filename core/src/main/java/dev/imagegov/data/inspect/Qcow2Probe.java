package dev.imagegov.data.inspect;

import java.util.Optional;

/**
 * QCOW2 (QEMU's {@code docs/interop/qcow2.txt}): big-endian header, virtual size at offset 24.
 * Unsafe: a backing file, an external data file (incompatible feature bit 2 or a data-file header
 * extension), unknown incompatible features, and malformed or truncated headers.
 */
final class Qcow2Probe {
  private static final byte[] MAGIC = {'Q', 'F', 'I', (byte) 0xFB};
  private static final int V2_HEADER = 72;
  private static final int V3_HEADER = 104;
  private static final long DATA_FILE_BIT = 1L << 2;
  /** Incompatible feature bits QEMU defines: dirty, corrupt, data file, compression, ext. L2. */
  private static final long KNOWN_INCOMPATIBLE = 0x1FL;
  private static final long EXT_END = 0;
  private static final long EXT_DATA_FILE = 0x44415441L;
  private static final int MAX_EXTENSIONS = 256;

  private Qcow2Probe() {}

  static Optional<Finding> probe(Region region, byte[] head) {
    if (!Region.startsWith(head, 0, MAGIC)) {
      return Optional.empty();
    }
    Finding f = new Finding(ImageFormat.QCOW2);
    if (head.length < V2_HEADER) {
      return Optional.of(f.violation("truncated header (" + head.length + " bytes)"));
    }
    long version = Region.u32be(head, 4);
    long backingOffset = Region.u64be(head, 8);
    long clusterBits = Region.u32be(head, 20);
    long size = Region.u64be(head, 24);
    if (size >= 0) {
      f.size(size);
    } else {
      f.violation("virtual size out of range");
    }
    if (version != 2 && version != 3) {
      return Optional.of(f.violation("unsupported version " + version));
    }
    if (clusterBits < 9 || clusterBits > 21) {
      return Optional.of(f.violation("invalid cluster_bits " + clusterBits));
    }
    if (backingOffset != 0) {
      f.violation("has a backing file");
    }
    long headerLength = V2_HEADER;
    if (version == 3) {
      if (head.length < V3_HEADER) {
        return Optional.of(f.violation("truncated version 3 header (" + head.length + " bytes)"));
      }
      long incompatible = Region.u64be(head, 72);
      if ((incompatible & DATA_FILE_BIT) != 0) {
        f.violation("has an external data file (incompatible feature bit 2)");
      }
      if ((incompatible & ~KNOWN_INCOMPATIBLE) != 0) {
        f.violation("sets unknown incompatible feature bits 0x"
            + Long.toHexString(incompatible & ~KNOWN_INCOMPATIBLE));
      }
      headerLength = Region.u32be(head, 100);
      if (headerLength < V3_HEADER || headerLength % 8 != 0
          || headerLength > (1L << clusterBits)) {
        return Optional.of(f.violation("invalid header_length " + headerLength));
      }
    }
    walkExtensions(region, f, headerLength, 1L << clusterBits);
    return Optional.of(f);
  }

  /** Header extensions follow the header, within the first cluster, until an end marker. */
  private static void walkExtensions(Region region, Finding f, long start, long clusterSize) {
    long at = start;
    for (int i = 0; i < MAX_EXTENSIONS; i++) {
      if (at + 8 > clusterSize) {
        return;
      }
      byte[] ext = region.read(at, 8);
      if (ext.length < 8) {
        if (!region.endsBy(at + 8)) {
          f.violation("header extensions extend beyond the inspected data");
        }
        return;
      }
      long type = Region.u32be(ext, 0);
      long length = Region.u32be(ext, 4);
      if (type == EXT_END) {
        return;
      }
      if (type == EXT_DATA_FILE) {
        f.violation("names an external data file (data-file header extension)");
      }
      long next = at + 8 + ((length + 7) & ~7L);
      if (next > clusterSize) {
        f.violation("header extension overruns the first cluster");
        return;
      }
      at = next;
    }
    f.violation("more than " + MAX_EXTENSIONS + " header extensions");
  }
}
