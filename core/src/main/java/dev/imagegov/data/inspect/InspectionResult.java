package dev.imagegov.data.inspect;

import com.google.common.base.Joiner;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.errors.RuleCode;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What {@link FormatInspector} found in image data: the detected format, the virtual size its
 * header declares, and the safety checks it failed. Immutable.
 *
 * <p>{@link #check(String)} applies Glance's {@code require_image_format_match} rule (master,
 * 30.0.0+, for {@code bare} containers; the caller decides when it applies):
 *
 * <ul>
 *   <li>any safety violation refuses the data, whatever the {@code disk_format};
 *   <li>an inspectable {@code disk_format} ({@code raw, qcow2, vmdk, vhd, vhdx, iso, vdi, gpt,
 *       luks})
 *       must be the detected format, except that a declared {@code raw} accepts a raw disk with a
 *       GPT partition table;
 *   <li>any other {@code disk_format} ({@code ami, ari, aki, ploop}, a deployer's own) accepts only
 *       data with no recognised structure (raw or GPT).
 * </ul>
 *
 * <p><b>Difference from Glance:</b> Glance master accepts a declared {@code raw} whose content is
 * another format (recording the byte size as the virtual size). imagegov refuses it: a qcow2 or
 * VMDK stored as {@code raw} is how the OSSA-2024-001 images reach a consumer that probes the
 * format itself. This includes a LUKS version 1 volume declared {@code raw} (Glance accepts it
 * after its safety checks pass); a LUKS version 2 volume is refused by both, as unsafe.
 */
public final class InspectionResult {
  private static final Set<String> INSPECTABLE =
      Set.of("raw", "qcow2", "vmdk", "vhd", "vhdx", "iso", "vdi", "gpt", "luks");

  private final ImageFormat detectedFormat;
  private final OptionalLong virtualSize;
  private final ImmutableList<String> safetyViolations;
  private final ImmutableSet<ImageFormat> matchedFormats;

  InspectionResult(
      ImageFormat detectedFormat,
      OptionalLong virtualSize,
      ImmutableList<String> safetyViolations,
      ImmutableSet<ImageFormat> matchedFormats) {
    this.detectedFormat = detectedFormat;
    this.virtualSize = virtualSize;
    this.safetyViolations = safetyViolations;
    this.matchedFormats = matchedFormats;
  }

  /** {@return the format the data is; {@link ImageFormat#RAW} when no structure was recognised} */
  public ImageFormat detectedFormat() {
    return detectedFormat;
  }

  /**
   * The virtual size in bytes from the detected format's header; for raw (and GPT) data the data
   * size, when the reader knew it. Empty when the header could not be read or is malformed.
   *
   * @return the virtual size in bytes from the detected format's header; for raw (and GPT) data the
   *     data size, when the reader knew it
   */
  public OptionalLong virtualSize() {
    return virtualSize;
  }

  /**
   * {@return why the data is unsafe, one entry per failed check, each naming the format; empty if
   * safe}
   */
  public ImmutableList<String> safetyViolations() {
    return safetyViolations;
  }

  /**
   * {@return every format whose signature matched (more than one structured format is a violation)}
   */
  public ImmutableSet<ImageFormat> matchedFormats() {
    return matchedFormats;
  }

  /** {@return whether every safety check passed} */
  public boolean isSafe() {
    return safetyViolations.isEmpty();
  }

  /**
   * {@return whether the detected format satisfies {@code diskFormat} (see the class comment)}
   *
   * @param diskFormat the image's declared disk format
   */
  public boolean matches(String diskFormat) {
    String declared = Objects.requireNonNull(diskFormat, "diskFormat").toLowerCase(Locale.ROOT);
    boolean rawFamily = detectedFormat == ImageFormat.RAW || detectedFormat == ImageFormat.GPT;
    if (!INSPECTABLE.contains(declared)) {
      return rawFamily;
    }
    if (declared.equals("raw")) {
      return rawFamily;
    }
    return detectedFormat.diskFormat().equals(declared);
  }

  /**
   * Refuses data that is unsafe.
   *
   * @throws GovernanceException {@link RuleCode#UNSAFE_IMAGE} (415) listing the failed checks
   */
  public void checkSafe() {
    if (!safetyViolations.isEmpty()) {
      throw GovernanceException.of(RuleCode.UNSAFE_IMAGE,
          "Image data failed safety checks: " + Joiner.on("; ").join(safetyViolations));
    }
  }

  /**
   * Refuses data that is unsafe or is not in {@code diskFormat}.
   *
   * @param diskFormat the image's declared disk format
   * @throws GovernanceException {@link RuleCode#UNSAFE_IMAGE} (415) listing the failed checks, or
   *     {@link RuleCode#IMAGE_FORMAT_MISMATCH} (415) naming the detected and declared formats
   */
  public void check(String diskFormat) {
    checkSafe();
    if (!matches(diskFormat)) {
      throw GovernanceException.of(RuleCode.IMAGE_FORMAT_MISMATCH,
          "Image data is in format " + detectedFormat.diskFormat()
              + " but disk_format is " + diskFormat);
    }
  }

  @Override
  public String toString() {
    return "InspectionResult{" + detectedFormat.diskFormat() + ", virtualSize=" + virtualSize
        + ", violations=" + safetyViolations + "}";
  }
}
