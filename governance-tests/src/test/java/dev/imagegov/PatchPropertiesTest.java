package dev.imagegov;

import static dev.imagegov.Fixtures.ADMIN;
import static dev.imagegov.Fixtures.PRODUCER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import dev.imagegov.patch.ImagePatch;
import dev.imagegov.patch.JsonPatchParser;
import dev.imagegov.testkit.gen.Patches;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Properties of updates: documents and typed operations agree; labelled invalid documents fail
 * with exactly their error and change nothing; a diff applied to its source gives its target.
 * Documents come from the testkit's {@link Patches}; the seed and diff images are local.
 */
class PatchPropertiesTest {
  private static final List<String> KEYS = Patches.KEYS;
  private static final List<String> TAGS = Patches.TAGS;
  private static final List<String> WORDS = Patches.WORDS;
  private static final AtomicLong IDS = new AtomicLong();

  private static Image seed(String owner) {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    return Image.builder()
        .id(dev.imagegov.model.ImageId.of(new UUID(7, IDS.incrementAndGet())))
        .name("seed")
        .owner(ProjectId.of(owner))
        .visibility(Visibility.PRIVATE)
        .tags(ImmutableSet.of("t1"))
        .properties(ImmutableMap.of("a", "1", "sl/ash", "2"))
        .createdAt(t)
        .updatedAt(t)
        .build();
  }

  /** The outcome of an update: the image, or the error code. */
  private static Object outcome(Runnable call, Fixtures f, ImageId id) {
    try {
      call.run();
      return f.governance.catalog().find(id).orElseThrow();
    } catch (GovernanceException e) {
      return e.code();
    }
  }

  @Test
  void documentsAndTypedOperationsAgree() {
    Fixtures f = new Fixtures();
    qt().withExamples(300)
        .forAll(Patches.documents(8))
        .checkAssert(
            doc -> {
              Image a = f.governance.catalog().insert(seed("producer"));
              Image b = f.governance.catalog().insert(seed("producer"));
              Object viaDocument =
                  outcome(() -> f.images().patch(PRODUCER, a.id(), doc.mediaType(), doc.body()),
                      f, a.id());
              Object viaTyped =
                  outcome(() -> f.images().update(PRODUCER, b.id(),
                      ImagePatch.of(doc.operations())), f, b.id());
              if (viaDocument instanceof Image) {
                assertThat(viaTyped).isInstanceOf(Image.class);
                assertThat(ImagePatch.diff((Image) viaDocument, (Image) viaTyped)).isEmpty();
              } else {
                assertThat(viaTyped).isEqualTo(viaDocument);
              }
            });
  }

  @Test
  void labelledInvalidDocumentsFailWithTheirErrorAndChangeNothing() {
    Fixtures f = new Fixtures();
    qt().withExamples(300)
        .forAll(Patches.invalidFor(seed("producer")))
        .checkAssert(
            bad -> {
              Image image = f.governance.catalog().insert(seed("producer"));
              int events = f.events.size();
              Object result =
                  outcome(() -> f.images().patch(PRODUCER, image.id(), bad.mediaType(),
                      bad.body()), f, image.id());
              assertThat(result).as("%s", bad).isEqualTo(bad.expected());
              assertThat(f.governance.catalog().find(image.id())).contains(image);
              assertThat(f.events).hasSize(events);
            });
  }

  private static Gen<Image> images() {
    Gen<Map<String, String>> props =
        lists().of(Generate.pick(KEYS).zip(Generate.pick(WORDS), Map::entry)).ofSizeBetween(0, 5)
            .map(es -> {
              Map<String, String> m = new LinkedHashMap<>();
              es.forEach(e -> m.put(e.getKey(), e.getValue()));
              return m;
            });
    Gen<List<String>> tags = lists().of(Generate.pick(TAGS)).ofSizeBetween(0, 4);
    Gen<Optional<String>> names =
        Generate.pick(WORDS).zip(booleans().all(), (w, b) -> b ? Optional.of(w) : Optional.empty());
    Gen<Optional<String>> disks = Generate.pick(
        List.of(Optional.<String>empty(), Optional.of("raw"), Optional.of("qcow2")));
    Gen<Visibility> visibilities = Generate.enumValues(Visibility.class);
    Gen<Optional<ProjectId>> owners = Generate.pick(
        List.of(Optional.of(ProjectId.of("producer")), Optional.of(ProjectId.of("other")),
            Optional.<ProjectId>empty()));
    Gen<int[]> numbers = integers().between(0, 5000).zip(integers().between(0, 50),
        (r, d) -> new int[] {r, d});
    Gen<boolean[]> flags = booleans().all().zip(booleans().all(), (p, h) -> new boolean[] {p, h});
    return props.zip(tags, names, disks, (p, t, n, d) -> new Object[] {p, t, n, d})
        .zip(visibilities, owners, numbers, flags, (a, v, o, nums, fl) -> {
          @SuppressWarnings("unchecked")
          Map<String, String> p = (Map<String, String>) a[0];
          @SuppressWarnings("unchecked")
          List<String> t = (List<String>) a[1];
          @SuppressWarnings("unchecked")
          Optional<String> n = (Optional<String>) a[2];
          @SuppressWarnings("unchecked")
          Optional<String> d = (Optional<String>) a[3];
          Instant time = Instant.parse("2026-01-01T00:00:00Z");
          return Image.builder()
              .id(dev.imagegov.model.ImageId.of(new UUID(9, 9)))
              .status(ImageStatus.QUEUED)
              .name(n)
              .visibility(v)
              .owner(o)
              .isProtected(fl[0])
              .osHidden(fl[1])
              .minRam(nums[0])
              .minDisk(nums[1])
              .diskFormat(d)
              .tags(ImmutableSet.copyOf(t))
              .properties(ImmutableMap.copyOf(p))
              .createdAt(time)
              .updatedAt(time)
              .build();
        });
  }

  @Test
  void applyingTheDiffOfTwoImagesToTheFirstGivesTheSecond() {
    Fixtures f = new Fixtures();
    qt().withExamples(300)
        .forAll(images(), images())
        .checkAssert(
            (a, b) -> {
              Image stored =
                  f.governance.catalog()
                      .insert(a.toBuilder()
                          .id(dev.imagegov.model.ImageId.of(new UUID(11, IDS.incrementAndGet())))
                          .build());
              String diff = ImagePatch.diffText(a, b);
              Image result =
                  f.images().patch(ADMIN, stored.id(), JsonPatchParser.V2_1, diff);
              assertThat(ImagePatch.diff(result, b)).as(diff).isEmpty();
              assertThat(List.copyOf(result.tags())).isEqualTo(List.copyOf(b.tags()));
              assertThat(result.properties()).isEqualTo(b.properties());
            });
  }
}
