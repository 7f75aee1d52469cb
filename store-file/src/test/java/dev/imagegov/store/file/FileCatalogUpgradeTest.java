package dev.imagegov.store.file;

import static dev.imagegov.testkit.gen.Images.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.Location;
import dev.imagegov.model.Member;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.StoreId;
import dev.imagegov.model.Tombstone;
import dev.imagegov.model.Visibility;
import dev.imagegov.spi.Catalog;
import dev.imagegov.store.memory.MemoryCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Catalog directories written by an older imagegov open with every image and tombstone they
 * hold. The fixture {@code src/test/resources/fixtures/format-v3/} was written by format version 3
 * (JSON snapshot payloads) running {@link #history} with {@link #generate} on the commit before
 * the binary snapshot: a snapshot after the first part of the history, and a journal segment
 * after it holding the second part.
 */
class FileCatalogUpgradeTest {
  static final Path FIXTURE_V3 = Path.of("src/test/resources/fixtures/format-v3");
  private static final ProjectId ALICE = ProjectId.of("alice");
  private static final ProjectId BOB = ProjectId.of("bob");
  private static final ProjectId GROUP = ProjectId.of("group");

  @TempDir Path dir;

  static ImageId id(long n) {
    return ImageId.of(new UUID(0x5eed, n));
  }

  /** A shared image with every kind of field set, from {@code n} alone. */
  static Image image(long n) {
    ImageId id = id(n);
    Image.Builder b = Image.builder()
        .id(id)
        .name("image-" + (n % 3))
        .owner(n % 2 == 0 ? ALICE : BOB)
        .visibility(n % 4 == 0 ? Visibility.PUBLIC : Visibility.SHARED)
        .status(ImageStatus.ACTIVE)
        .isProtected(n % 5 == 0)
        .osHidden(n % 7 == 0)
        .diskFormat("qcow2")
        .containerFormat("bare")
        .size(1000 * n)
        .virtualSize(4000 * n)
        .checksum("c" + n)
        .osHashAlgo("sha512")
        .osHashValue("h" + n)
        .minDisk((int) n)
        .minRam((int) (2 * n))
        .addTags("t" + (n % 2), "é-" + n)
        .putProperties("os_distro", n % 2 == 0 ? "ubuntu" : "fedora")
        .putProperties("k" + n, "v\u00e9" + n)
        .addLocations(Location.builder().store(StoreId.of("local")).url("file:///b/" + n)
            .putMetadata("m", "" + n).build())
        .createdAt(T0.plusSeconds(n).plusNanos(n))
        .updatedAt(T0.plusSeconds(2 * n).plusNanos(7));
    if (n % 4 != 0) {
      b.putMembers(GROUP, Member.builder().imageId(id).project(GROUP)
          .status(MemberStatus.ACCEPTED).createdAt(T0).updatedAt(T0.plusNanos(n)).build());
      ProjectId carol = ProjectId.of("carol-" + n);
      b.putMembers(carol, Member.builder().imageId(id).project(carol)
          .status(MemberStatus.REJECTED).via(GROUP).createdAt(T0).updatedAt(T0)
          .expiresAt(T0.plusSeconds(86_400 * n)).build());
    }
    return b.build();
  }

  /** The first part of the history: in the fixture's snapshot. */
  static void beforeSnapshot(Catalog c) {
    for (long n = 1; n <= 12; n++) {
      c.insert(image(n));
    }
    c.compareAndSet(1, image(3).toBuilder().name("renamed").build());
    c.delete(id(4), 1, ImageStatus.DELETED, T0.plusSeconds(100));
    c.delete(id(5), 1, ImageStatus.PENDING_DELETE, T0.plusSeconds(101));
    c.delete(id(6), 1, ImageStatus.PENDING_DELETE, T0.plusSeconds(102));
    c.finishDeletion(id(6));
  }

  /** The second part of the history: in the fixture's journal, after the snapshot. */
  static void afterSnapshot(Catalog c) {
    for (long n = 13; n <= 16; n++) {
      c.insert(image(n));
    }
    c.compareAndSet(2, image(3).toBuilder().name("renamed again").build());
    c.delete(id(7), 1, ImageStatus.DELETED, T0.plusSeconds(103));
    c.undelete(id(5), T0.plusSeconds(104));
    c.delete(id(8), 1, ImageStatus.PENDING_DELETE, T0.plusSeconds(105));
  }

  /** Writes a fixture: run by hand into an empty directory, on the version to keep. */
  static void generate(Path target) {
    try (FileCatalog c = FileCatalog.open(target,
        FileCatalogOptions.builder().fsync(false).snapshotInterval(1_000_000).build())) {
      beforeSnapshot(c);
      c.snapshot();
      afterSnapshot(c);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The state the whole history leaves, built on the memory store. */
  static MemoryCatalog expected() {
    MemoryCatalog memory = new MemoryCatalog();
    beforeSnapshot(memory);
    afterSnapshot(memory);
    return memory;
  }

  /** Every image and tombstone of the history, as {@code catalog} holds them. */
  static Map<Long, Object> state(Catalog catalog) {
    Map<Long, Object> state = new TreeMap<>();
    for (long n = 1; n <= 16; n++) {
      Optional<Image> image = catalog.find(id(n));
      Optional<Tombstone> tombstone = catalog.tombstone(id(n));
      state.put(n, image.isPresent() ? image.get()
          : tombstone.map(t -> Map.of("tombstone", t, "kept", t.retained())).orElse(null));
    }
    return state;
  }

  static Path copyOf(Path fixture, Path target) throws IOException {
    Files.createDirectories(target);
    try (var files = Files.list(fixture)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Files.copy(file, target.resolve(file.getFileName()));
      }
    }
    return target;
  }

  @Test
  void aVersion3DirectoryWithAJsonSnapshotOpensWithEveryImageAndTombstone() throws IOException {
    Path home = copyOf(FIXTURE_V3, dir.resolve("v3"));
    assertThat(Files.readAllBytes(home.resolve(Format.snapshotName(2)))[5])
        .as("the fixture's snapshot is in version 3").isEqualTo((byte) 3);
    Map<Long, Object> expected = state(expected());
    try (FileCatalog catalog = FileCatalog.open(home)) {
      assertThat(state(catalog)).isEqualTo(expected);
      assertThat(catalog.size()).isEqualTo(expected().size());
      // The pending-delete image the version 3 snapshot kept is restorable after the journal.
      catalog.undelete(id(8), T0.plusSeconds(200));
      catalog.snapshot();
    }
    assertThat(Files.readAllBytes(home.resolve(Format.snapshotName(4)))[5])
        .as("the next snapshot is written in this version").isEqualTo((byte) Format.VERSION);
    MemoryCatalog restored = expected();
    restored.undelete(id(8), T0.plusSeconds(200));
    try (FileCatalog catalog = FileCatalog.open(home)) {
      assertThat(state(catalog)).isEqualTo(state(restored));
    }
  }

  @Test
  void writeFixture() {
    String target = System.getProperty("imagegov.fixture.write");
    if (target != null) {
      generate(Path.of(target));
    }
  }
}
