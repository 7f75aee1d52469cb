package dev.imagegov.data.inspect;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Finds out what format image data really is, in the manner of Glance's format inspector
 * ({@code oslo_utils.imageutils.format_inspector}): every known format is probed, the header of
 * the one that matches gives the virtual size, and its safety checks run.
 *
 * <p>Formats: raw, qcow2, vmdk (sparse extent or text descriptor), vhd, vhdx, iso, vdi, qed, gpt
 * and luks (see {@link ImageFormat}; a LUKS version 2 header is recognised and unsafe). Data that
 * matches no format is {@link ImageFormat#RAW}. Data that matches two formats at once (a qcow2
 * header in an ISO, a qcow2 with a GPT) is a safety violation: the same bytes would be read
 * differently by different tools. The one accepted overlap is ISO with GPT (a hybrid ISO), which
 * counts as ISO.
 *
 * <p>The inspector reads through a {@link RegionReader}: the header sectors, the VMDK descriptor
 * (at most 1 MiB), the VHDX region and metadata tables (64 KiB each), the ISO volume descriptor at
 * 32 KiB, and the last 512 bytes when the size is known (fixed VHD). It never reads the whole
 * image. Stateless and thread-safe.
 */
public final class FormatInspector {
  /** The prefix {@link #inspect(InputStream)} reads: enough for every header layout qemu writes. */
  public static final int DEFAULT_PREFIX_BYTES = 4 << 20;

  private static final int HEAD = 1024;

  private FormatInspector() {}

  /**
   * Inspects the image data {@code reader} gives access to.
   *
   * @param reader reads regions of the image data
   * @return the detected format and whatever makes the data unsafe
   * @throws UncheckedIOException if the reader fails
   */
  public static InspectionResult inspect(RegionReader reader) {
    Region region = new Region(reader);
    byte[] head = region.read(0, HEAD);
    List<Finding> findings = new ArrayList<>();
    List<Supplier<Optional<Finding>>> probes = List.of(
        () -> Qcow2Probe.probe(region, head),
        () -> OtherProbes.qed(head),
        () -> VmdkProbe.probe(region, head),
        () -> VhdxProbe.probe(region, head),
        () -> VhdProbe.probe(region, head),
        () -> OtherProbes.vdi(head),
        () -> OtherProbes.iso(region),
        () -> OtherProbes.gpt(region, head),
        () -> OtherProbes.luks(region, head));
    for (Supplier<Optional<Finding>> probe : probes) {
      probe.get().ifPresent(findings::add);
    }
    return combine(findings, region.size());
  }

  /**
   * Inspects the first {@link #DEFAULT_PREFIX_BYTES} of {@code firstBytes} (read, not closed).
   * When the stream is longer than that, its size is unknown: a fixed VHD (footer at the end)
   * is then not recognised, and a region beyond the prefix that a safety check needs is a
   * violation. Prefer {@link #inspect(RegionReader)} over stored data.
   *
   * @param firstBytes the image data; only its first bytes are read, and it is not closed
   * @return the detected format and whatever makes the data unsafe
   * @throws UncheckedIOException if reading the stream fails
   */
  public static InspectionResult inspect(InputStream firstBytes) {
    try {
      return inspect(RegionReader.prefixOf(firstBytes, DEFAULT_PREFIX_BYTES));
    } catch (IOException e) {
      throw new UncheckedIOException("reading image data", e);
    }
  }

  private static InspectionResult combine(List<Finding> findings, OptionalLong size) {
    Set<ImageFormat> matched = EnumSet.noneOf(ImageFormat.class);
    ImmutableList.Builder<String> violations = ImmutableList.builder();
    for (Finding f : findings) {
      matched.add(f.format);
      violations.addAll(f.violations());
    }
    Set<ImageFormat> structured = EnumSet.copyOf(matched.isEmpty()
        ? EnumSet.of(ImageFormat.RAW) : matched);
    if (structured.contains(ImageFormat.ISO)) {
      structured.remove(ImageFormat.GPT);
    }
    ImageFormat detected;
    OptionalLong virtualSize;
    if (matched.isEmpty()) {
      detected = ImageFormat.RAW;
      virtualSize = size;
    } else {
      Finding first = findings.stream()
          .filter(f -> structured.contains(f.format))
          .findFirst()
          .orElseThrow();
      detected = first.format;
      virtualSize = detected == ImageFormat.GPT ? size : first.virtualSize;
    }
    if (structured.size() > 1) {
      StringBuilder names = new StringBuilder();
      for (ImageFormat format : structured) {
        names.append(names.length() == 0 ? "" : ", ").append(format.diskFormat());
      }
      violations.add("the data is valid as several formats at once (" + names + ")");
    }
    return new InspectionResult(
        detected, virtualSize, violations.build(), ImmutableSet.copyOf(matched));
  }
}
