package dev.imagegov;

import static dev.imagegov.Fixtures.ADMIN;
import static dev.imagegov.Fixtures.CONSUMER_A;
import static dev.imagegov.Fixtures.OUTSIDER;
import static dev.imagegov.Fixtures.PRODUCER;
import static dev.imagegov.Fixtures.PRODUCER_READER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagegov.error.ErrorCode;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.events.GovernanceEvent;
import dev.imagegov.events.ImageUpdated;
import dev.imagegov.events.VisibilityChanged;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import dev.imagegov.patch.ImagePatch;
import dev.imagegov.patch.JsonPatchParser;
import dev.imagegov.schema.PropertyDefinitions;
import dev.imagegov.store.memory.MemoryCatalog;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** One test per rule of the reference's JSON-patch section (§6) and its §14 vectors 36–38. */
class PatchRulesTest {
  private final Fixtures f = new Fixtures();

  private Image image() {
    return f.images()
        .create(
            PRODUCER,
            NewImage.builder()
                .name("golden")
                .visibility(Visibility.PRIVATE)
                .properties(Map.of("os_distro", "debian"))
                .build());
  }

  private Image patch(ImageId id, String body) {
    return f.images().patch(PRODUCER, id, JsonPatchParser.V2_1, body);
  }

  private static String op(String op, String path, String jsonValue) {
    return "{\"op\":\"" + op + "\",\"path\":\"" + path + "\",\"value\":" + jsonValue + "}";
  }

  private static String remove(String path) {
    return "{\"op\":\"remove\",\"path\":\"" + path + "\"}";
  }

  private static String doc(String... ops) {
    return "[" + String.join(",", ops) + "]";
  }

  /** Asserts the refusal and that nothing changed: same image, same version, no event. */
  private void refused(ErrorCode code, String message, ImageId id, ThrowingCallable call) {
    Image before = f.governance.catalog().find(id).orElseThrow();
    int events = f.events.size();
    assertThatThrownBy(call)
        .isInstanceOf(GovernanceException.class)
        .satisfies(
            e -> {
              GovernanceException g = (GovernanceException) e;
              if (g.code() != code) {
                throw new AssertionError("expected " + code + " but got " + g, g);
              }
            })
        .hasMessageContaining(message);
    assertThat(f.governance.catalog().find(id)).contains(before);
    assertThat(f.events).hasSize(events);
  }

  // Deliberate differences from Glance (README "Differences from Glance")

  @Test
  void propertyWithTheEmptyNameIsRefused() {
    ImageId id = image().id();
    for (String op : new String[] {"add", "replace"}) {
      refused(StoreErrorCode.INVALID_VALUE, "Custom property names must not be empty", id,
          () -> patch(id, doc(op(op, "/", "\"v\""))));
    }
    refused(StoreErrorCode.INVALID_VALUE, "Custom property names must not be empty", id,
        () -> patch(id, doc(remove("/"))));
  }

  @Test
  void propertyNameOf256CharactersIsRefused() {
    ImageId id = image().id();
    String name = "k".repeat(256);
    for (String n : new String[] {name, "k".repeat(10_000)}) {
      for (String op : new String[] {"add", "replace"}) {
        refused(StoreErrorCode.INVALID_VALUE, "greater than 255 characters", id,
            () -> patch(id, doc(op(op, "/" + n, "\"v\""))));
      }
    }
    assertThat(patch(id, doc(op("add", "/" + "k".repeat(255), "\"v\""))).properties())
        .containsEntry("k".repeat(255), "v");
  }

  // §6.1 media types

  @Test
  void otherMediaTypeIs415() {
    ImageId id = image().id();
    refused(RuleCode.UNSUPPORTED_MEDIA_TYPE, "openstack-images-v2.1-json-patch", id,
        () -> f.images().patch(PRODUCER, id, "application/json", "[]"));
  }

  @Test
  void v20MediaTypeIsAccepted() {
    ImageId id = image().id();
    Image after =
        f.images().patch(PRODUCER, id, JsonPatchParser.V2_0,
            "[{\"replace\":\"/name\",\"value\":\"renamed\"}]");
    assertThat(after.name()).contains("renamed");
  }

  @Test
  void emptyDocumentSavesNothing() {
    Image image = image();
    int events = f.events.size();
    Image after = patch(image.id(), "[]");
    assertThat(after.updatedAt()).isEqualTo(image.updatedAt());
    assertThat(f.events).hasSize(events);
  }

  @Test
  void documentIsCheckedBeforeTheImageIsRead() {
    ImageId missing = ImageId.of("00000000-0000-4000-8000-000000000000");
    Expect.fails(RuleCode.READ_ONLY_ATTRIBUTE,
        () -> patch(missing, doc(op("replace", "/status", "\"active\""))));
  }

  // §6.4 add / replace / remove

  @Test
  void replaceSetsABaseAttribute() {
    Image after = patch(image().id(), doc(op("replace", "/name", "\"renamed\"")));
    assertThat(after.name()).contains("renamed");
  }

  @Test
  void v21AddOnABaseAttributeActsLikeReplace() {
    Image after = patch(image().id(), doc(op("add", "/min_ram", "1024")));
    assertThat(after.minRam()).isEqualTo(1024);
  }

  @Test
  void v21AddOverwritesAnExistingCustomProperty() {
    Image after = patch(image().id(), doc(op("add", "/os_distro", "\"ubuntu\"")));
    assertThat(after.properties()).containsEntry("os_distro", "ubuntu");
  }

  @Test
  void addCreatesACustomProperty() {
    Image after = patch(image().id(), doc(op("add", "/architecture", "\"x86_64\"")));
    assertThat(after.properties()).containsEntry("architecture", "x86_64");
  }

  @Test
  void replaceOfAMissingCustomPropertyIs409() {
    ImageId id = image().id();
    refused(RuleCode.PROPERTY_CONFLICT, "Property missing does not exist.", id,
        () -> patch(id, doc(op("replace", "/missing", "\"v\""))));
  }

  @Test
  void v20AddOfAPresentPropertyIs409() {
    ImageId id = image().id();
    refused(RuleCode.PROPERTY_CONFLICT, "Property os_distro already present.", id,
        () -> f.images().patch(PRODUCER, id, JsonPatchParser.V2_0,
            "[{\"add\":\"/os_distro\",\"value\":\"x\"}]"));
    refused(RuleCode.PROPERTY_CONFLICT, "Property name already present.", id,
        () -> f.images().patch(PRODUCER, id, JsonPatchParser.V2_0,
            "[{\"add\":\"/name\",\"value\":\"x\"}]"));
  }

  @Test
  void v20AddOfAnAbsentPropertyCreatesIt() {
    Image after =
        f.images().patch(PRODUCER, image().id(), JsonPatchParser.V2_0,
            "[{\"add\":\"/fresh\",\"value\":\"x\"}]");
    assertThat(after.properties()).containsEntry("fresh", "x");
  }

  @Test
  void removeOfABaseAttributeIs403() {
    ImageId id = image().id();
    refused(RuleCode.POLICY_DENIED, "Property name may not be removed.", id,
        () -> patch(id, doc(remove("/name"))));
    refused(RuleCode.POLICY_DENIED, "Property tags may not be removed.", id,
        () -> patch(id, doc(remove("/tags"))));
  }

  @Test
  void removeDeletesACustomProperty() {
    Image after = patch(image().id(), doc(remove("/os_distro")));
    assertThat(after.properties()).doesNotContainKey("os_distro");
  }

  @Test
  void removeOfAMissingCustomPropertyIs409() {
    ImageId id = image().id();
    refused(RuleCode.PROPERTY_CONFLICT, "Property missing does not exist.", id,
        () -> patch(id, doc(remove("/missing"))));
  }

  @Test
  void replaceOwnerByNonAdminIs403() {
    ImageId id = image().id();
    refused(RuleCode.POLICY_DENIED, "Owner can't be updated by non admin.", id,
        () -> patch(id, doc(op("replace", "/owner", "\"consumer-a\""))));
  }

  @Test
  void adminMayReplaceNameAndOwnerTogether() {
    ImageId id = image().id();
    Image after =
        f.images().patch(ADMIN, id, JsonPatchParser.V2_1,
            doc(op("replace", "/name", "\"n\""), op("replace", "/owner", "\"consumer-a\"")));
    assertThat(after.name()).contains("n");
    assertThat(after.owner()).contains(ProjectId.of("consumer-a"));
  }

  @Test
  void adminMayMakeAnImageUnowned() {
    Image after =
        f.images().patch(ADMIN, image().id(), JsonPatchParser.V2_1,
            doc(op("replace", "/owner", "null")));
    assertThat(after.owner()).isEmpty();
  }

  @Test
  void replaceLocationsWithEmptyListIs403() {
    ImageId id = image().id();
    refused(RuleCode.LOCATIONS_HIDDEN, "Cannot set locations to empty list.", id,
        () -> patch(id, doc(op("replace", "/locations", "[]"))));
  }

  @Test
  void locationChangesAreRefusedWhileLocationsAreHidden() {
    ImageId id = image().id();
    String location = "{\"url\":\"file:///x\",\"metadata\":{}}";
    refused(RuleCode.LOCATIONS_HIDDEN,
        "It's not allowed to add locations if locations are invisible.", id,
        () -> patch(id, doc(op("add", "/locations/-", location))));
    refused(RuleCode.LOCATIONS_HIDDEN,
        "It's not allowed to update locations if locations are invisible.", id,
        () -> patch(id, doc(op("replace", "/locations", "[" + location + "]"))));
  }

  @Test
  void removeLocationNeedsTheAdminOnlyDeleteLocationRule() {
    ImageId id = image().id();
    refused(RuleCode.POLICY_DENIED, "delete_image_location", id,
        () -> patch(id, doc(remove("/locations/0"))));
  }

  @Test
  void diskFormatMayChangeWhileQueued() {
    Image after = patch(image().id(), doc(op("replace", "/disk_format", "\"qcow2\"")));
    assertThat(after.diskFormat()).contains("qcow2");
  }

  @Test
  void formatsMayNotChangeAfterUpload() {
    ImageId id = image().id();
    activate(id);
    refused(RuleCode.STATUS_FORBIDS,
        "Attribute disk_format can be only replaced for a queued image.", id,
        () -> patch(id, doc(op("replace", "/disk_format", "\"qcow2\""))));
    refused(RuleCode.STATUS_FORBIDS,
        "Attribute container_format can be only replaced for a queued image.", id,
        () -> patch(id, doc(op("replace", "/container_format", "\"bare\""))));
  }

  private void activate(ImageId id) {
    Image current = f.governance.catalog().find(id).orElseThrow();
    f.governance.catalog()
        .compareAndSet(current.version(), current.toBuilder().status(ImageStatus.ACTIVE).build()).orElseThrow();
  }

  @Test
  void negativeMinRamIs400() {
    ImageId id = image().id();
    refused(StoreErrorCode.INVALID_VALUE, "min_ram", id,
        () -> patch(id, doc(op("replace", "/min_ram", "-1"))));
  }

  @Test
  void minDiskAbove2To31Is400() {
    ImageId id = image().id();
    refused(StoreErrorCode.INVALID_VALUE, "min_disk", id,
        () -> patch(id, doc(op("replace", "/min_disk", "2147483648"))));
    refused(StoreErrorCode.INVALID_VALUE, "min_disk", id,
        () -> patch(id, doc(op("replace", "/min_disk", "99999999999999999999999"))));
  }

  @Test
  void unknownVisibilityIs400() {
    ImageId id = image().id();
    refused(StoreErrorCode.INVALID_VALUE, "visibility", id,
        () -> patch(id, doc(op("replace", "/visibility", "\"secret\""))));
  }

  @Test
  void publicByNonAdminIs403() {
    ImageId id = image().id();
    refused(RuleCode.POLICY_DENIED, "publicize_image", id,
        () -> patch(id, doc(op("replace", "/visibility", "\"public\""))));
  }

  @Test
  void visibilityChangeEmitsVisibilityChanged() {
    ImageId id = image().id();
    f.events.clear();
    patch(id, doc(op("replace", "/visibility", "\"community\""), op("add", "/k", "\"v\"")));
    assertThat(f.events).hasSize(2);
    assertThat(f.events.get(0)).isInstanceOf(ImageUpdated.class);
    VisibilityChanged changed = (VisibilityChanged) f.events.get(1);
    assertThat(changed.from()).isEqualTo(Visibility.PRIVATE);
    assertThat(changed.to()).isEqualTo(Visibility.COMMUNITY);
  }

  @Test
  void tagsReplacementFoldsDuplicatesKeepingOrder() {
    Image after = patch(image().id(), doc(op("replace", "/tags", "[\"b\",\"a\",\"b\"]")));
    assertThat(after.tags()).containsExactly("b", "a");
  }

  @Test
  void tagsMustBeAnArrayOfShortStrings() {
    ImageId id = image().id();
    refused(StoreErrorCode.INVALID_VALUE, "tags", id,
        () -> patch(id, doc(op("replace", "/tags", "\"a\""))));
    refused(StoreErrorCode.INVALID_VALUE, "tags", id,
        () -> patch(id, doc(op("replace", "/tags", "[\"" + "t".repeat(256) + "\"]"))));
  }

  @Test
  void fourByteCharactersAre400() {
    ImageId id = image().id();
    refused(StoreErrorCode.INVALID_VALUE, "4 byte", id,
        () -> patch(id, doc(op("replace", "/name", "\"\uD83D\uDE00\""))));
    refused(StoreErrorCode.INVALID_VALUE, "4 byte", id,
        () -> patch(id, doc(op("add", "/tags", "[\"\uD83D\uDE00\"]"))));
    refused(StoreErrorCode.INVALID_VALUE, "4 byte", id,
        () -> patch(id, doc(op("add", "/k", "\"\uD83D\uDE00\""))));
  }

  @Test
  void customPropertyValuesMustBeStrings() {
    ImageId id = image().id();
    refused(StoreErrorCode.INVALID_VALUE, "'k'", id, () -> patch(id, doc(op("add", "/k", "5"))));
  }

  @Test
  void customSchemaDefinitionsApplyToPatches() {
    Fixtures custom =
        new Fixtures(
            GovernanceConfig.builder()
                .schemaExtensions(
                    PropertyDefinitions.parse(
                        "{\"os_version\": {\"type\": \"string\", \"maxLength\": 3}}"))
                .build());
    ImageId id = custom.create(PRODUCER, "x", Visibility.PRIVATE).id();
    Expect.fails(StoreErrorCode.INVALID_VALUE,
        () -> custom.images().patch(PRODUCER, id, JsonPatchParser.V2_1,
            doc(op("add", "/os_version", "\"12345\""))));
    Expect.fails(StoreErrorCode.INVALID_VALUE,
        () -> custom.images().update(PRODUCER, id,
            ImagePatch.builder().addProperty("os_version", "12345").build()));
    Expect.fails(StoreErrorCode.INVALID_VALUE,
        () -> custom.images().create(PRODUCER,
            NewImage.builder().properties(Map.of("os_version", "12345")).build()));
  }

  @Test
  void everyOperationRunsModifyImage() {
    ImageId id = f.create(PRODUCER, "shared", Visibility.SHARED).id();
    f.sharing().addMember(PRODUCER, id, "consumer-a");
    refused(RuleCode.POLICY_DENIED, "modify_image", id,
        () -> f.images().patch(CONSUMER_A, id, JsonPatchParser.V2_1,
            doc(op("replace", "/name", "\"mine\""))));
    refused(RuleCode.POLICY_DENIED, "modify_image", id,
        () -> f.images().patch(PRODUCER_READER, id, JsonPatchParser.V2_1,
            doc(op("replace", "/name", "\"mine\""))));
  }

  @Test
  void invisibleImageIs404() {
    ImageId id = image().id();
    refused(StoreErrorCode.IMAGE_NOT_FOUND, "No image found", id,
        () -> f.images().patch(OUTSIDER, id, JsonPatchParser.V2_1,
            doc(op("replace", "/name", "\"mine\""))));
  }

  @Test
  void visibleButForeignImageIs403() {
    ImageId id = f.create(ADMIN, "pub", Visibility.PUBLIC).id();
    refused(RuleCode.POLICY_DENIED, "modify_image", id,
        () -> f.images().patch(OUTSIDER, id, JsonPatchParser.V2_1,
            doc(op("replace", "/name", "\"mine\""))));
  }

  // §6.5 quotas on the result

  private Fixtures withQuotas(int properties, int tags) {
    return new Fixtures(
        GovernanceConfig.builder().imagePropertyQuota(properties).imageTagQuota(tags).build());
  }

  private static Map<String, String> props(int n) {
    return IntStream.range(0, n).boxed().collect(Collectors.toMap(i -> "p" + i, i -> "v"));
  }

  @Test
  void propertyQuotaIs413WhenANewKeyExceedsIt() {
    Fixtures q = withQuotas(10, 128);
    ImageId id = q.images().create(PRODUCER, NewImage.builder().build()).id();
    String ops =
        IntStream.range(0, 11)
            .mapToObj(i -> op("add", "/p" + i, "\"v\""))
            .collect(Collectors.joining(","));
    Expect.fails(RuleCode.PROPERTY_QUOTA_EXCEEDED,
        () -> q.images().patch(PRODUCER, id, JsonPatchParser.V2_1, "[" + ops + "]"));
  }

  @Test
  void removingAndAddingInOnePatchAtTheLimitSucceeds() {
    Fixtures q = withQuotas(1, 128);
    ImageId id =
        q.images().create(PRODUCER, NewImage.builder().properties(props(1)).build()).id();
    Image after =
        q.images().patch(PRODUCER, id, JsonPatchParser.V2_1,
            doc(remove("/p0"), op("add", "/other", "\"v\"")));
    assertThat(after.properties()).containsOnlyKeys("other");
  }

  @Test
  void imageOverQuotaMayStillReplaceAndRemove() {
    Fixtures q = withQuotas(2, 128);
    ImageId id =
        q.images().create(PRODUCER, NewImage.builder().properties(props(2)).build()).id();
    Fixtures lowered = q; // the same catalog, seen with a lower quota
    ImageGovernance strict =
        ImageGovernance.builder()
            .catalog(q.governance.catalog())
            .config(GovernanceConfig.builder().imagePropertyQuota(1).build())
            .build();
    Image after =
        strict.images().patch(PRODUCER, id, JsonPatchParser.V2_1,
            doc(op("replace", "/p0", "\"w\""), op("replace", "/name", "\"n\"")));
    assertThat(after.properties()).containsEntry("p0", "w");
    Expect.fails(RuleCode.PROPERTY_QUOTA_EXCEEDED,
        () -> strict.images().patch(PRODUCER, id, JsonPatchParser.V2_1,
            doc(remove("/p0"), op("add", "/x", "\"v\""), op("add", "/y", "\"v\""))));
    assertThat(lowered.governance.catalog().find(id).orElseThrow().properties())
        .containsOnlyKeys("p0", "p1");
  }

  @Test
  void addingThenRemovingInOnePatchDoesNotTripTheQuota() {
    Fixtures q = withQuotas(1, 128);
    ImageId id =
        q.images().create(PRODUCER, NewImage.builder().properties(props(1)).build()).id();
    Image after =
        q.images().patch(PRODUCER, id, JsonPatchParser.V2_1,
            doc(op("add", "/x", "\"v\""), remove("/x"), op("replace", "/name", "\"n\"")));
    assertThat(after.properties()).containsOnlyKeys("p0");
  }

  @Test
  void tagQuotaIs413() {
    Fixtures q = withQuotas(128, 2);
    ImageId id = q.images().create(PRODUCER, NewImage.builder().build()).id();
    Expect.fails(RuleCode.TAG_QUOTA_EXCEEDED,
        () -> q.images().patch(PRODUCER, id, JsonPatchParser.V2_1,
            doc(op("replace", "/tags", "[\"a\",\"b\",\"c\"]"))));
    Image ok =
        q.images().patch(PRODUCER, id, JsonPatchParser.V2_1,
            doc(op("replace", "/tags", "[\"a\",\"b\",\"a\"]")));
    assertThat(ok.tags()).containsExactly("a", "b");
  }

  // all-or-nothing, updated_at, events

  @Test
  void aFailingOperationRollsBackTheWholePatch() {
    ImageId id = image().id();
    refused(RuleCode.PROPERTY_CONFLICT, "(operation #1)", id,
        () -> patch(id, doc(op("replace", "/name", "\"renamed\""), op("replace", "/nope", "\"v\""))));
    assertThat(f.images().get(PRODUCER, id).name()).contains("golden");
  }

  @Test
  void updatedAtMovesOnlyWhenSomethingChanged() {
    Image image = image();
    Image same = patch(image.id(), doc(op("replace", "/name", "\"golden\"")));
    assertThat(same.updatedAt()).isEqualTo(image.updatedAt());
    Image changed = patch(image.id(), doc(op("replace", "/name", "\"other\"")));
    assertThat(changed.updatedAt()).isAfter(image.updatedAt());
    assertThat(changed.version()).isGreaterThan(image.version());
  }

  @Test
  void oneImageUpdatedEventPerCommittedPatch() {
    ImageId id = image().id();
    f.events.clear();
    patch(id, doc(op("replace", "/name", "\"a\""), op("add", "/k", "\"v\""), remove("/os_distro")));
    List<GovernanceEvent> events = f.events;
    assertThat(events).hasSize(1);
    ImageUpdated updated = (ImageUpdated) events.get(0);
    assertThat(updated.before().name()).contains("golden");
    assertThat(updated.after().properties()).containsOnlyKeys("k");
  }

  @Test
  void typedAndDocumentUpdatesAgree() {
    ImageId a = image().id();
    ImageId b = image().id();
    Image typed =
        f.images().update(PRODUCER, a,
            ImagePatch.builder().setName("n").addProperty("k", "v").setTags(List.of("t")).build());
    Image parsed =
        patch(b, doc(op("replace", "/name", "\"n\""), op("add", "/k", "\"v\""),
            op("add", "/tags", "[\"t\"]")));
    assertThat(typed.name()).isEqualTo(parsed.name());
    assertThat(typed.properties()).isEqualTo(parsed.properties());
    assertThat(typed.tags()).isEqualTo(parsed.tags());
  }

  // §6.7 add /owner

  @Test
  void addOwnerByNonAdminIsRefusedWhateverTheVisibility() {
    for (Visibility v : Visibility.values()) {
      if (v == Visibility.PUBLIC) {
        continue;
      }
      ImageId id = f.create(PRODUCER, "img", v).id();
      refused(RuleCode.POLICY_DENIED, "Owner can't be updated by non admin.", id,
          () -> patch(id, doc(op("add", "/owner", "\"consumer-a\""))));
    }
    ImageId pub = f.createFor("producer", "pub", Visibility.PUBLIC).id();
    refused(RuleCode.POLICY_DENIED, "Owner can't be updated by non admin.", pub,
        () -> patch(pub, doc(op("add", "/owner", "\"consumer-a\""))));
  }

  @Test
  void typedOwnerChangeByNonAdminIsRefused() {
    ImageId id = image().id();
    refused(RuleCode.POLICY_DENIED, "Owner can't be updated by non admin.", id,
        () -> f.images().update(PRODUCER, id, ImagePatch.builder().setOwner("x").build()));
    assertThat(f.images().update(ADMIN, id, ImagePatch.builder().setOwner("x").build()).owner())
        .isEqualTo(Optional.of(ProjectId.of("x")));
  }

  @Test
  void freshGovernanceOnTheSameCatalogSeesPatches() {
    MemoryCatalog catalog = new MemoryCatalog();
    ImageGovernance g = ImageGovernance.builder().catalog(catalog).build();
    ImageId id = g.images().create(PRODUCER, NewImage.builder().name("x").build()).id();
    g.images().patch(PRODUCER, id, JsonPatchParser.V2_1, doc(op("add", "/k", "\"v\"")));
    assertThat(catalog.find(id).orElseThrow().properties()).containsEntry("k", "v");
  }

  // §14 vectors 32-35 and 38, through the facade (the parser's own tests cover them in core)

  @Test
  void escapedPointersNameCustomProperties() {
    // vector 32, test_update_pointer_encoding
    Image after =
        patch(image().id(), doc(op("add", "/keywith~1slash", "\"a\""),
            op("add", "/keywith~0tilde", "\"b\""), op("add", "/tricky~01", "\"c\""),
            op("add", "//ab", "\"d\"")));
    assertThat(after.properties())
        .containsEntry("keywith/slash", "a")
        .containsEntry("keywith~tilde", "b")
        .containsEntry("tricky~1", "c")
        .containsEntry("ab", "d");
  }

  @Test
  void invalidPointersAre400AndChangeNothing() {
    // vector 33, test_update_invalid_attributes
    ImageId id = image().id();
    for (String pointer :
        List.of("noslash", "///twoslash", "/two/   /slash", "/      /      ", "/trailingslash/",
            "/lone~tilde", "/trailingtilde~")) {
      refused(RuleCode.MALFORMED_REQUEST, "Pointer `" + pointer + "`", id,
          () -> patch(id, doc(op("replace", pointer, "\"x\""))));
    }
  }

  @Test
  void readOnlyDisallowedAndReservedAttributesAre403() {
    // vector 34, test_update_readonly/disallowed/reserved_attributes
    ImageId id = image().id();
    for (String attribute :
        List.of("id", "status", "checksum", "os_hash_algo", "os_hash_value", "size",
            "virtual_size", "created_at", "updated_at", "direct_url", "self", "file", "schema")) {
      refused(RuleCode.READ_ONLY_ATTRIBUTE, "Attribute '" + attribute + "' is read-only.", id,
          () -> patch(id, doc(op("replace", "/" + attribute, "\"x\""))));
    }
    for (String attribute :
        List.of("location", "deleted", "deleted_at", "os_glance", "os_glance_import_task")) {
      refused(RuleCode.RESERVED_ATTRIBUTE, "Attribute '" + attribute + "' is reserved.", id,
          () -> patch(id, doc(op("replace", "/" + attribute, "\"x\""))));
    }
  }

  @Test
  void v20ObjectWithSeveralOperationsIs400() {
    // vector 35, test_update_v2_0_multiple_operations
    ImageId id = image().id();
    refused(RuleCode.MALFORMED_REQUEST, "only one member", id,
        () -> f.images().patch(PRODUCER, id, JsonPatchParser.V2_0,
            "[{\"replace\":\"/name\",\"add\":\"/name\",\"value\":\"x\"}]"));
  }

  @Test
  void deepPathsAre400() {
    // vector 35, test_update_deep_limited_attributes
    ImageId id = image().id();
    for (String path : List.of("/locations/1/2", "/tags/0", "/os_distro/x")) {
      refused(RuleCode.MALFORMED_REQUEST, "Invalid JSON pointer for this resource", id,
          () -> patch(id, doc(op("add", path, "\"x\""))));
    }
  }

  @Test
  void lifecycleAfterARealUploadFollowsGlance() {
    // vector 38, test_image_lifecycle: formats frozen after upload; new keys over the quota
    // are 413; the v2.0 media type is accepted. (Uploading twice and downloading before an
    // upload are DataRulesTest's; location patches are refused while locations are hidden,
    // before any location quota applies, see locationChangesAreRefusedWhileLocationsAreHidden.)
    DataFixtures d = new DataFixtures(GovernanceConfig.builder().imagePropertyQuota(10).build());
    Image image = d.active(PRODUCER, "data");
    ImageId id = image.id();
    Expect.fails(RuleCode.STATUS_FORBIDS,
        () -> d.governance.images().patch(PRODUCER, id, JsonPatchParser.V2_1,
            doc(op("replace", "/disk_format", "\"qcow2\""))));
    Expect.fails(RuleCode.STATUS_FORBIDS,
        () -> d.governance.images().patch(PRODUCER, id, JsonPatchParser.V2_1,
            doc(op("replace", "/container_format", "\"ovf\""))));
    String eleven =
        IntStream.range(0, 11)
            .mapToObj(i -> op("add", "/k" + i, "\"v\""))
            .collect(Collectors.joining(","));
    Expect.fails(RuleCode.PROPERTY_QUOTA_EXCEEDED,
        () -> d.governance.images().patch(PRODUCER, id, JsonPatchParser.V2_1, "[" + eleven + "]"));
    Image renamed =
        d.governance.images().patch(PRODUCER, id, JsonPatchParser.V2_0,
            "[{\"replace\":\"/name\",\"value\":\"renamed\"}]");
    assertThat(renamed.name()).contains("renamed");
    assertThat(renamed.status()).isEqualTo(ImageStatus.ACTIVE);
  }
}
