package dev.imagegov.data.inspect;

import java.util.Optional;

/**
 * VHD: a big-endian 512-byte footer ({@code conectix}) at the end of the file; dynamic and
 * differencing disks also keep a copy at offset 0, fixed disks only at the end (so a fixed VHD is
 * found only when the reader knows the image size). The virtual size is the footer's original
 * size (offset 40), as Glance's inspector reads it. A differencing disk (type 4) names a parent
 * image and is unsafe.
 */
final class VhdProbe {
  private static final byte[] COOKIE = {'c', 'o', 'n', 'e', 'c', 't', 'i', 'x'};
  private static final int FOOTER = 512;

  private VhdProbe() {}

  static Optional<Finding> probe(Region region, byte[] head) {
    if (Region.startsWith(head, 0, COOKIE)) {
      return Optional.of(footer(head));
    }
    if (region.size().isPresent() && region.size().getAsLong() >= FOOTER) {
      byte[] tail = region.read(region.size().getAsLong() - FOOTER, FOOTER);
      if (Region.startsWith(tail, 0, COOKIE)) {
        return Optional.of(footer(tail));
      }
    }
    return Optional.empty();
  }

  private static Finding footer(byte[] footer) {
    Finding f = new Finding(ImageFormat.VHD);
    if (footer.length < 64) {
      return f.violation("truncated footer (" + footer.length + " bytes)");
    }
    f.size(Region.u64be(footer, 40));
    long diskType = Region.u32be(footer, 60);
    if (diskType == 4) {
      f.violation("a differencing disk: it names a parent image");
    } else if (diskType != 2 && diskType != 3) {
      f.violation("unknown disk type " + diskType);
    }
    return f;
  }
}
