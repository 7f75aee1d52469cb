package dev.imagegov.testkit.readme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;

import dev.imagegov.access.Caller;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.model.Image;
import dev.imagegov.model.Visibility;
import dev.imagegov.spi.Catalog;
import dev.imagegov.spi.blob.BlobKey;
import dev.imagegov.spi.blob.BlobStore;
import dev.imagegov.spi.blob.BlobWriteResult;
import dev.imagegov.spi.blob.HashSpec;
import dev.imagegov.testkit.contract.ScanningCatalog;
import dev.imagegov.testkit.contract.SimpleBlobStore;
import dev.imagegov.testkit.fixture.Tenancy;
import dev.imagegov.testkit.gen.Patches;
import dev.imagegov.testkit.gen.Streams;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

/** The README's samples of the stream and patch generators, compiled and run. */
class GeneratorSamplesTest {
  private Catalog catalog() {
    return new ScanningCatalog();
  }

  private BlobStore store() {
    return new SimpleBlobStore();
  }

  // readme:streams:begin
  @Test
  void aStoredBlobHasTheSizeAndDigestsOfItsStream() {
    qt().withExamples(50)
        .forAll(Streams.streams().acrossBoundariesOf(64 * 1024))
        .checkAssert(
            stream -> {
              try {
                BlobKey key = BlobKey.of("b");
                BlobWriteResult r =
                    store().write(key, stream.open(), Long.MAX_VALUE, HashSpec.defaults());
                assertThat(r.size()).isEqualTo(stream.size());
                assertThat(r.checksum()).isEqualTo(stream.md5());
                assertThat(r.multihash()).isEqualTo(stream.sha512());
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
  }

  // readme:streams:end

  // readme:patches:begin
  @Test
  void theOwnerMayApplyValidPatchesAndIsRefusedInvalidOnesWithTheirCode() {
    Tenancy t = Tenancy.builder().image("golden", "producer", Visibility.SHARED).buildOn(catalog());
    Caller owner = Caller.member("producer");
    Image image = t.governance().images().get(owner, t.image("golden"));
    qt().withExamples(100)
        .forAll(Patches.validFor(image))
        .checkAssert(
            doc -> t.governance().images().patch(owner, image.id(), doc.mediaType(), doc.body()));
    qt().withExamples(100)
        .forAll(Patches.invalidFor(image))
        .checkAssert(
            bad ->
                assertThatThrownBy(
                        () ->
                            t.governance()
                                .images()
                                .patch(owner, image.id(), bad.mediaType(), bad.body()))
                    .isInstanceOfSatisfying(
                        GovernanceException.class,
                        e -> assertThat(e.code()).as("%s", bad).isEqualTo(bad.expected())));
  }
  // readme:patches:end
}
