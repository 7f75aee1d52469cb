package dev.imagegov.surface;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.collect.Sets;
import dev.imagegov.ImageGovernance;
import dev.imagegov.model.Image;
import dev.imagegov.store.file.FileCatalog;
import dev.imagegov.store.jdbc.JdbcStore;
import dev.imagegov.store.memory.MemoryCatalog;
import dev.imagegov.store.s3.S3BlobStore;
import dev.imagegov.testkit.contract.CatalogContract;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pins the API of every library module, in the manner of Caffeine's {@code ModuleTest} and
 * Guava's API tests: its API packages (all but {@code internal} ones, which {@code
 * Automatic-Module-Name} cannot hide), its public types, and that no public or protected signature
 * names an internal, generated ({@code Immutable*}) or non-public type. The expected lists are
 * text resources under {@code src/test/resources/api/<module>/}; a change to the surface fails
 * here until a developer has reviewed it and updated the file (by hand, or by running this test
 * with {@code -Dimagegov.api.update=true}, which rewrites the lists and the allowlist's keys).
 *
 * <p>{@code allowed-leaks.txt} lists the known leaks that cannot be fixed yet, each with its
 * reason after {@code #}; it may only shrink: a leak not on it fails, and so does an entry that
 * is no longer a leak (remove it). An entry {@code not-api X} names a public type of an API
 * package that is not meant as API (public only so that other packages of the module reach it):
 * it must stay a public type until it is moved to an internal package or made package-private,
 * and then the entry must go.
 */
class ApiSurfaceTest {
  private static final String NOT_API = "not-api ";
  private static final boolean UPDATE = Boolean.getBoolean("imagegov.api.update");

  static Stream<Named<ModuleSurface>> modules() {
    return Stream.of(
            ModuleSurface.of("store-spi", Image.class),
            ModuleSurface.of("core", ImageGovernance.class),
            ModuleSurface.of("store-memory", MemoryCatalog.class),
            ModuleSurface.of("store-file", FileCatalog.class),
            ModuleSurface.of("store-s3", S3BlobStore.class),
            ModuleSurface.of("store-jdbc", JdbcStore.class),
            ModuleSurface.of("testkit", CatalogContract.class))
        .map(m -> Named.of(m.module(), m));
  }

  @ParameterizedTest
  @MethodSource("modules")
  void apiPackagesArePinned(ModuleSurface module) {
    assertPinned(module, "packages.txt", module.apiPackages(), "API packages");
  }

  @ParameterizedTest
  @MethodSource("modules")
  void publicTypesArePinned(ModuleSurface module) {
    assertPinned(module, "public-types.txt", module.publicTypes(), "public types of API packages");
  }

  @ParameterizedTest
  @MethodSource("modules")
  void noSignatureNamesAnInternalGeneratedOrHiddenType(ModuleSurface module) {
    String file = "allowed-leaks.txt";
    SortedMap<String, String> allowed = allowlist(module, file);
    SortedSet<String> leaks = module.leaks();
    for (String type : module.publicTypes()) {
      if (allowed.containsKey(NOT_API + type)) {
        leaks.add(NOT_API + type);
      }
    }
    if (UPDATE) {
      List<String> lines = new ArrayList<>();
      for (String leak : leaks) {
        lines.add(leak + " # " + allowed.getOrDefault(leak, "TODO: why this cannot be fixed now"));
      }
      write(module, file, lines);
      return;
    }
    SortedSet<String> unexpected = new TreeSet<>(Sets.difference(leaks, allowed.keySet()));
    SortedSet<String> fixed = new TreeSet<>(Sets.difference(allowed.keySet(), leaks));
    assertThat(unexpected)
        .as("%s: public signatures name internal, generated or non-public types. Name a public "
                + "API type instead (the abstract value type, not Immutable*), or move the member "
                + "out of the API. Leaks:%n  %s", module.module(), String.join("\n  ", unexpected))
        .isEmpty();
    assertThat(fixed)
        .as("%s: these entries of %s are no longer leaks; the allowlist only shrinks, remove them"
                + ":%n  %s", module.module(), path(module, file), String.join("\n  ", fixed))
        .isEmpty();
    allowed.forEach((leak, reason) -> assertThat(reason)
        .as("%s: the entry '%s' of %s needs a reason after '#'", module.module(), leak, file)
        .isNotBlank()
        .doesNotStartWith("TODO"));
  }

  private static void assertPinned(
      ModuleSurface module, String file, SortedSet<String> actual, String what) {
    if (UPDATE) {
      write(module, file, new ArrayList<>(actual));
      return;
    }
    SortedSet<String> expected = new TreeSet<>(lines(module, file));
    SortedSet<String> added = new TreeSet<>(Sets.difference(actual, expected));
    SortedSet<String> removed = new TreeSet<>(Sets.difference(expected, actual));
    assertThat(added.isEmpty() && removed.isEmpty())
        .as("The %s of %s changed. Review the change to the public API (is each new type meant "
                + "to be API? could it be package-private or in an internal package?), then "
                + "update %s (or run this test with -Dimagegov.api.update=true).%n"
                + "added:%n  %s%nremoved:%n  %s", what, module.module(), path(module, file),
            String.join("\n  ", added), String.join("\n  ", removed))
        .isTrue();
  }

  private static SortedMap<String, String> allowlist(ModuleSurface module, String file) {
    SortedMap<String, String> entries = new TreeMap<>();
    for (String line : lines(module, file)) {
      int hash = line.indexOf(" # ");
      entries.put(
          hash < 0 ? line : line.substring(0, hash).trim(),
          hash < 0 ? "" : line.substring(hash + 3).trim());
    }
    return entries;
  }

  private static List<String> lines(ModuleSurface module, String file) {
    String resource = "/api/" + module.module() + "/" + file;
    try (InputStream in = ApiSurfaceTest.class.getResourceAsStream(resource)) {
      if (in == null) {
        return List.of();
      }
      List<String> lines = new ArrayList<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isBlank() && !line.startsWith("#")) {
          lines.add(line.trim());
        }
      }
      return lines;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String path(ModuleSurface module, String file) {
    return "governance-tests/src/test/resources/api/" + module.module() + "/" + file;
  }

  private static void write(ModuleSurface module, String file, List<String> lines) {
    Path target = Path.of("src/test/resources/api", module.module(), file);
    try {
      Files.createDirectories(target.getParent());
      Files.writeString(target, lines.isEmpty() ? "" : String.join("\n", lines) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
