package dev.imagegov.surface;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The surface checker finds each kind of leak and accepts the patterns it sanctions (public so
 * that its nested fixtures are effectively public).
 */
public class ModuleSurfaceTest {
  /** Package-private: not nameable by callers. */
  static class Hidden {}

  /** Public, exposing a hidden type. */
  public static class ExposesHidden {
    public Hidden hidden() {
      return new Hidden();
    }

    Hidden packagePrivateIsFine() {
      return new Hidden();
    }
  }

  /** Public, taking a generated type. */
  public static class TakesGenerated {
    public void take(List<ImmutableFixture> values) {}
  }

  /** Public, extending a hidden class of its package. */
  public static class ExtendsHidden extends Hidden {}

  /** Public, clean. */
  public static class Clean {
    public List<String> names() {
      return List.of();
    }
  }

  private static ModuleSurface surface(Class<?>... classes) {
    return ModuleSurface.of("fixture", List.of(classes));
  }

  @Test
  void aPublicMethodReturningAHiddenTypeLeaks() {
    assertThat(surface(ExposesHidden.class, Hidden.class).leaks())
        .containsExactly(
            "dev.imagegov.surface.ModuleSurfaceTest.ExposesHidden.hidden returns -> "
                + "dev.imagegov.surface.ModuleSurfaceTest.Hidden (not public)");
  }

  @Test
  void aGeneratedTypeInATypeArgumentLeaks() {
    assertThat(surface(TakesGenerated.class).leaks())
        .containsExactly(
            "dev.imagegov.surface.ModuleSurfaceTest.TakesGenerated.take takes -> "
                + "dev.imagegov.surface.ImmutableFixture (generated)");
  }

  @Test
  void aPublicGeneratedTypeLeaks() {
    assertThat(surface(ImmutableFixture.class).leaks())
        .containsExactly(
            "dev.imagegov.surface.ImmutableFixture -> dev.imagegov.surface.ImmutableFixture (a "
                + "generated type is public)");
  }

  @Test
  void aHiddenSuperclassOfTheSamePackageIsAShimNotALeak() {
    assertThat(surface(ExtendsHidden.class, Clean.class).leaks()).isEmpty();
  }

  @Test
  void theValueBuilderPatternIsNotALeak() {
    assertThat(surface(dev.imagegov.model.Image.class, dev.imagegov.model.Image.Builder.class)
            .leaks())
        .isEmpty();
  }

  @Test
  void internalPackagesAreNotApi() {
    assertThat(ModuleSurface.isInternal("dev.imagegov.internal")).isTrue();
    assertThat(ModuleSurface.isInternal("dev.imagegov.internal.ini")).isTrue();
    assertThat(ModuleSurface.isInternal("dev.imagegov.internals")).isFalse();
    assertThat(surface(Clean.class, ExposesHidden.class).publicTypes())
        .containsExactly(
            "dev.imagegov.surface.ModuleSurfaceTest.Clean",
            "dev.imagegov.surface.ModuleSurfaceTest.ExposesHidden");
  }
}
