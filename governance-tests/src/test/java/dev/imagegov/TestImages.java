package dev.imagegov;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Small image headers built in memory, laid out as the format specifications say (the subset of
 * core's inspector test builders that the governance rules need; governance-tests cannot see
 * core's test classes).
 */
final class TestImages {
  static final long GIB = 1L << 30;

  /** The VMDK descriptor of a monolithic sparse disk whose one extent is the file itself. */
  static final String SPARSE_DESCRIPTOR = "# Disk DescriptorFile\n"
      + "version=1\n"
      + "CID=7e5b80a7\n"
      + "parentCID=ffffffff\n"
      + "createType=\"monolithicSparse\"\n"
      + "\n"
      + "# Extent description\n"
      + "RW 2097152 SPARSE \"disk.vmdk\"\n"
      + "\n"
      + "# The Disk Data Base\n"
      + "#DDB\n"
      + "ddb.virtualHWVersion = \"4\"\n";

  private TestImages() {}

  /** A qcow2 file of 64 KiB clusters: header, optional extensions, padded to one cluster. */
  static byte[] qcow2(int version, long virtualSize, long backingOffset, long incompatible,
      byte[] extensions) {
    ByteBuffer b = ByteBuffer.allocate(65536).order(ByteOrder.BIG_ENDIAN);
    b.put(new byte[] {'Q', 'F', 'I', (byte) 0xFB});
    b.putInt(version);
    b.putLong(backingOffset);
    b.putInt(backingOffset == 0 ? 0 : 8); // backing file name size
    b.putInt(16); // cluster bits
    b.putLong(virtualSize);
    b.putInt(0); // crypt method
    b.putInt(1); // l1 size
    b.putLong(3 * 65536L); // l1 offset
    b.putLong(65536L); // refcount table offset
    b.putInt(1); // refcount table clusters
    b.putInt(0); // snapshots
    b.putLong(0); // snapshots offset
    int headerLength = 72;
    if (version == 3) {
      b.putLong(incompatible);
      b.putLong(0); // compatible
      b.putLong(0); // autoclear
      b.putInt(4); // refcount order
      b.putInt(104); // header length
      headerLength = 104;
    }
    b.position(headerLength);
    b.put(extensions);
    if (backingOffset != 0) {
      b.position((int) backingOffset);
      b.put("/etc/pw".getBytes(StandardCharsets.US_ASCII));
    }
    return b.array();
  }

  /** A plain qcow2 v3 of {@code virtualSize}. */
  static byte[] qcow2(long virtualSize) {
    return qcow2(3, virtualSize, 0, 0, new byte[0]);
  }

  /** A qcow2 v3 naming a backing file (header offset 32 KiB). */
  static byte[] qcow2WithBackingFile() {
    return qcow2(3, GIB, 32768, 0, new byte[0]);
  }

  /** A qcow2 v3 with an external data file extension pointing at a host file. */
  static byte[] qcow2WithDataFile() {
    return qcow2(3, GIB, 0, 1L << 2, extension(0x44415441, "/etc/shadow"));
  }

  /** One qcow2 header extension (type, data padded to 8 bytes). */
  static byte[] extension(int type, String data) {
    byte[] d = data.getBytes(StandardCharsets.US_ASCII);
    ByteBuffer b = ByteBuffer.allocate(8 + ((d.length + 7) & ~7)).order(ByteOrder.BIG_ENDIAN);
    b.putInt(type).putInt(d.length).put(d);
    return b.array();
  }

  /** A VMDK sparse extent: 512-byte header, descriptor at sector 1 (20 sectors), grain data. */
  static byte[] vmdkSparse(long capacitySectors, String descriptor) {
    ByteBuffer b = ByteBuffer.allocate(64 * 512).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {'K', 'D', 'M', 'V'});
    b.putInt(1); // version
    b.putInt(3); // flags
    b.putLong(capacitySectors);
    b.putLong(128); // grain size
    b.putLong(1); // descriptor offset (sectors)
    b.putLong(20); // descriptor size (sectors)
    b.putInt(512); // GTEs per GT
    b.putLong(21); // redundant GD offset
    b.putLong(41); // GD offset
    b.putLong(64); // overhead
    b.position(512);
    b.put(descriptor.getBytes(StandardCharsets.US_ASCII));
    return b.array();
  }

  /** A VMDK whose extent is a host file. */
  static byte[] vmdkExtentOutside() {
    return vmdkSparse(
        2097152, SPARSE_DESCRIPTOR.replace("SPARSE \"disk.vmdk\"", "SPARSE \"/etc/passwd\""));
  }

  /** A fixed VHD: {@code 8 KiB} of raw data followed by the 512-byte footer only. */
  static byte[] vhdFixed(long size) {
    ByteBuffer b = ByteBuffer.allocate(512).order(ByteOrder.BIG_ENDIAN);
    b.put("conectix".getBytes(StandardCharsets.US_ASCII));
    b.putInt(2); // features
    b.putInt(0x00010000); // version
    b.putLong(-1L); // data offset: none (fixed)
    b.putInt(0); // timestamp
    b.put("qemu".getBytes(StandardCharsets.US_ASCII));
    b.putInt(0x00050003);
    b.put("Wi2k".getBytes(StandardCharsets.US_ASCII));
    b.putLong(size); // original size
    b.putLong(size); // current size
    b.putInt(0); // geometry
    b.putInt(2); // fixed
    byte[] image = new byte[8192 + 512];
    System.arraycopy(b.array(), 0, image, 8192, 512);
    return image;
  }
}
