package dev.imagegov.protection;

import dev.imagegov.access.Caller;

/**
 * Glance's property protections: which callers may create, read, update and delete which custom
 * properties. Base attributes are never protected. {@link #none()} is the feature turned off:
 * everything is allowed.
 */
public final class PropertyProtections {
  private static final PropertyProtections NONE = new PropertyProtections();

  private PropertyProtections() {}

  /** No protections: every operation on every custom property is allowed. */
  public static PropertyProtections none() {
    return NONE;
  }

  /** Whether protections are configured at all. */
  public boolean enabled() {
    return this != NONE;
  }

  /** Whether {@code caller} may do {@code operation} on the custom property {@code property}. */
  public boolean allows(Caller caller, String property, PropertyOperation operation) {
    return true;
  }
}
