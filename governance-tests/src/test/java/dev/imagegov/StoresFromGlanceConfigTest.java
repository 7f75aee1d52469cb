package dev.imagegov;

import static dev.imagegov.Fixtures.PRODUCER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagegov.data.StoreBackends;
import dev.imagegov.error.ConfigurationException;
import dev.imagegov.model.Image;
import dev.imagegov.model.StoreId;
import dev.imagegov.store.file.FileBlobStore;
import dev.imagegov.store.memory.MemoryBlobStore;
import dev.imagegov.store.memory.MemoryCatalog;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stores from {@code glance-api.conf}: {@code enabled_backends}, {@code default_backend} and
 * each file store's directory build the blob stores when asked, and a mismatch between the file
 * and the wired stores is a {@link ConfigurationException} when the governance is built.
 */
class StoresFromGlanceConfigTest {
  private static final StoreId FAST = StoreId.of("fast");
  private static final StoreId CHEAP = StoreId.of("cheap");

  @TempDir Path dir;
  private final List<FileBlobStore> opened = new ArrayList<>();

  @AfterEach
  void close() {
    opened.forEach(FileBlobStore::close);
  }

  private GovernanceConfig read(String... lines) {
    return GovernanceConfig.fromGlanceConfig(String.join("\n", lines), dir).build();
  }

  private GovernanceConfig twoFileStores() {
    return twoFileStores("/srv/cheap");
  }

  /** {@code fast} (in {@code fast-images}) and {@code cheap}, the default, in {@code cheapDirectory}. */
  private GovernanceConfig twoFileStores(String cheapDirectory) {
    return read(
        "[DEFAULT]",
        "enabled_backends = fast:file, cheap:file",
        "[glance_store]",
        "default_backend = cheap",
        "[fast]",
        "filesystem_store_datadir = fast-images",
        "[cheap]",
        "filesystem_store_datadir = " + cheapDirectory);
  }

  private FileBlobStore open(StoreBackends.Backend b) {
    FileBlobStore store = FileBlobStore.open(b.id(), b.directory().orElseThrow());
    opened.add(store);
    return store;
  }

  @Test
  void enabledBackendsDefaultBackendAndEachFileStoresDirectoryAreRead() {
    StoreBackends backends = twoFileStores().storeBackends().orElseThrow();
    assertThat(backends.backends()).extracting(StoreBackends.Backend::id, StoreBackends.Backend::type)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(FAST, "file"),
            org.assertj.core.groups.Tuple.tuple(CHEAP, "file"));
    assertThat(backends.find(FAST).orElseThrow().directory()).hasValue(dir.resolve("fast-images"));
    assertThat(backends.find(CHEAP).orElseThrow().directory()).hasValue(Path.of("/srv/cheap"));
    assertThat(backends.defaultBackend()).isEqualTo(CHEAP);
  }

  @Test
  void theBuilderOpensTheDeclaredFileStoresWhenAskedAndUploadsGoToTheDefaultBackend()
      throws Exception {
    GovernanceConfig config = twoFileStores("cheap-images");
    ImageGovernance g = ImageGovernance.builder()
        .catalog(new MemoryCatalog())
        .config(config)
        .clock(new TickingClock())
        .blobStoresFromConfig(this::open)
        .build();
    assertThat(g.data().stores()).containsExactly(FAST, CHEAP);
    assertThat(g.data().defaultStore()).hasValue(CHEAP);
    Image image = g.images().create(PRODUCER, NewImage.builder()
        .diskFormat("raw").containerFormat("bare").build());
    g.data().upload(PRODUCER, image.id(), new ByteArrayInputStream(new byte[40]),
        OptionalLong.of(40));
    try (Stream<Path> files = Files.walk(dir.resolve("cheap-images"))) {
      assertThat(files.filter(Files::isRegularFile)).isNotEmpty();
    }
    assertThat(g.images().storesOf(PRODUCER, image.id())).containsExactly(CHEAP);
  }

  @Test
  void aWiredStoreTheFileDoesNotDeclareIsAConfigurationErrorAtBuild() {
    ImageGovernance.Builder b = ImageGovernance.builder()
        .catalog(new MemoryCatalog())
        .config(twoFileStores())
        .blobStore(MemoryBlobStore.builder(StoreId.of("other")).build())
        .blobStoresFromConfig(this::open);
    assertThatThrownBy(b::build).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("other").hasMessageContaining("enabled_backends does not declare");
  }

  @Test
  void aDeclaredStoreThatIsNotWiredIsAConfigurationErrorNamingItsLine() {
    ImageGovernance.Builder b = ImageGovernance.builder()
        .catalog(new MemoryCatalog())
        .config(twoFileStores())
        .blobStore(MemoryBlobStore.builder(FAST).build());
    assertThatThrownBy(b::build).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("line 2").hasMessageContaining("cheap")
        .hasMessageContaining("not wired");
  }

  @Test
  void wiringEveryDeclaredStoreByHandNeedsNoOpener() {
    ImageGovernance g = ImageGovernance.builder()
        .catalog(new MemoryCatalog())
        .config(twoFileStores())
        .blobStore(MemoryBlobStore.builder(CHEAP).build())
        .blobStore(MemoryBlobStore.builder(FAST).build())
        .build();
    assertThat(g.data().stores()).containsExactly(FAST, CHEAP);
    assertThat(g.data().defaultStore()).hasValue(CHEAP);
  }

  @Test
  void aWiredDefaultStoreOtherThanDefaultBackendIsAConfigurationError() {
    ImageGovernance.Builder b = ImageGovernance.builder()
        .catalog(new MemoryCatalog())
        .config(twoFileStores())
        .blobStoresFromConfig(this::open)
        .blobStore(MemoryBlobStore.builder(FAST).build())
        .defaultStore(FAST);
    assertThatThrownBy(b::build).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("default_backend is cheap");
  }

  @Test
  void enabledBackendsWithoutADefaultBackendIsAConfigurationErrorAtItsLine() {
    assertThatThrownBy(() -> read("[DEFAULT]", "enabled_backends = fast:file"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("line 2").hasMessageContaining("default_backend");
    assertThatThrownBy(() -> read("[DEFAULT]", "enabled_backends = fast:file",
            "[glance_store]", "default_backend = slow"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("line 4").hasMessageContaining("not one of enabled_backends");
    assertThatThrownBy(() -> read("[DEFAULT]", "enabled_backends = fast"))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("is not id:type");
  }

  @Test
  void askingForStoresFromAConfigurationThatDeclaresNoneIsAConfigurationError() {
    ImageGovernance.Builder b = ImageGovernance.builder()
        .catalog(new MemoryCatalog())
        .blobStoresFromConfig(this::open);
    assertThatThrownBy(b::build).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("declares no enabled_backends");
  }
}
