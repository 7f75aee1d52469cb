package dev.imagegov.data.inspect;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * VMDK. Only the self-contained forms are safe: a sparse extent ({@code KDMV}) whose embedded
 * descriptor says {@code createType="monolithicSparse"} or {@code "streamOptimized"} and lists only
 * {@code SPARSE} (or {@code ZERO}) extents with a plain file name. Everything else can make {@code
 * qemu-img} open other files: a text descriptor file (its extents are separate files), a flat or
 * split {@code createType}, an extent with a path, and a sparse header with capacity 0 (QEMU then
 * reads the embedded descriptor as a descriptor file and opens its extents).
 *
 * <p>The sparse header is little-endian: capacity (sectors) at 12, descriptor offset and size
 * (sectors) at 28 and 36, grain-directory offset at 56 ({@code 0xffffffffffffffff}: the real
 * header is a footer 1024 bytes before the end, as stream-optimized files write it).
 */
final class VmdkProbe {
  private static final byte[] MAGIC = {'K', 'D', 'M', 'V'};
  private static final int HEADER = 512;
  private static final long GD_AT_END = 0xFFFFFFFFFFFFFFFFL;
  private static final int MAX_DESCRIPTOR = (1 << 20) - 1;
  private static final Pattern CREATE_TYPE =
      Pattern.compile("^createtype\\s*=\\s*\"([^\"]{0,64})\"$");
  private static final Pattern EXTENT = Pattern.compile(
      "^(rw|rdonly|noaccess)\\s+(\\d+)\\s+([a-z]+)(?:\\s+\"([^\"]*)\")?(\\s+\\d+)?$");

  private VmdkProbe() {}

  static Optional<Finding> probe(Region region, byte[] head) {
    if (Region.startsWith(head, 0, MAGIC)) {
      return Optional.of(sparse(region, head));
    }
    if (isDescriptorFile(head)) {
      return Optional.of(new Finding(ImageFormat.VMDK).violation(
          "a text descriptor file: its extents are separate files, not image data"));
    }
    return Optional.empty();
  }

  private static boolean isDescriptorFile(byte[] head) {
    String text = new String(head, 0, Math.min(head.length, 64), StandardCharsets.ISO_8859_1);
    return text.stripLeading().toLowerCase(Locale.ROOT).startsWith("# disk descriptorfile");
  }

  private static Finding sparse(Region region, byte[] head) {
    Finding f = new Finding(ImageFormat.VMDK);
    if (head.length < 64) {
      return f.violation("truncated sparse header (" + head.length + " bytes)");
    }
    long version = Region.u32le(head, 4);
    long capacity = Region.u64le(head, 12);
    long descOffset = Region.u64le(head, 28);
    long descSectors = Region.u64le(head, 36);
    long gdOffset = Region.u64le(head, 56);
    if (version < 1 || version > 3) {
      return f.violation("unsupported sparse header version " + version);
    }
    if (descOffset != 1) {
      return f.violation("embedded descriptor is not at sector 1 (offset " + descOffset + ")");
    }
    if (descSectors == 0) {
      return f.violation("has no embedded descriptor");
    }
    if (capacity == 0) {
      f.violation("capacity 0: the embedded descriptor would be read as a descriptor file");
    } else if (capacity > Long.MAX_VALUE / 512) {
      f.violation("capacity out of range");
    }
    int descLength =
        (int) Math.min(Math.min(descSectors, MAX_DESCRIPTOR / 512 + 1) * 512, MAX_DESCRIPTOR);
    byte[] desc = region.read(HEADER, descLength);
    if (desc.length < descLength && !region.endsBy(HEADER + (long) descLength)) {
      return f.violation("embedded descriptor extends beyond the inspected data");
    }
    if (!checkDescriptor(f, desc)) {
      return f;
    }
    if (gdOffset == GD_AT_END) {
      checkFooter(region, f, capacity, descOffset, descSectors);
    } else if (capacity > 0 && capacity <= Long.MAX_VALUE / 512) {
      f.size(capacity * 512);
    }
    return f;
  }

  /** Stream-optimized files keep the authoritative header in a footer near the end. */
  private static void checkFooter(
      Region region, Finding f, long capacity, long descOffset, long descSectors) {
    if (region.size().isEmpty() || region.size().getAsLong() < HEADER + 1536) {
      f.violation("the stream-optimized footer cannot be inspected (image size unknown or short)");
      return;
    }
    long footerAt = region.size().getAsLong() - 1024;
    byte[] footer = region.read(footerAt, 64);
    if (footer.length < 64 || !Region.startsWith(footer, 0, MAGIC)) {
      f.violation("stream-optimized footer is missing");
      return;
    }
    long footerCapacity = Region.u64le(footer, 12);
    if (Region.u64le(footer, 28) != descOffset || Region.u64le(footer, 36) != descSectors
        || footerCapacity != capacity) {
      f.violation("stream-optimized footer disagrees with the header");
      return;
    }
    f.size(capacity * 512);
  }

  /**
   * Parses the descriptor cautiously: every line must be a comment, a {@code ddb} entry, a
   * {@code key=value} header field or an extent; extents must be SPARSE or ZERO with a plain file
   * name. Returns false if a violation was recorded.
   */
  private static boolean checkDescriptor(Finding f, byte[] raw) {
    int end = raw.length;
    while (end > 0 && raw[end - 1] == 0) {
      end--;
    }
    for (int i = 0; i < end; i++) {
      if (raw[i] < 0 || raw[i] == 0) {
        f.violation("embedded descriptor is not ASCII text");
        return false;
      }
    }
    String text = new String(raw, 0, end, StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
    String createType = null;
    int extents = 0;
    for (String rawLine : text.split("\n", -1)) {
      String line = rawLine.strip();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith("ddb")) {
        continue;
      }
      Matcher extent = EXTENT.matcher(line);
      if (extent.matches()) {
        extents++;
        String type = extent.group(3);
        String file = extent.group(4);
        if (!type.equals("sparse") && !type.equals("zero")) {
          f.violation("extent of type " + type.toUpperCase(Locale.ROOT)
              + " refers to data outside the image");
          return false;
        }
        if (file != null && (file.contains("/") || file.contains("\\") || file.contains(".."))) {
          f.violation("extent file name is a path outside the image");
          return false;
        }
        continue;
      }
      int eq = line.indexOf('=');
      if (eq > 0 && !line.substring(0, eq).strip().contains(" ")) {
        Matcher ct = CREATE_TYPE.matcher(line);
        if (ct.matches()) {
          createType = ct.group(1);
        }
        continue;
      }
      f.violation("embedded descriptor has an unrecognised line");
      return false;
    }
    if (createType == null) {
      f.violation("embedded descriptor has no createType");
      return false;
    }
    if (!createType.equals("monolithicsparse") && !createType.equals("streamoptimized")) {
      f.violation("createType \"" + createType + "\" keeps data in other files");
      return false;
    }
    if (extents == 0) {
      f.violation("embedded descriptor lists no extents");
      return false;
    }
    return true;
  }
}
