package dev.imagegov.data.inspect;

/**
 * A disk-image format the {@link FormatInspector} recognises, with the name Glance uses for it as
 * a {@code disk_format} (and {@code qemu-img} as a format name).
 *
 * <p>{@link #RAW} means "no known structure was found". {@link #GPT} is a raw disk that carries a
 * GUID partition table; it satisfies a declared {@code raw}. {@link #QED} is recognised only to be
 * refused: no Glance consumer supports it. {@link #LUKS} is an encrypted volume: it is not raw.
 */
public enum ImageFormat {
  /** Unstructured data: no header of another format was found. */
  RAW("raw"),
  /** QEMU copy-on-write v2 or v3 ({@code QFI\xfb}). */
  QCOW2("qcow2"),
  /** VMware virtual disk: a sparse extent ({@code KDMV}) or a text descriptor file. */
  VMDK("vmdk"),
  /** Microsoft Virtual PC / Hyper-V VHD ({@code conectix} footer). */
  VHD("vhd"),
  /** Microsoft Hyper-V VHDX ({@code vhdxfile}). */
  VHDX("vhdx"),
  /** ISO 9660 or UDF optical-disc image ({@code CD001} at 32 KiB). */
  ISO("iso"),
  /** VirtualBox disk image. */
  VDI("vdi"),
  /** QEMU enhanced disk: recognised and always refused. */
  QED("qed"),
  /** A raw disk with a GUID partition table (protective MBR and {@code EFI PART}). */
  GPT("gpt"),
  /**
   * A LUKS encrypted volume ({@code LUKS\xba\xbe}), version 1 or 2. Only version 1 is
   * allowed, as by Glance's inspector; a version 2 header is recognised to be refused.
   */
  LUKS("luks");

  private final String diskFormat;

  ImageFormat(String diskFormat) {
    this.diskFormat = diskFormat;
  }

  /** {@return the name Glance and {@code qemu-img} use for this format, such as {@code qcow2}} */
  public String diskFormat() {
    return diskFormat;
  }
}
