package dev.imagegov.surface;

/** A stand-in for a generated Immutables type, for {@link ModuleSurfaceTest}. */
public final class ImmutableFixture {
  private ImmutableFixture() {}
}
