package dev.imagegov.data.inspect;

import java.util.Optional;

/**
 * VHDX (MS-VHDX): identifier {@code vhdxfile} at 0, region table at 192 KiB ({@code regi}), whose
 * metadata-region entry points at the metadata table ({@code metadata}); its Virtual Disk Size
 * item holds the virtual size. A Parent Locator item makes the disk a differencing disk, which
 * names a parent image and is unsafe. All structures are little-endian.
 */
final class VhdxProbe {
  private static final byte[] IDENT = {'v', 'h', 'd', 'x', 'f', 'i', 'l', 'e'};
  private static final byte[] METADATA_SIG = {'m', 'e', 't', 'a', 'd', 'a', 't', 'a'};
  private static final long REGION_TABLE = 192 * 1024;
  private static final long REGION_SIG = 0x69676572L; // "regi"
  private static final int TABLE_BYTES = 64 * 1024;
  private static final int MAX_ENTRIES = 2047;
  static final String METADATA_REGION = "8B7CA206-4790-4B9A-B8FE-575F050F886E";
  static final String VIRTUAL_DISK_SIZE = "2FA54224-CD1B-4876-B211-5DBED83BF4B8";
  static final String PARENT_LOCATOR = "A8D35F2D-B30B-454D-ABF7-D3D84834AB0C";

  private VhdxProbe() {}

  static Optional<Finding> probe(Region region, byte[] head) {
    if (!Region.startsWith(head, 0, IDENT)) {
      return Optional.empty();
    }
    Finding f = new Finding(ImageFormat.VHDX);
    byte[] table = region.read(REGION_TABLE, TABLE_BYTES);
    if (table.length < 16) {
      return Optional.of(f.violation(unavailable(region, REGION_TABLE + 16, "region table")));
    }
    if (Region.u32le(table, 0) != REGION_SIG) {
      return Optional.of(f.violation("region table signature not found"));
    }
    long count = Region.u32le(table, 8);
    if (count > MAX_ENTRIES) {
      return Optional.of(f.violation("region table has " + count + " entries (limit 2047)"));
    }
    long metadataAt = -1;
    for (int i = 0; i < count; i++) {
      int at = 16 + i * 32;
      if (at + 32 > table.length) {
        return Optional.of(f.violation(unavailable(region, REGION_TABLE + at + 32,
            "region table")));
      }
      if (Region.guid(table, at).equals(METADATA_REGION)) {
        metadataAt = Region.u64le(table, at + 16);
        break;
      }
    }
    if (metadataAt < 0) {
      return Optional.of(f.violation("no metadata region"));
    }
    byte[] meta = region.read(metadataAt, TABLE_BYTES);
    if (meta.length < 32) {
      return Optional.of(f.violation(unavailable(region, metadataAt + 32, "metadata table")));
    }
    if (!Region.startsWith(meta, 0, METADATA_SIG)) {
      return Optional.of(f.violation("metadata table signature not found"));
    }
    int entries = Region.u16le(meta, 10);
    if (entries > MAX_ENTRIES) {
      return Optional.of(f.violation("metadata table has " + entries + " entries (limit 2047)"));
    }
    long sizeItemAt = -1;
    for (int i = 0; i < entries; i++) {
      int at = 32 + i * 32;
      if (at + 32 > meta.length) {
        return Optional.of(f.violation(unavailable(region, metadataAt + at + 32,
            "metadata table")));
      }
      String id = Region.guid(meta, at);
      if (id.equals(PARENT_LOCATOR)) {
        f.violation("a differencing disk: it names a parent image");
      } else if (id.equals(VIRTUAL_DISK_SIZE)) {
        sizeItemAt = metadataAt + Region.u32le(meta, at + 16);
      }
    }
    if (sizeItemAt < 0) {
      return Optional.of(f.violation("no virtual disk size item"));
    }
    byte[] size = region.read(sizeItemAt, 8);
    if (size.length < 8) {
      return Optional.of(f.violation(unavailable(region, sizeItemAt + 8, "virtual disk size")));
    }
    long bytes = Region.u64le(size, 0);
    if (bytes < 0) {
      return Optional.of(f.violation("virtual disk size out of range"));
    }
    return Optional.of(f.size(bytes));
  }

  private static String unavailable(Region region, long end, String what) {
    return region.endsBy(end)
        ? "truncated " + what
        : what + " lies beyond the inspected data";
  }
}
