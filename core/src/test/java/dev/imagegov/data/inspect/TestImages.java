package dev.imagegov.data.inspect;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;

/** Builds small image headers in memory, laid out as the format specifications say. */
final class TestImages {
  private TestImages() {}

  static ByteBuffer be(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.BIG_ENDIAN);
  }

  static ByteBuffer le(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** A qcow2 file of 64 KiB clusters: header, optional extensions, padded to one cluster. */
  static byte[] qcow2(int version, long virtualSize, long backingOffset, long incompatible,
      byte[] extensions) {
    ByteBuffer b = be(65536);
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
    return b.array();
  }

  static byte[] qcow2(int version, long virtualSize) {
    return qcow2(version, virtualSize, 0, 0, new byte[0]);
  }

  /** One qcow2 header extension (type, data padded to 8 bytes). */
  static byte[] qcow2Extension(int type, String data) {
    byte[] d = data.getBytes(StandardCharsets.US_ASCII);
    ByteBuffer b = be(8 + ((d.length + 7) & ~7));
    b.putInt(type).putInt(d.length).put(d);
    return b.array();
  }

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
      + "ddb.virtualHWVersion = \"4\"\n"
      + "ddb.geometry.cylinders = \"2080\"\n"
      + "ddb.adapterType = \"ide\"\n";

  /** A VMDK sparse extent: 512-byte header, descriptor at sector 1 (20 sectors), grain data. */
  static byte[] vmdkSparse(long capacitySectors, String descriptor, long gdOffset) {
    ByteBuffer b = le(64 * 512);
    b.put(new byte[] {'K', 'D', 'M', 'V'});
    b.putInt(1); // version
    b.putInt(3); // flags
    b.putLong(capacitySectors);
    b.putLong(128); // grain size
    b.putLong(1); // descriptor offset (sectors)
    b.putLong(20); // descriptor size (sectors)
    b.putInt(512); // GTEs per GT
    b.putLong(21); // redundant GD offset
    b.putLong(gdOffset);
    b.putLong(64); // overhead
    b.position(512);
    b.put(descriptor.getBytes(StandardCharsets.US_ASCII));
    return b.array();
  }

  static byte[] vmdkSparse(long capacitySectors, String descriptor) {
    return vmdkSparse(capacitySectors, descriptor, 41);
  }

  /** A VHD footer of the given disk type (2 fixed, 3 dynamic, 4 differencing). */
  static byte[] vhdFooter(long size, int diskType) {
    ByteBuffer b = be(512);
    b.put("conectix".getBytes(StandardCharsets.US_ASCII));
    b.putInt(2); // features
    b.putInt(0x00010000); // version
    b.putLong(diskType == 2 ? -1L : 512L); // data offset
    b.putInt(0); // timestamp
    b.put("qemu".getBytes(StandardCharsets.US_ASCII));
    b.putInt(0x00050003);
    b.put("Wi2k".getBytes(StandardCharsets.US_ASCII));
    b.putLong(size); // original size
    b.putLong(size); // current size
    b.putInt(0); // geometry
    b.putInt(diskType);
    return b.array();
  }

  /** A dynamic VHD: footer copy at 0, a dynamic header, the footer at the end. */
  static byte[] vhdDynamic(long size, int diskType) {
    byte[] footer = vhdFooter(size, diskType);
    byte[] image = new byte[4096];
    System.arraycopy(footer, 0, image, 0, 512);
    System.arraycopy(footer, 0, image, image.length - 512, 512);
    return image;
  }

  /** A fixed VHD: raw data followed by the footer only. */
  static byte[] vhdFixed(long size) {
    byte[] image = new byte[8192 + 512];
    System.arraycopy(vhdFooter(size, 2), 0, image, 8192, 512);
    return image;
  }

  static byte[] msGuid(String guid) {
    UUID u = UUID.fromString(guid);
    ByteBuffer b = le(16);
    long msb = u.getMostSignificantBits();
    b.putInt((int) (msb >>> 32));
    b.putShort((short) (msb >>> 16));
    b.putShort((short) msb);
    b.order(ByteOrder.BIG_ENDIAN).putLong(u.getLeastSignificantBits());
    return b.array();
  }

  /** A VHDX with identifier, region table at 192 KiB, metadata at 1 MiB. */
  static byte[] vhdx(long virtualSize, boolean differencing) {
    int metadataAt = 1 << 20;
    ByteBuffer b = le(metadataAt + 128 * 1024);
    b.put("vhdxfile".getBytes(StandardCharsets.US_ASCII));
    b.position(192 * 1024);
    b.put("regi".getBytes(StandardCharsets.US_ASCII)).putInt(0).putInt(2).putInt(0);
    b.put(msGuid("2DC27766-F623-4200-9D64-115E9BFD4A08")); // BAT region
    b.putLong(2 << 20).putInt(1 << 20).putInt(1);
    b.put(msGuid(VhdxProbe.METADATA_REGION));
    b.putLong(metadataAt).putInt(1 << 20).putInt(1);
    b.position(metadataAt);
    b.put("metadata".getBytes(StandardCharsets.US_ASCII)).putShort((short) 0);
    int entries = differencing ? 2 : 1;
    b.putShort((short) entries);
    b.position(metadataAt + 32);
    b.put(msGuid(VhdxProbe.VIRTUAL_DISK_SIZE)).putInt(65536).putInt(8).putInt(2).putInt(0);
    if (differencing) {
      b.put(msGuid(VhdxProbe.PARENT_LOCATOR)).putInt(65536 + 8).putInt(64).putInt(6).putInt(0);
    }
    b.position(metadataAt + 65536);
    b.putLong(virtualSize);
    return b.array();
  }

  /** An ISO 9660 image: 16 empty sectors, then a primary volume descriptor. */
  static byte[] iso(int blocks) {
    ByteBuffer b = le(40 * 1024);
    b.position(32 * 1024);
    b.put((byte) 1).put("CD001".getBytes(StandardCharsets.US_ASCII)).put((byte) 1);
    b.position(32 * 1024 + 80);
    b.putInt(blocks).order(ByteOrder.BIG_ENDIAN).putInt(blocks).order(ByteOrder.LITTLE_ENDIAN);
    b.position(32 * 1024 + 128);
    b.putShort((short) 2048).order(ByteOrder.BIG_ENDIAN).putShort((short) 2048);
    return b.array();
  }

  /** A protective MBR and a GPT header, written over the start of {@code image}. */
  static byte[] withGpt(byte[] image) {
    byte[] copy = Arrays.copyOf(image, Math.max(image.length, 1024));
    copy[446 + 4] = (byte) 0xEE;
    copy[510] = 0x55;
    copy[511] = (byte) 0xAA;
    System.arraycopy("EFI PART".getBytes(StandardCharsets.US_ASCII), 0, copy, 512, 8);
    return copy;
  }

  static byte[] vdi(long size) {
    ByteBuffer b = le(512);
    b.put("<<< Oracle VM VirtualBox Disk Image >>>\n".getBytes(StandardCharsets.US_ASCII));
    b.position(0x40);
    b.putInt(0xBEDA107F);
    b.position(0x170);
    b.putLong(size);
    return b.array();
  }

  static byte[] overlay(byte[] base, byte[] top) {
    byte[] copy = Arrays.copyOf(base, Math.max(base.length, top.length));
    System.arraycopy(top, 0, copy, 0, top.length);
    return copy;
  }
}
