package dev.imagegov.data.imports;

import java.util.Optional;

/**
 * The import methods imagegov implements, by Glance's wire names. {@code glance-download} (from a
 * remote Glance) is not among them.
 */
public enum ImportMethod {
  /** Data staged earlier with {@code stage} moves to the target stores. */
  GLANCE_DIRECT("glance-direct"),
  /** Data is fetched from a URI into staging, then moved to the target stores. */
  WEB_DOWNLOAD("web-download"),
  /** An active image's data is copied to more stores; the status does not change. */
  COPY_IMAGE("copy-image");

  private final String wireName;

  ImportMethod(String wireName) {
    this.wireName = wireName;
  }

  /** {@return the name in requests and in {@code enabled_import_methods}} */
  public String wireName() {
    return wireName;
  }

  /**
   * {@return the method with this wire name, if any}
   *
   * @param name a method as Glance names it ({@code glance-direct}, ...)
   */
  public static Optional<ImportMethod> fromWireName(String name) {
    for (ImportMethod m : values()) {
      if (m.wireName.equals(name)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }
}
