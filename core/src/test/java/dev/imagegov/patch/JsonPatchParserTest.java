package dev.imagegov.patch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagegov.error.ErrorCode;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.model.Visibility;
import dev.imagegov.patch.PatchOperation.AddProperty;
import dev.imagegov.patch.PatchOperation.LocationChange;
import dev.imagegov.patch.PatchOperation.RemoveProperty;
import dev.imagegov.patch.PatchOperation.ReplaceProperty;
import dev.imagegov.patch.PatchOperation.SetMinRam;
import dev.imagegov.patch.PatchOperation.SetName;
import dev.imagegov.patch.PatchOperation.SetTags;
import dev.imagegov.patch.PatchOperation.SetVisibility;
import dev.imagegov.schema.ImageSchema;
import dev.imagegov.schema.PropertyDefinitions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The JSON-patch document rules of the reference (§6.1–§6.3, §14 vectors 32–35). */
class JsonPatchParserTest {
  static final ImageSchema SCHEMA =
      ImageSchema.defaults(
          List.of("raw", "qcow2", "iso"), List.of("bare", "ovf"));
  private final JsonPatchParser parser = new JsonPatchParser(SCHEMA, PatchLimits.defaults());

  private ImagePatch v21(String body) {
    return parser.parse(JsonPatchParser.V2_1, body);
  }

  private ImagePatch v20(String body) {
    return parser.parse(JsonPatchParser.V2_0, body);
  }

  private static void fails(ErrorCode code, String messagePart, Runnable call) {
    assertThatThrownBy(call::run)
        .isInstanceOf(GovernanceException.class)
        .satisfies(e -> assertThat(((GovernanceException) e).code()).isEqualTo(code))
        .hasMessageContaining(messagePart);
  }

  // §6.1 media types and body

  @Test
  void otherMediaTypesAreRefusedWith415NamingTheAcceptedOnes() {
    fails(
        RuleCode.UNSUPPORTED_MEDIA_TYPE,
        JsonPatchParser.V2_1,
        () -> parser.parse("application/json-patch+json", "[]"));
    fails(RuleCode.UNSUPPORTED_MEDIA_TYPE, JsonPatchParser.V2_0, () -> parser.parse(null, "[]"));
  }

  @Test
  void mediaTypeParametersAreIgnored() {
    assertThat(parser.parse(JsonPatchParser.V2_1 + "; charset=UTF-8", "[]").isEmpty()).isTrue();
  }

  @Test
  void bodyIsRequired() {
    fails(RuleCode.MALFORMED_REQUEST, "Body expected in request.", () -> v21(""));
    fails(RuleCode.MALFORMED_REQUEST, "Body expected in request.", () -> v21(null));
  }

  @Test
  void bodyMustBeAnArray() {
    fails(
        RuleCode.MALFORMED_REQUEST,
        "Request body must be a JSON array of operation objects.",
        () -> v21("{\"op\":\"add\"}"));
  }

  @Test
  void operationsMustBeObjects() {
    fails(RuleCode.MALFORMED_REQUEST, "Operations must be JSON objects. (operation #1)",
        () -> v21("[{\"op\":\"remove\",\"path\":\"/a\"}, 5]"));
  }

  @Test
  void emptyArrayIsAnEmptyPatch() {
    assertThat(v21("[]").operations()).isEmpty();
  }

  @Test
  void malformedJsonIs400() {
    fails(RuleCode.MALFORMED_REQUEST, "Malformed JSON", () -> v21("[{"));
    fails(RuleCode.MALFORMED_REQUEST, "Malformed JSON", () -> v21("[] []"));
  }

  @Test
  void missingOpIs400() {
    fails(RuleCode.MALFORMED_REQUEST, "Unable to find `op` in JSON Schema change",
        () -> v21("[{\"path\":\"/a\",\"value\":\"b\"}]"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"test", "move", "copy"})
  void onlyAddRemoveAndReplaceAreOperations(String op) {
    fails(
        RuleCode.MALFORMED_REQUEST,
        "Invalid operation: `" + op + "`. It must be one of the following: add, remove, replace.",
        () -> v21("[{\"op\":\"" + op + "\",\"path\":\"/a\",\"value\":\"b\"}]"));
  }

  @Test
  void missingPathIs400() {
    fails(RuleCode.MALFORMED_REQUEST, "Unable to find 'path'",
        () -> v21("[{\"op\":\"remove\"}]"));
  }

  @Test
  void nonStringPathIs400() {
    fails(RuleCode.MALFORMED_REQUEST, "must be a JSON string",
        () -> v21("[{\"op\":\"remove\",\"path\":5}]"));
  }

  @Test
  void addAndReplaceNeedAValue() {
    fails(RuleCode.MALFORMED_REQUEST, "Operation \"replace\" requires a member named \"value\".",
        () -> v21("[{\"op\":\"replace\",\"path\":\"/name\"}]"));
  }

  @Test
  void v20ObjectWithTwoVerbsIs400() {
    fails(RuleCode.MALFORMED_REQUEST, "only one member",
        () -> v20("[{\"replace\":\"/name\",\"add\":\"/x\",\"value\":\"v\"}]"));
  }

  @Test
  void v21ShapedObjectSentAsV20Is400() {
    fails(RuleCode.MALFORMED_REQUEST, "exactly one member",
        () -> v20("[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"v\"}]"));
  }

  @Test
  void v20ReplaceParsesLikeV21() {
    assertThat(v20("[{\"replace\":\"/name\",\"value\":\"n\"}]").operations())
        .containsExactly(new SetName(Optional.of("n")));
  }

  @Test
  void v20AddMustFindThePropertyAbsent() {
    assertThat(v20("[{\"add\":\"/k\",\"value\":\"v\"}]").operations())
        .containsExactly(new AddProperty("k", "v", true));
    assertThat(v20("[{\"add\":\"/min_ram\",\"value\":5}]").operations())
        .containsExactly(new AddProperty("min_ram", "5", true));
  }

  // §6.2 path grammar (§14 vectors 32, 33, 35)

  @Test
  void pointerEscapesDecode() {
    assertThat(JsonPatchParser.decodePointer("/keywith~1slash")).containsExactly("keywith/slash");
    assertThat(JsonPatchParser.decodePointer("/keywith~0tilde")).containsExactly("keywith~tilde");
    assertThat(JsonPatchParser.decodePointer("/tricky~01")).containsExactly("tricky~1");
  }

  @Test
  void leadingDoubleSlashIsTolerated() {
    assertThat(JsonPatchParser.decodePointer("//ab")).containsExactly("ab");
  }

  @Test
  void tokensAreTrimmed() {
    assertThat(JsonPatchParser.decodePointer("/ name ")).containsExactly("name");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "noslash", "///twoslash", "/two/   /slash", "/      /      ", "/trailingslash/",
        "/lone~tilde", "/trailingtilde~"
      })
  void invalidPointersAre400(String pointer) {
    fails(RuleCode.MALFORMED_REQUEST, "Pointer `" + pointer + "`",
        () -> v21("[{\"op\":\"remove\",\"path\":\"" + pointer + "\"}]"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/tags/-", "/tags/0", "/a/b", "/locations/1/2"})
  void nestedPathsAre400(String path) {
    fails(RuleCode.MALFORMED_REQUEST, "Invalid JSON pointer for this resource",
        () -> v21("[{\"op\":\"add\",\"path\":\"" + path + "\",\"value\":\"x\"}]"));
  }

  @Test
  void locationsAddAndRemoveNeedAPositionAndReplaceNone() {
    fails(RuleCode.MALFORMED_REQUEST, "Invalid JSON pointer",
        () -> v21("[{\"op\":\"remove\",\"path\":\"/locations\"}]"));
    fails(RuleCode.MALFORMED_REQUEST, "Invalid JSON pointer",
        () -> v21("[{\"op\":\"replace\",\"path\":\"/locations/0\",\"value\":[]}]"));
    assertThat(v21("[{\"op\":\"remove\",\"path\":\"/locations/0\"}]").operations())
        .containsExactly(new LocationChange(PatchOperation.Verb.REMOVE, Optional.of("0"), false));
    assertThat(v21("[{\"op\":\"replace\",\"path\":\"/locations\",\"value\":[]}]").operations())
        .containsExactly(new LocationChange(PatchOperation.Verb.REPLACE, Optional.empty(), true));
  }

  @Test
  void locationValueIsValidatedAsOneElementArray() {
    fails(StoreErrorCode.INVALID_VALUE, "locations",
        () -> v21("[{\"op\":\"add\",\"path\":\"/locations/-\",\"value\":{\"url\":5}}]"));
  }

  // §6.3 screening (§14 vector 34)

  @ParameterizedTest
  @ValueSource(
      strings = {
        "id", "status", "checksum", "os_hash_algo", "os_hash_value", "size", "virtual_size",
        "created_at", "updated_at", "direct_url", "self", "file", "schema"
      })
  void readOnlyAttributesAre403(String attribute) {
    fails(RuleCode.READ_ONLY_ATTRIBUTE, "Attribute '" + attribute + "' is read-only.",
        () -> v21("[{\"op\":\"replace\",\"path\":\"/" + attribute + "\",\"value\":\"x\"}]"));
    fails(RuleCode.READ_ONLY_ATTRIBUTE, "is read-only.",
        () -> v21("[{\"op\":\"remove\",\"path\":\"/" + attribute + "\"}]"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"location", "deleted", "deleted_at", "os_glance", "os_glance_x"})
  void reservedAttributesAre403(String attribute) {
    fails(RuleCode.RESERVED_ATTRIBUTE, "Attribute '" + attribute + "' is reserved.",
        () -> v21("[{\"op\":\"add\",\"path\":\"/" + attribute + "\",\"value\":\"x\"}]"));
  }

  @Test
  void storesIsAnOrdinaryPropertyOnPatch() {
    assertThat(v21("[{\"op\":\"add\",\"path\":\"/stores\",\"value\":\"v\"}]").operations())
        .containsExactly(new AddProperty("stores", "v"));
  }

  @Test
  void valuesAreValidatedAgainstTheSchema() {
    fails(StoreErrorCode.INVALID_VALUE, "'min_ram'",
        () -> v21("[{\"op\":\"replace\",\"path\":\"/min_ram\",\"value\":\"5\"}]"));
    fails(StoreErrorCode.INVALID_VALUE, "'visibility'",
        () -> v21("[{\"op\":\"replace\",\"path\":\"/visibility\",\"value\":\"secret\"}]"));
    fails(StoreErrorCode.INVALID_VALUE, "'disk_format'",
        () -> v21("[{\"op\":\"replace\",\"path\":\"/disk_format\",\"value\":\"vmdk\"}]"));
    fails(StoreErrorCode.INVALID_VALUE, "'k'",
        () -> v21("[{\"op\":\"add\",\"path\":\"/k\",\"value\":true}]"));
    fails(StoreErrorCode.INVALID_VALUE, "'tags'",
        () -> v21("[{\"op\":\"replace\",\"path\":\"/tags\",\"value\":\"t\"}]"));
    fails(StoreErrorCode.INVALID_VALUE, "'name'",
        () -> v21("[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"" + "n".repeat(256) + "\"}]"));
  }

  @Test
  void customDefinitionsValidateTheirProperties() {
    PropertyDefinitions defs =
        PropertyDefinitions.parse(
            "{\"kernel_id\": {\"type\": [\"null\", \"string\"],"
                + " \"pattern\": \"^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}"
                + "-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$\"}}");
    JsonPatchParser custom =
        new JsonPatchParser(
            ImageSchema.of(List.of("raw"), List.of("bare"), defs), PatchLimits.defaults());
    fails(StoreErrorCode.INVALID_VALUE, "'kernel_id'",
        () -> custom.parse(JsonPatchParser.V2_1,
            "[{\"op\":\"add\",\"path\":\"/kernel_id\",\"value\":\"nope\"}]"));
    assertThat(custom.parse(JsonPatchParser.V2_1,
            "[{\"op\":\"add\",\"path\":\"/kernel_id\",\"value\":null}]").operations())
        .containsExactly(new AddProperty("kernel_id", ""));
  }

  @Test
  void operationsParseInOrder() {
    ImagePatch patch =
        v21("[{\"op\":\"replace\",\"path\":\"/name\",\"value\":null},"
            + "{\"op\":\"add\",\"path\":\"/visibility\",\"value\":\"community\"},"
            + "{\"op\":\"add\",\"path\":\"/tags\",\"value\":[\"a\",\"b\",\"a\"]},"
            + "{\"op\":\"replace\",\"path\":\"/min_ram\",\"value\":512},"
            + "{\"op\":\"replace\",\"path\":\"/k\",\"value\":\"v\"},"
            + "{\"op\":\"remove\",\"path\":\"/name\"}]");
    assertThat(patch.operations())
        .containsExactly(
            new SetName(Optional.empty()),
            new SetVisibility(Visibility.COMMUNITY),
            new SetTags(List.of("a", "b", "a")),
            new SetMinRam(512),
            new ReplaceProperty("k", "v"),
            new RemoveProperty("name"));
  }

  @Test
  void errorsNameTheOperationIndex() {
    fails(RuleCode.READ_ONLY_ATTRIBUTE, "(operation #2)",
        () -> v21("[{\"op\":\"remove\",\"path\":\"/a\"},{\"op\":\"remove\",\"path\":\"/b\"},"
            + "{\"op\":\"remove\",\"path\":\"/status\"}]"));
  }

  // limits

  @Test
  void deepNestingIsAClear400() {
    String deep = "[".repeat(100_000) + "]".repeat(100_000);
    JsonPatchParser roomy =
        new JsonPatchParser(SCHEMA, new PatchLimits(1_000_000, 32, 1024));
    fails(RuleCode.MALFORMED_REQUEST, "nested deeper than 32",
        () -> roomy.parse(JsonPatchParser.V2_1, deep));
  }

  @Test
  void deepValueIsA400() {
    String value = "{\"a\":".repeat(40) + "1" + "}".repeat(40);
    fails(RuleCode.MALFORMED_REQUEST, "nested deeper",
        () -> v21("[{\"op\":\"add\",\"path\":\"/k\",\"value\":" + value + "}]"));
  }

  @Test
  void hugeDocumentIs413() {
    String body = "[" + " ".repeat(PatchLimits.DEFAULT_MAX_DOCUMENT_CHARS) + "]";
    fails(RuleCode.REQUEST_TOO_LARGE, "Request is too large", () -> v21(body));
  }

  @Test
  void tooManyOperationsIs400() {
    JsonPatchParser small = new JsonPatchParser(SCHEMA, new PatchLimits(10_000, 8, 2));
    fails(RuleCode.MALFORMED_REQUEST, "at most 2",
        () -> small.parse(JsonPatchParser.V2_1,
            "[{\"op\":\"remove\",\"path\":\"/a\"},{\"op\":\"remove\",\"path\":\"/b\"},"
                + "{\"op\":\"remove\",\"path\":\"/c\"}]"));
  }
}
