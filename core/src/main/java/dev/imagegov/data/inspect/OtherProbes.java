package dev.imagegov.data.inspect;

import java.util.Optional;

/** The formats with a fixed header and nothing to follow: ISO, VDI, QED, GPT and LUKS. */
final class OtherProbes {
  private static final long ISO_DESCRIPTOR = 32 * 1024;
  private static final byte[][] ISO_IDS = {
    {'C', 'D', '0', '0', '1'}, {'N', 'S', 'R', '0', '2'}, {'N', 'S', 'R', '0', '3'},
    {'B', 'E', 'A', '0', '1'}
  };
  private static final long VDI_SIGNATURE = 0xBEDA107FL;
  private static final byte[] QED_MAGIC = {'Q', 'E', 'D', 0};
  private static final byte[] EFI_PART = {'E', 'F', 'I', ' ', 'P', 'A', 'R', 'T'};
  private static final byte[] LUKS_MAGIC = {'L', 'U', 'K', 'S', (byte) 0xBA, (byte) 0xBE};
  /** The end of the LUKS version 1 header's payload offset (big-endian 32-bit at 104). */
  private static final int LUKS1_PAYLOAD_END = 108;
  private static final long LUKS_SECTOR = 512;

  private OtherProbes() {}

  /**
   * ISO 9660 / UDF: a volume descriptor identifier at 32 KiB + 1. The virtual size of an ISO 9660
   * primary volume descriptor (type 1) is its volume space size (LE 32-bit at 80) times its
   * logical block size (LE 16-bit at 128).
   */
  static Optional<Finding> iso(Region region) {
    byte[] desc = region.read(ISO_DESCRIPTOR, 2048);
    boolean match = false;
    for (byte[] id : ISO_IDS) {
      match |= Region.startsWith(desc, 1, id);
    }
    if (!match) {
      return Optional.empty();
    }
    Finding f = new Finding(ImageFormat.ISO);
    if (desc[0] == 1 && desc.length >= 132 && Region.startsWith(desc, 1, ISO_IDS[0])) {
      f.size(Region.u32le(desc, 80) * Region.u16le(desc, 128));
    }
    return Optional.of(f);
  }

  /** VirtualBox VDI: signature {@code 0xbeda107f} (LE) at 0x40, virtual size (LE) at 0x170. */
  static Optional<Finding> vdi(byte[] head) {
    if (head.length < 0x44 || Region.u32le(head, 0x40) != VDI_SIGNATURE) {
      return Optional.empty();
    }
    Finding f = new Finding(ImageFormat.VDI);
    if (head.length < 0x178) {
      return Optional.of(f.violation("truncated header (" + head.length + " bytes)"));
    }
    return Optional.of(f.size(Region.u64le(head, 0x170)));
  }

  /** QED: recognised only to be refused, as Glance's inspector does. */
  static Optional<Finding> qed(byte[] head) {
    if (!Region.startsWith(head, 0, QED_MAGIC)) {
      return Optional.empty();
    }
    return Optional.of(new Finding(ImageFormat.QED).violation("this format is not allowed"));
  }

  /**
   * LUKS: the magic {@code LUKS\xba\xbe} at 0, which versions 1 and 2 share, and the version
   * (big-endian 16-bit at 6). As in Glance's inspector ({@code LUKSInspector}, whose {@code
   * check_version} allows version 1 only), any other version, 2 included, is a safety
   * violation, whatever the data is declared as. For version 1 the virtual size is the data size
   * less the header and key material before the payload (payload offset, big-endian 32-bit at
   * 104, in 512-byte sectors), when the data size is known. The payload is encrypted: nothing
   * inside it is inspected (Glance does so only when given the passphrase).
   */
  static Optional<Finding> luks(Region region, byte[] head) {
    if (!Region.startsWith(head, 0, LUKS_MAGIC)) {
      return Optional.empty();
    }
    Finding f = new Finding(ImageFormat.LUKS);
    if (head.length < LUKS1_PAYLOAD_END) {
      return Optional.of(f.violation("truncated header (" + head.length + " bytes)"));
    }
    int version = ((head[6] & 0xFF) << 8) | (head[7] & 0xFF);
    if (version != 1) {
      return Optional.of(f.violation("LUKS version " + version + " is not supported"));
    }
    long payload = Region.u32be(head, 104) * LUKS_SECTOR;
    region.size().ifPresent(size -> {
      if (payload <= size) {
        f.size(size - payload);
      }
    });
    return Optional.of(f);
  }

  /**
   * GPT: an MBR boot signature ({@code 55 AA} at 510) and a GPT header ({@code EFI PART}) in the
   * second logical block (512-byte or 4 KiB sectors).
   */
  static Optional<Finding> gpt(Region region, byte[] head) {
    if (head.length < 520 || (head[510] & 0xFF) != 0x55 || (head[511] & 0xFF) != 0xAA) {
      return Optional.empty();
    }
    if (Region.startsWith(head, 512, EFI_PART)
        || Region.startsWith(region.read(4096, 8), 0, EFI_PART)) {
      return Optional.of(new Finding(ImageFormat.GPT));
    }
    return Optional.empty();
  }
}
