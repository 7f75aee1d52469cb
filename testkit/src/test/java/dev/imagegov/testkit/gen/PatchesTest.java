package dev.imagegov.testkit.gen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;

import dev.imagegov.ImageGovernance;
import dev.imagegov.access.Caller;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.model.Image;
import dev.imagegov.patch.ImagePatch;
import dev.imagegov.testkit.contract.ScanningCatalog;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * The patch generators keep their labels, checked against the real parser and facade: valid
 * documents apply for the owner and agree with their typed operations; every invalid document is
 * refused with exactly its labelled code and changes nothing.
 */
class PatchesTest {
  /** The seed of the test whose outcome depends on what was drawn: fixed, so it is certain. */
  private static final long SEED = 20261207L;

  /** An image and something generated for it. */
  record On<T>(Image image, T value) {
    @Override
    public String toString() {
      return value + " on " + Images.describe(image);
    }
  }

  private static final Gen<Image> IMAGES = Images.images().withId(Ids.imageId(1));

  private static Caller owner(Image image) {
    return Callers.Role.MEMBER.in(image.owner().orElseThrow());
  }

  private static ImageGovernance governanceWith(Image image) {
    ImageGovernance g = ImageGovernance.builder().catalog(new ScanningCatalog()).build();
    g.catalog().insert(image);
    return g;
  }

  @Test
  void everyValidDocumentAppliesForTheOwnerAsItsTypedOperationsDo() {
    qt().withExamples(300)
        .forAll(IMAGES.flatMap(i -> Patches.validFor(i).map(d -> new On<>(i, d))))
        .checkAssert(
            on -> {
              Image image = on.image();
              Patches.PatchDocument doc = on.value();
              Image viaDocument =
                  governanceWith(image)
                      .images()
                      .patch(owner(image), image.id(), doc.mediaType(), doc.body());
              Image viaTyped =
                  governanceWith(image)
                      .images()
                      .update(owner(image), image.id(), ImagePatch.of(doc.operations()));
              assertThat(ImagePatch.diff(viaDocument, viaTyped)).as("%s", on).isEmpty();
            });
  }

  @Test
  void everyInvalidDocumentFailsWithItsLabelledCodeAndChangesNothing() {
    Set<String> reasons = new TreeSet<>();
    qt().withExamples(500)
        .forAll(IMAGES.flatMap(i -> Patches.invalidFor(i).map(p -> new On<>(i, p))))
        .checkAssert(
            on -> {
              Patches.InvalidPatch invalid = on.value();
              reasons.add(invalid.reason());
              ImageGovernance g = governanceWith(on.image());
              Image stored = g.catalog().find(on.image().id()).orElseThrow();
              assertThatThrownBy(
                      () ->
                          g.images()
                              .patch(
                                  owner(on.image()),
                                  stored.id(),
                                  invalid.mediaType(),
                                  invalid.body()))
                  .as("%s", on)
                  .isInstanceOfSatisfying(
                      GovernanceException.class,
                      e -> assertThat(e.code()).as("%s", on).isEqualTo(invalid.expected()));
              assertThat(g.catalog().find(stored.id())).as("%s", on).contains(stored);
            });
    assertThat(reasons).as("kinds of invalid documents tried").hasSizeGreaterThan(15);
  }

  @Test
  void anyDocumentIsAppliedOrRefusedWithAGovernanceErrorLikeItsTypedOperations() {
    qt().withExamples(300)
        .forAll(IMAGES.flatMap(i -> Patches.documents(6).map(d -> new On<>(i, d))))
        .checkAssert(
            on -> {
              Image image = on.image();
              Object viaDocument =
                  outcome(
                      () ->
                          governanceWith(image)
                              .images()
                              .patch(
                                  owner(image),
                                  image.id(),
                                  on.value().mediaType(),
                                  on.value().body()));
              Object viaTyped =
                  outcome(
                      () ->
                          governanceWith(image)
                              .images()
                              .update(
                                  owner(image),
                                  image.id(),
                                  ImagePatch.of(on.value().operations())));
              if (viaDocument instanceof Image && viaTyped instanceof Image) {
                assertThat(ImagePatch.diff((Image) viaDocument, (Image) viaTyped))
                    .as("%s", on)
                    .isEmpty();
              } else {
                assertThat(viaTyped).as("%s", on).isEqualTo(viaDocument);
              }
            });
  }

  private static Object outcome(java.util.function.Supplier<Image> call) {
    try {
      return call.get();
    } catch (GovernanceException e) {
      return e.code();
    }
  }

  @Test
  void aFailingPropertyReportsTheDocumentBody() {
    assertThatThrownBy(
            () ->
                qt().withFixedSeed(SEED)
                    .forAll(Patches.documents(4))
                    .checkAssert(d -> assertThat(d.steps()).isEmpty()))
        .as("the report of a property failing from seed %d", SEED)
        .hasMessageContaining("Smallest found falsifying value(s) :-\n[{\"op\":\"");
  }
}
