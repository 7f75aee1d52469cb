package dev.imagegov.testkit.gen;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;

/**
 * Small disk-image headers built in memory, laid out as the format specifications say: valid
 * qcow2, VMDK, VHD, VHDX, ISO, VDI and GPT images, and the malicious shapes behind Glance's
 * format-inspector advisories (a qcow2 with a backing file or an external data file, a VMDK whose
 * extent is a host file). For tests of code that uploads or inspects images; no downloads.
 */
public final class DiskImages {
  /** One GiB, a convenient virtual size. */
  public static final long GIB = 1L << 30;

  private DiskImages() {}

  /**
   * Builds {@code be}; see the format specification for the layout.
   *
   * @param size the buffer's capacity in bytes
   * @return a zeroed big-endian buffer
   */
  public static ByteBuffer be(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.BIG_ENDIAN);
  }

  /**
   * Builds {@code le}; see the format specification for the layout.
   *
   * @param size the buffer's capacity in bytes
   * @return a zeroed little-endian buffer
   */
  public static ByteBuffer le(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
  }

  /**
   * {@return a qcow2 file of 64 KiB clusters: header, optional extensions, padded to one cluster}
   *
   * @param version the qcow2 version, 2 or 3
   * @param virtualSize the virtual disk's size in bytes
   * @param backingOffset the backing file name's offset; 0 for none
   * @param incompatible the incompatible-features bits
   * @param extensions the header extensions, as {@link #qcow2Extension} builds them
   */
  public static byte[] qcow2(int version, long virtualSize, long backingOffset, long incompatible,
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

  /**
   * Builds {@code qcow2}; see the format specification for the layout.
   *
   * @param version the qcow2 version, 2 or 3
   * @param virtualSize the virtual disk's size in bytes
   * @return the qcow2 header's bytes, without backing file or extensions
   */
  public static byte[] qcow2(int version, long virtualSize) {
    return qcow2(version, virtualSize, 0, 0, new byte[0]);
  }

  /**
   * {@return one qcow2 header extension (type, data padded to 8 bytes)}
   *
   * @param type the extension's type number
   * @param data the extension's data
   */
  public static byte[] qcow2Extension(int type, String data) {
    byte[] d = data.getBytes(StandardCharsets.US_ASCII);
    ByteBuffer b = be(8 + ((d.length + 7) & ~7));
    b.putInt(type).putInt(d.length).put(d);
    return b.array();
  }

  /** The VMDK descriptor of a monolithic sparse disk whose one extent is the file itself. */
  public static final String SPARSE_DESCRIPTOR = "# Disk DescriptorFile\n"
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

  /**
   * {@return a VMDK sparse extent: 512-byte header, descriptor at sector 1 (20 sectors), grain
   * data}
   *
   * @param capacitySectors the virtual disk's size in 512-byte sectors
   * @param descriptor the embedded descriptor text
   * @param gdOffset the grain directory's offset, in sectors
   */
  public static byte[] vmdkSparse(long capacitySectors, String descriptor, long gdOffset) {
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

  /**
   * Builds {@code vmdkSparse}; see the format specification for the layout.
   *
   * @param capacitySectors the virtual disk's size in 512-byte sectors
   * @param descriptor the embedded descriptor text
   * @return the sparse extent's bytes, with the grain directory right after the descriptor
   */
  public static byte[] vmdkSparse(long capacitySectors, String descriptor) {
    return vmdkSparse(capacitySectors, descriptor, 41);
  }

  /**
   * {@return a VHD footer of the given disk type (2 fixed, 3 dynamic, 4 differencing)}
   *
   * @param size the virtual disk's size in bytes
   * @param diskType the disk type (2 fixed, 3 dynamic, 4 differencing)
   */
  public static byte[] vhdFooter(long size, int diskType) {
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

  /**
   * {@return a dynamic VHD: footer copy at 0, a dynamic header, the footer at the end}
   *
   * @param size the virtual disk's size in bytes
   * @param diskType the footer's disk type (2 fixed, 3 dynamic, 4 differencing)
   */
  public static byte[] vhdDynamic(long size, int diskType) {
    byte[] footer = vhdFooter(size, diskType);
    byte[] image = new byte[4096];
    System.arraycopy(footer, 0, image, 0, 512);
    System.arraycopy(footer, 0, image, image.length - 512, 512);
    return image;
  }

  /**
   * {@return a fixed VHD: raw data followed by the footer only}
   *
   * @param size the virtual disk's size in bytes
   */
  public static byte[] vhdFixed(long size) {
    byte[] image = new byte[8192 + 512];
    System.arraycopy(vhdFooter(size, 2), 0, image, 8192, 512);
    return image;
  }

  /**
   * Builds {@code msGuid}; see the format specification for the layout.
   *
   * @param guid a GUID in its text form
   * @return the GUID's 16 bytes in Microsoft's mixed-endian order
   */
  public static byte[] msGuid(String guid) {
    UUID u = UUID.fromString(guid);
    ByteBuffer b = le(16);
    long msb = u.getMostSignificantBits();
    b.putInt((int) (msb >>> 32));
    b.putShort((short) (msb >>> 16));
    b.putShort((short) msb);
    b.order(ByteOrder.BIG_ENDIAN).putLong(u.getLeastSignificantBits());
    return b.array();
  }

  /**
   * {@return a VHDX with identifier, region table at 192 KiB, metadata at 1 MiB}
   *
   * @param virtualSize the virtual disk's size in bytes
   * @param differencing whether the VHDX names a parent
   */
  public static byte[] vhdx(long virtualSize, boolean differencing) {
    int metadataAt = 1 << 20;
    ByteBuffer b = le(metadataAt + 128 * 1024);
    b.put("vhdxfile".getBytes(StandardCharsets.US_ASCII));
    b.position(192 * 1024);
    b.put("regi".getBytes(StandardCharsets.US_ASCII)).putInt(0).putInt(2).putInt(0);
    b.put(msGuid("2DC27766-F623-4200-9D64-115E9BFD4A08")); // BAT region
    b.putLong(2 << 20).putInt(1 << 20).putInt(1);
    b.put(msGuid("8B7CA206-4790-4B9A-B8FE-575F050F886E")); // metadata region
    b.putLong(metadataAt).putInt(1 << 20).putInt(1);
    b.position(metadataAt);
    b.put("metadata".getBytes(StandardCharsets.US_ASCII)).putShort((short) 0);
    int entries = differencing ? 2 : 1;
    b.putShort((short) entries);
    b.position(metadataAt + 32);
    b.put(msGuid("2FA54224-CD1B-4876-B211-5DBED83BF4B8")).putInt(65536).putInt(8).putInt(2).putInt(0);
    if (differencing) {
      b.put(msGuid("A8D35F2D-B30B-454D-ABF7-D3D84834AB0C")).putInt(65536 + 8).putInt(64).putInt(6).putInt(0);
    }
    b.position(metadataAt + 65536);
    b.putLong(virtualSize);
    return b.array();
  }

  /**
   * {@return an ISO 9660 image: 16 empty sectors, then a primary volume descriptor}
   *
   * @param blocks the volume's size in 2 KiB blocks
   */
  public static byte[] iso(int blocks) {
    ByteBuffer b = le(40 * 1024);
    b.position(32 * 1024);
    b.put((byte) 1).put("CD001".getBytes(StandardCharsets.US_ASCII)).put((byte) 1);
    b.position(32 * 1024 + 80);
    b.putInt(blocks).order(ByteOrder.BIG_ENDIAN).putInt(blocks).order(ByteOrder.LITTLE_ENDIAN);
    b.position(32 * 1024 + 128);
    b.putShort((short) 2048).order(ByteOrder.BIG_ENDIAN).putShort((short) 2048);
    return b.array();
  }

  /**
   * {@return a protective MBR and a GPT header, written over the start of {@code image}}
   *
   * @param image the image to write over; changed in place
   */
  public static byte[] withGpt(byte[] image) {
    byte[] copy = Arrays.copyOf(image, Math.max(image.length, 1024));
    copy[446 + 4] = (byte) 0xEE;
    copy[510] = 0x55;
    copy[511] = (byte) 0xAA;
    System.arraycopy("EFI PART".getBytes(StandardCharsets.US_ASCII), 0, copy, 512, 8);
    return copy;
  }

  /**
   * Builds {@code vdi}; see the format specification for the layout.
   *
   * @param size the virtual disk's size in bytes
   * @return the VDI image's bytes
   */
  public static byte[] vdi(long size) {
    ByteBuffer b = le(512);
    b.put("<<< Oracle VM VirtualBox Disk Image >>>\n".getBytes(StandardCharsets.US_ASCII));
    b.position(0x40);
    b.putInt(0xBEDA107F);
    b.position(0x170);
    b.putLong(size);
    return b.array();
  }

  /**
   * Builds {@code overlay}; see the format specification for the layout.
   *
   * @param base the base image, written as the backing file's contents
   * @param top the overlay's own data
   * @return the overlay's bytes
   */
  public static byte[] overlay(byte[] base, byte[] top) {
    byte[] copy = Arrays.copyOf(base, Math.max(base.length, top.length));
    System.arraycopy(top, 0, copy, 0, top.length);
    return copy;
  }

  /**
   * {@return a plain qcow2 v3 of {@code virtualSize}}
   *
   * @param virtualSize the virtual disk's size in bytes
   */
  public static byte[] qcow2(long virtualSize) {
    return qcow2(3, virtualSize, 0, 0, new byte[0]);
  }

  /** {@return a qcow2 v3 naming a backing file (the name at offset 32 KiB): unsafe} */
  public static byte[] qcow2WithBackingFile() {
    return qcow2(3, GIB, 32768, 0, new byte[0]);
  }

  /** {@return a qcow2 v3 with an external data file extension pointing at a host file: unsafe} */
  public static byte[] qcow2WithDataFile() {
    return qcow2(3, GIB, 0, 1L << 2, qcow2Extension(0x44415441, "/etc/shadow"));
  }

  /** {@return a monolithic sparse VMDK whose extent is a host file: unsafe} */
  public static byte[] vmdkExtentOutside() {
    return vmdkSparse(
        2097152, SPARSE_DESCRIPTOR.replace("SPARSE \"disk.vmdk\"", "SPARSE \"/etc/passwd\""));
  }
}
