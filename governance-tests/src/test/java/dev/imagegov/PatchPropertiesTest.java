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
import dev.imagegov.error.ErrorCode;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import dev.imagegov.patch.ImagePatch;
import dev.imagegov.patch.JsonPatchParser;
import dev.imagegov.patch.PatchOperation;
import java.time.Instant;
import java.util.ArrayList;
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
 */
class PatchPropertiesTest {
  private static final List<String> KEYS = List.of("a", "b", "c", "sl/ash", "til~de", "x y");
  private static final List<String> TAGS = List.of("t1", "t2", "t3", "T1", "");
  private static final List<String> WORDS = List.of("", "v", "w", "golden", "é", "~/");
  private static final AtomicLong IDS = new AtomicLong();

  /** One operation, as a v2.1 JSON object and as a typed operation. */
  record Step(String json, PatchOperation typed) {
    @Override
    public String toString() {
      return json;
    }
  }

  private static String q(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static String path(String key) {
    return "/" + key.replace("~", "~0").replace("/", "~1");
  }

  private static Step step(String op, String key, String jsonValue, PatchOperation typed) {
    String value = jsonValue == null ? "" : ",\"value\":" + jsonValue;
    return new Step("{\"op\":\"" + op + "\",\"path\":" + q(path(key)) + value + "}", typed);
  }

  private static Gen<Step> steps() {
    Gen<String> words = Generate.pick(WORDS);
    Gen<String> keys = Generate.pick(KEYS);
    return Generate.oneOf(
        words.map(w -> step("replace", "name", q(w), new PatchOperation.SetName(Optional.of(w)))),
        Generate.pick(List.of(Visibility.PRIVATE, Visibility.SHARED, Visibility.COMMUNITY))
            .map(v -> step("add", "visibility", q(v.wireName()),
                new PatchOperation.SetVisibility(v))),
        booleans().all().map(b -> step("replace", "protected", b.toString(),
            new PatchOperation.SetProtected(b))),
        booleans().all().map(b -> step("add", "os_hidden", b.toString(),
            new PatchOperation.SetOsHidden(b))),
        integers().between(-2, 4096).map(n -> step("replace", "min_ram", n.toString(),
            new PatchOperation.SetMinRam(n))),
        integers().between(0, 100).map(n -> step("replace", "min_disk", n.toString(),
            new PatchOperation.SetMinDisk(n))),
        Generate.pick(List.of("raw", "qcow2", "iso")).map(d -> step("replace", "disk_format",
            q(d), new PatchOperation.SetDiskFormat(Optional.of(d)))),
        lists().of(Generate.pick(TAGS)).ofSizeBetween(0, 4).map(ts -> step("replace", "tags",
            "[" + String.join(",", ts.stream().map(PatchPropertiesTest::q).toList()) + "]",
            new PatchOperation.SetTags(ts))),
        keys.zip(words, (k, w) -> step("add", k, q(w), new PatchOperation.AddProperty(k, w))),
        keys.zip(words, (k, w) -> step("replace", k, q(w),
            new PatchOperation.ReplaceProperty(k, w))),
        keys.map(k -> step("remove", k, null, new PatchOperation.RemoveProperty(k))),
        Generate.pick(List.of("name", "tags", "visibility"))
            .map(k -> step("remove", k, null, new PatchOperation.RemoveProperty(k))));
  }

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

  private static String document(List<Step> steps) {
    return "[" + String.join(",", steps.stream().map(Step::json).toList()) + "]";
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
        .forAll(lists().of(steps()).ofSizeBetween(0, 8))
        .checkAssert(
            steps -> {
              Image a = f.governance.catalog().insert(seed("producer"));
              Image b = f.governance.catalog().insert(seed("producer"));
              List<PatchOperation> typed = new ArrayList<>();
              steps.forEach(s -> typed.add(s.typed()));
              Object viaDocument =
                  outcome(() -> f.images().patch(PRODUCER, a.id(), JsonPatchParser.V2_1,
                      document(steps)), f, a.id());
              Object viaTyped =
                  outcome(() -> f.images().update(PRODUCER, b.id(), ImagePatch.of(typed)), f,
                      b.id());
              if (viaDocument instanceof Image) {
                assertThat(viaTyped).isInstanceOf(Image.class);
                assertThat(ImagePatch.diff((Image) viaDocument, (Image) viaTyped)).isEmpty();
              } else {
                assertThat(viaTyped).isEqualTo(viaDocument);
              }
            });
  }

  /** A document that must fail with {@code code}. */
  record Labelled(String badOp, ErrorCode code) {}

  private static final List<Labelled> INVALID =
      List.of(
          new Labelled("{\"op\":\"replace\",\"path\":\"/status\",\"value\":\"active\"}",
              ErrorCode.READ_ONLY_ATTRIBUTE),
          new Labelled("{\"op\":\"remove\",\"path\":\"/checksum\"}",
              ErrorCode.READ_ONLY_ATTRIBUTE),
          new Labelled("{\"op\":\"add\",\"path\":\"/os_glance_lock\",\"value\":\"x\"}",
              ErrorCode.RESERVED_ATTRIBUTE),
          new Labelled("{\"op\":\"add\",\"path\":\"/deleted_at\",\"value\":\"x\"}",
              ErrorCode.RESERVED_ATTRIBUTE),
          new Labelled("{\"op\":\"replace\",\"path\":\"/zz_missing\",\"value\":\"x\"}",
              ErrorCode.PROPERTY_CONFLICT),
          new Labelled("{\"op\":\"remove\",\"path\":\"/zz_missing\"}",
              ErrorCode.PROPERTY_CONFLICT),
          new Labelled("{\"op\":\"remove\",\"path\":\"/min_ram\"}", ErrorCode.POLICY_DENIED),
          new Labelled("{\"op\":\"replace\",\"path\":\"/owner\",\"value\":\"other\"}",
              ErrorCode.POLICY_DENIED),
          new Labelled("{\"op\":\"add\",\"path\":\"/owner\",\"value\":\"other\"}",
              ErrorCode.POLICY_DENIED),
          new Labelled("{\"op\":\"replace\",\"path\":\"/visibility\",\"value\":\"public\"}",
              ErrorCode.POLICY_DENIED),
          new Labelled("{\"op\":\"add\",\"path\":\"/locations/-\","
              + "\"value\":{\"url\":\"file:///x\",\"metadata\":{}}}", ErrorCode.LOCATIONS_HIDDEN),
          new Labelled("{\"op\":\"test\",\"path\":\"/name\",\"value\":\"x\"}",
              ErrorCode.MALFORMED_REQUEST),
          new Labelled("{\"op\":\"remove\",\"path\":\"name\"}", ErrorCode.MALFORMED_REQUEST),
          new Labelled("{\"op\":\"add\",\"path\":\"/tags/-\",\"value\":\"x\"}",
              ErrorCode.MALFORMED_REQUEST),
          new Labelled("{\"op\":\"replace\",\"path\":\"/name\"}", ErrorCode.MALFORMED_REQUEST),
          new Labelled("{\"op\":\"add\",\"path\":\"/k\",\"value\":5}", ErrorCode.INVALID_VALUE),
          new Labelled("{\"op\":\"replace\",\"path\":\"/min_disk\",\"value\":-5}",
              ErrorCode.INVALID_VALUE),
          new Labelled("{\"op\":\"replace\",\"path\":\"/min_disk\",\"value\":4294967296}",
              ErrorCode.INVALID_VALUE),
          new Labelled("{\"op\":\"replace\",\"path\":\"/protected\",\"value\":\"yes\"}",
              ErrorCode.INVALID_VALUE),
          new Labelled("{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"\uD83D\uDE00\"}",
              ErrorCode.INVALID_VALUE),
          new Labelled("{\"op\":\"replace\",\"path\":\"/tags\",\"value\":["
              + String.join(",", java.util.Collections.nCopies(1, "\"0\""))
              + "," + tagList(129) + "]}", ErrorCode.TAG_QUOTA_EXCEEDED),
          new Labelled("5", ErrorCode.MALFORMED_REQUEST));

  private static String tagList(int n) {
    List<String> tags = new ArrayList<>();
    for (int i = 1; i < n; i++) {
      tags.add("\"t" + i + "\"");
    }
    return String.join(",", tags);
  }

  /** Operations that never fail for the owner on the seed image. */
  private static Gen<String> safeSteps() {
    return Generate.oneOf(
        Generate.pick(WORDS).map(w -> "{\"op\":\"replace\",\"path\":\"/name\",\"value\":" + q(w)
            + "}"),
        integers().between(0, 20).map(i -> "{\"op\":\"add\",\"path\":\"/new" + i
            + "\",\"value\":\"v\"}"),
        booleans().all().map(b -> "{\"op\":\"replace\",\"path\":\"/os_hidden\",\"value\":" + b
            + "}"));
  }

  @Test
  void labelledInvalidDocumentsFailWithTheirErrorAndChangeNothing() {
    Fixtures f = new Fixtures();
    qt().withExamples(300)
        .forAll(
            lists().of(safeSteps()).ofSizeBetween(0, 4),
            Generate.pick(INVALID),
            lists().of(safeSteps()).ofSizeBetween(0, 4))
        .checkAssert(
            (before, bad, after) -> {
              Image image = f.governance.catalog().insert(seed("producer"));
              List<String> ops = new ArrayList<>(before);
              ops.add(bad.badOp());
              ops.addAll(after);
              int events = f.events.size();
              Object result =
                  outcome(() -> f.images().patch(PRODUCER, image.id(), JsonPatchParser.V2_1,
                      "[" + String.join(",", ops) + "]"), f, image.id());
              assertThat(result).as(bad.badOp()).isEqualTo(bad.code());
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
