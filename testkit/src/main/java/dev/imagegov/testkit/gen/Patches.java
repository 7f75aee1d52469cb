package dev.imagegov.testkit.gen;

import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.imagegov.error.ErrorCode;
import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.Visibility;
import dev.imagegov.patch.JsonPatchParser;
import dev.imagegov.patch.PatchOperation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * JSON-patch documents of Glance's v2.1 media type ({@link JsonPatchParser#V2_1}), each with the
 * typed {@link PatchOperation}s it stands for: any parseable operations ({@link #operations()},
 * which may still be refused when applied), documents valid for a given image ({@link
 * #validFor(Image)}), and documents that must be refused, labelled with the exact {@link ErrorCode}
 * ({@link #invalidFor(Image)}).
 *
 * <pre>{@code
 * qt().forAll(Patches.validFor(image))
 *     .checkAssert(doc -> governance.images().patch(owner, image.id(), doc.mediaType(), doc.body()));
 * }</pre>
 *
 * <p>Validity is for the image's owner (a caller with the member role in the owning project, not an
 * admin) under the default configuration (secure-RBAC policy, no property protections, Glance's
 * default quotas and formats), on an image with fewer than 100 custom properties. Shrinks towards
 * fewer operations and the first value of every choice; describes a document by its body.
 */
public final class Patches {
  /** Custom property keys operations draw from (with a slash and a tilde, which paths escape). */
  public static final List<String> KEYS = List.of("a", "b", "c", "sl/ash", "til~de", "x y");

  /** Tags operations draw from. */
  public static final List<String> TAGS = List.of("t1", "t2", "t3", "T1", "");

  /** Words names and values draw from. */
  public static final List<String> WORDS = List.of("", "v", "w", "golden", "é", "~/");

  private Patches() {}

  /** One operation: its JSON object and the typed operation it parses to. */
  public record PatchStep(String json, PatchOperation typed) {
    @Override
    public String toString() {
      return json;
    }
  }

  /** A document: its body (a JSON array of {@code steps}) in the v2.1 media type. */
  public record PatchDocument(List<PatchStep> steps) {
    /**
     * Copies the steps.
     *
     * @param steps the document's operations, in order
     */
    public PatchDocument {
      steps = List.copyOf(steps);
    }

    /** {@return {@link JsonPatchParser#V2_1}} */
    public String mediaType() {
      return JsonPatchParser.V2_1;
    }

    /** {@return the JSON array of the steps' objects} */
    public String body() {
      return "[" + String.join(",", steps.stream().map(PatchStep::json).toList()) + "]";
    }

    /** {@return the typed operations, in order} */
    public List<PatchOperation> operations() {
      return steps.stream().map(PatchStep::typed).toList();
    }

    @Override
    public String toString() {
      return body();
    }
  }

  /**
   * A document that must be refused, labelled with the code it must be refused with and the rule it
   * breaks. Refusal changes nothing.
   *
   * @param body the JSON document, in the v2.1 media type
   * @param expected the code {@code images().patch(owner, id, V2_1, body)} must answer
   * @param reason the rule the document breaks, for failure messages
   */
  public record InvalidPatch(String body, ErrorCode expected, String reason) {
    /** {@return {@link JsonPatchParser#V2_1}} */
    public String mediaType() {
      return JsonPatchParser.V2_1;
    }

    @Override
    public String toString() {
      return body + " must fail with " + expected + " (" + reason + ")";
    }
  }

  /** {@code "text"} as a JSON string. */
  static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** The JSON pointer of a top-level key, escaping {@code ~} and {@code /}. */
  static String pointer(String key) {
    return "/" + key.replace("~", "~0").replace("/", "~1");
  }

  static PatchStep step(String op, String key, String jsonValue, PatchOperation typed) {
    String value = jsonValue == null ? "" : ",\"value\":" + jsonValue;
    return new PatchStep(
        "{\"op\":\"" + op + "\",\"path\":" + quote(pointer(key)) + value + "}", typed);
  }

  private static String tagArray(List<String> tags) {
    return "[" + String.join(",", tags.stream().map(Patches::quote).toList()) + "]";
  }

  /**
   * Single operations that parse, over every kind the typed API has a setter for; applied, some are
   * refused (a negative {@code min_ram}, a replace of an absent property, a removal of a base
   * attribute, ...), exactly as their typed operation is.
   *
   * @return single operations that parse, over every kind the typed API has a setter for; applied,
   *     some are refused (a negative {@code min_ram}, a replace of an absent property, a removal of
   *     a base attribute, ...), exactly as their typed operation is
   */
  public static Gen<PatchStep> operations() {
    Gen<String> words = Generate.pick(WORDS);
    Gen<String> keys = Generate.pick(KEYS);
    return Generate.oneOf(
            words.map(
                w -> step("replace", "name", quote(w), new PatchOperation.SetName(Optional.of(w)))),
            Generate.pick(List.of(Visibility.PRIVATE, Visibility.SHARED, Visibility.COMMUNITY))
                .map(
                    v ->
                        step(
                            "add",
                            "visibility",
                            quote(v.wireName()),
                            new PatchOperation.SetVisibility(v))),
            booleans()
                .all()
                .map(
                    b ->
                        step(
                            "replace",
                            "protected",
                            b.toString(),
                            new PatchOperation.SetProtected(b))),
            booleans()
                .all()
                .map(
                    b -> step("add", "os_hidden", b.toString(), new PatchOperation.SetOsHidden(b))),
            integers()
                .between(-2, 4096)
                .map(
                    n -> step("replace", "min_ram", n.toString(), new PatchOperation.SetMinRam(n))),
            integers()
                .between(0, 100)
                .map(
                    n ->
                        step(
                            "replace", "min_disk", n.toString(), new PatchOperation.SetMinDisk(n))),
            Generate.pick(List.of("raw", "qcow2", "iso"))
                .map(
                    d ->
                        step(
                            "replace",
                            "disk_format",
                            quote(d),
                            new PatchOperation.SetDiskFormat(Optional.of(d)))),
            lists()
                .of(Generate.pick(TAGS))
                .ofSizeBetween(0, 4)
                .map(ts -> step("replace", "tags", tagArray(ts), new PatchOperation.SetTags(ts))),
            keys.zip(
                words, (k, w) -> step("add", k, quote(w), new PatchOperation.AddProperty(k, w))),
            keys.zip(
                words,
                (k, w) -> step("replace", k, quote(w), new PatchOperation.ReplaceProperty(k, w))),
            keys.map(k -> step("remove", k, null, new PatchOperation.RemoveProperty(k))),
            Generate.pick(List.of("name", "tags", "visibility"))
                .map(k -> step("remove", k, null, new PatchOperation.RemoveProperty(k))))
        .describedAs(PatchStep::json);
  }

  /**
   * Documents of 0 to {@code max} {@link #operations()}.
   *
   * @param max the most operations in a document
   * @return documents of well-formed operations, not tied to an image
   */
  public static Gen<PatchDocument> documents(int max) {
    return lists()
        .of(operations())
        .ofSizeBetween(0, max)
        .map(PatchDocument::new)
        .describedAs(PatchDocument::body);
  }

  /** What a valid step does, before it is fitted to the image's current properties. */
  private record Intent(int kind, String word, String key, int number, boolean flag) {}

  /**
   * Documents of 0 to 8 operations that the image's owner may apply to {@code image}: names,
   * visibilities other than public, the flags, {@code min_ram} and {@code min_disk} in range, tags,
   * properties added, replaced and removed (replace and remove only of a property present at that
   * point of the document), and the disk format while the image is queued or importing.
   *
   * @param image the image as stored
   * @return documents the owner may apply to the image
   */
  public static Gen<PatchDocument> validFor(Image image) {
    Gen<Intent> intents =
        integers()
            .between(0, 9)
            .zip(
                Generate.pick(WORDS),
                Generate.pick(KEYS),
                integers().between(0, 4096),
                (kind, word, key, number) -> new Object[] {kind, word, key, number})
            .zip(
                booleans().all(),
                (a, flag) ->
                    new Intent((Integer) a[0], (String) a[1], (String) a[2], (Integer) a[3], flag));
    boolean formats =
        image.status() == ImageStatus.QUEUED || image.status() == ImageStatus.IMPORTING;
    return lists()
        .of(intents)
        .ofSizeBetween(0, 8)
        .map(list -> fit(image, list, formats))
        .describedAs(PatchDocument::body);
  }

  private static PatchDocument fit(Image image, List<Intent> intents, boolean formats) {
    Map<String, String> properties = new LinkedHashMap<>(image.properties());
    List<PatchStep> steps = new ArrayList<>();
    List<Visibility> visibilities =
        List.of(Visibility.PRIVATE, Visibility.SHARED, Visibility.COMMUNITY);
    for (Intent i : intents) {
      switch (i.kind()) {
        case 0 ->
            steps.add(
                step(
                    "replace",
                    "name",
                    quote(i.word()),
                    new PatchOperation.SetName(Optional.of(i.word()))));
        case 1 -> {
          Visibility v = visibilities.get(i.number() % visibilities.size());
          steps.add(
              step(
                  "replace",
                  "visibility",
                  quote(v.wireName()),
                  new PatchOperation.SetVisibility(v)));
        }
        case 2 ->
            steps.add(
                step(
                    i.flag() ? "add" : "replace",
                    "protected",
                    Boolean.toString(i.number() % 2 == 0),
                    new PatchOperation.SetProtected(i.number() % 2 == 0)));
        case 3 ->
            steps.add(
                step(
                    "add",
                    "os_hidden",
                    Boolean.toString(i.flag()),
                    new PatchOperation.SetOsHidden(i.flag())));
        case 4 ->
            steps.add(
                i.flag()
                    ? step(
                        "replace",
                        "min_ram",
                        Integer.toString(i.number()),
                        new PatchOperation.SetMinRam(i.number()))
                    : step(
                        "replace",
                        "min_disk",
                        Integer.toString(i.number() % 100),
                        new PatchOperation.SetMinDisk(i.number() % 100)));
        case 5 -> {
          List<String> tags = new ArrayList<>();
          for (int t = 0; t < i.number() % 4; t++) {
            tags.add(TAGS.get((i.number() + t) % TAGS.size()));
          }
          steps.add(step("replace", "tags", tagArray(tags), new PatchOperation.SetTags(tags)));
        }
        case 6 -> {
          if (formats) {
            String format = List.of("raw", "qcow2", "iso").get(i.number() % 3);
            steps.add(
                step(
                    "replace",
                    "disk_format",
                    quote(format),
                    new PatchOperation.SetDiskFormat(Optional.of(format))));
          } else {
            steps.add(
                step(
                    "replace",
                    "name",
                    quote(i.word()),
                    new PatchOperation.SetName(Optional.of(i.word()))));
          }
        }
        case 7 -> {
          if (properties.containsKey(i.key())) {
            steps.add(
                step(
                    "replace",
                    i.key(),
                    quote(i.word()),
                    new PatchOperation.ReplaceProperty(i.key(), i.word())));
          } else {
            steps.add(
                step(
                    "add",
                    i.key(),
                    quote(i.word()),
                    new PatchOperation.AddProperty(i.key(), i.word())));
          }
          properties.put(i.key(), i.word());
        }
        case 8 -> {
          if (properties.containsKey(i.key())) {
            steps.add(step("remove", i.key(), null, new PatchOperation.RemoveProperty(i.key())));
            properties.remove(i.key());
          } else {
            steps.add(
                step(
                    "add",
                    i.key(),
                    quote(i.word()),
                    new PatchOperation.AddProperty(i.key(), i.word())));
            properties.put(i.key(), i.word());
          }
        }
        default -> {
          steps.add(
              step(
                  "add",
                  i.key(),
                  quote(i.word()),
                  new PatchOperation.AddProperty(i.key(), i.word())));
          properties.put(i.key(), i.word());
        }
      }
    }
    return new PatchDocument(steps);
  }

  /** One invalid operation, with its label. */
  private record Bad(String json, ErrorCode code, String reason) {}

  private static List<Bad> badOperations(Image image) {
    String absent = "zz-absent";
    for (int n = 0; image.properties().containsKey(absent); n++) {
      absent = "zz-absent-" + n;
    }
    List<String> tags = new ArrayList<>();
    for (int i = 0; i < 129; i++) {
      tags.add(quote("t" + i));
    }
    return List.of(
        new Bad(
            "{\"op\":\"replace\",\"path\":\"/status\",\"value\":\"active\"}",
            RuleCode.READ_ONLY_ATTRIBUTE,
            "status is read-only"),
        new Bad(
            "{\"op\":\"remove\",\"path\":\"/checksum\"}",
            RuleCode.READ_ONLY_ATTRIBUTE,
            "checksum is read-only"),
        new Bad(
            "{\"op\":\"add\",\"path\":\"/os_glance_lock\",\"value\":\"x\"}",
            RuleCode.RESERVED_ATTRIBUTE,
            "the os_glance namespace is reserved"),
        new Bad(
            "{\"op\":\"add\",\"path\":\"/deleted_at\",\"value\":\"x\"}",
            RuleCode.RESERVED_ATTRIBUTE,
            "deleted_at is reserved"),
        new Bad(
            "{\"op\":\"replace\",\"path\":" + quote(pointer(absent)) + ",\"value\":\"x\"}",
            RuleCode.PROPERTY_CONFLICT,
            "replace of an absent property"),
        new Bad(
            "{\"op\":\"remove\",\"path\":" + quote(pointer(absent)) + "}",
            RuleCode.PROPERTY_CONFLICT,
            "remove of an absent property"),
        new Bad(
            "{\"op\":\"remove\",\"path\":\"/min_ram\"}",
            RuleCode.POLICY_DENIED,
            "a base attribute cannot be removed"),
        new Bad(
            "{\"op\":\"replace\",\"path\":\"/owner\",\"value\":\"other\"}",
            RuleCode.POLICY_DENIED,
            "only an admin changes the owner"),
        new Bad(
            "{\"op\":\"replace\",\"path\":\"/visibility\",\"value\":\"public\"}",
            RuleCode.POLICY_DENIED,
            "only an admin publicizes"),
        new Bad(
            "{\"op\":\"add\",\"path\":\"/locations/-\","
                + "\"value\":{\"url\":\"file:///x\",\"metadata\":{}}}",
            RuleCode.LOCATIONS_HIDDEN,
            "locations are hidden"),
        new Bad(
            "{\"op\":\"test\",\"path\":\"/name\",\"value\":\"x\"}",
            RuleCode.MALFORMED_REQUEST,
            "test is not an operation Glance accepts"),
        new Bad(
            "{\"op\":\"remove\",\"path\":\"name\"}",
            RuleCode.MALFORMED_REQUEST,
            "a path starts with a slash"),
        new Bad(
            "{\"op\":\"add\",\"path\":\"/tags/-\",\"value\":\"x\"}",
            RuleCode.MALFORMED_REQUEST,
            "tags are replaced whole"),
        new Bad(
            "{\"op\":\"replace\",\"path\":\"/name\"}",
            RuleCode.MALFORMED_REQUEST,
            "replace needs a value"),
        new Bad(
            "{\"op\":\"add\",\"path\":\"/k\",\"value\":5}",
            StoreErrorCode.INVALID_VALUE,
            "a property value is a string"),
        new Bad(
            "{\"op\":\"replace\",\"path\":\"/min_disk\",\"value\":-5}",
            StoreErrorCode.INVALID_VALUE,
            "min_disk is not negative"),
        new Bad(
            "{\"op\":\"replace\",\"path\":\"/min_disk\",\"value\":4294967296}",
            StoreErrorCode.INVALID_VALUE,
            "min_disk fits 32 bits"),
        new Bad(
            "{\"op\":\"replace\",\"path\":\"/protected\",\"value\":\"yes\"}",
            StoreErrorCode.INVALID_VALUE,
            "protected is a boolean"),
        new Bad(
            "{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"\uD83D\uDE00\"}",
            StoreErrorCode.INVALID_VALUE,
            "no 4-byte characters"),
        new Bad(
            "{\"op\":\"replace\",\"path\":\"/tags\",\"value\":[" + String.join(",", tags) + "]}",
            RuleCode.TAG_QUOTA_EXCEEDED,
            "at most 128 tags"));
  }

  /** Operations that never fail for the owner, to surround an invalid one. */
  private static Gen<String> harmless() {
    return Generate.oneOf(
        Generate.pick(WORDS)
            .map(w -> "{\"op\":\"replace\",\"path\":\"/name\",\"value\":" + quote(w) + "}"),
        integers()
            .between(0, 20)
            .map(i -> "{\"op\":\"add\",\"path\":\"/new" + i + "\",\"value\":\"v\"}"),
        booleans()
            .all()
            .map(b -> "{\"op\":\"replace\",\"path\":\"/os_hidden\",\"value\":" + b + "}"));
  }

  /**
   * Documents that {@code image}'s owner must be refused, each labelled with its code: one invalid
   * operation (a read-only or reserved path, a replace or remove of an absent property, a base
   * attribute removed, an owner or public visibility set by a non-admin, a location, a bad verb,
   * path or value, a tag list over the quota) between operations that alone would succeed, so the
   * label must hold wherever the bad operation stands. A refused document changes nothing.
   *
   * @param image the image as stored
   * @return invalid documents, each labelled with the error it must produce
   */
  public static Gen<InvalidPatch> invalidFor(Image image) {
    Gen<List<String>> around = lists().of(harmless()).ofSizeBetween(0, 3);
    return around
        .zip(
            Generate.pick(badOperations(image)),
            around,
            (before, bad, after) -> {
              List<String> ops = new ArrayList<>(before);
              ops.add(bad.json());
              ops.addAll(after);
              return new InvalidPatch("[" + String.join(",", ops) + "]", bad.code(), bad.reason());
            })
        .mix(
            Generate.constant(
                new InvalidPatch("5", RuleCode.MALFORMED_REQUEST, "a document is a JSON array")),
            5)
        .describedAs(InvalidPatch::toString);
  }
}
