package dev.imagegov;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import dev.imagegov.access.Caller;
import dev.imagegov.access.Policy;
import dev.imagegov.error.ErrorCode;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.events.GovernanceEvent;
import dev.imagegov.events.ImageUpdated;
import dev.imagegov.image.Images;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.Visibility;
import dev.imagegov.patch.ImagePatch;
import dev.imagegov.patch.JsonPatchParser;
import dev.imagegov.patch.PatchOperation;
import dev.imagegov.protection.PropertyProtections;
import dev.imagegov.protection.RuleFormat;
import dev.imagegov.query.ListRequest;
import dev.imagegov.store.memory.MemoryCatalog;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * How property protections shape updates (reference §7.4, the PATCH rows, and the imagegov
 * decisions on top of it), through both front doors: every scenario runs once as a v2.1
 * JSON-patch document ({@link Images#patch}) and once as typed operations ({@link
 * Images#update}), on fresh governances over fresh catalogs, and both must end the same way.
 * Runs with Glance's own sample files: {@code property-protections.conf} (roles) and {@code
 * property-protections-policies.conf} (policies).
 */
class PatchProtectionRulesTest {
  static final Caller ADMIN = Fixtures.ADMIN;
  /** A member of the owning project, with no other role. */
  static final Caller MEMBER = Caller.member("producer");
  /** A member of the owning project who also holds {@code spl_role}. */
  static final Caller SPL = Caller.of("producer", "member", "spl_role");

  static PropertyProtections file(String resource, RuleFormat format, Policy policy) {
    try {
      Path path = Path.of(PatchProtectionRulesTest.class.getResource(resource).toURI());
      return PropertyProtections.load(path, format, policy);
    } catch (URISyntaxException e) {
      throw new AssertionError(e);
    }
  }

  static PropertyProtections rolesSample() {
    return file("property-protections.conf", RuleFormat.ROLES, Policy.secureDefaults());
  }

  // ------------------------------------------------------------------ harness

  /** One property operation, written both ways. */
  record Op(String verb, String key, String value) {
    static Op add(String key, String value) {
      return new Op("add", key, value);
    }

    static Op replace(String key, String value) {
      return new Op("replace", key, value);
    }

    static Op remove(String key) {
      return new Op("remove", key, "");
    }

    String json() {
      String path = "/" + key.replace("~", "~0").replace("/", "~1");
      return verb.equals("remove")
          ? "{\"op\":\"remove\",\"path\":\"" + path + "\"}"
          : "{\"op\":\"" + verb + "\",\"path\":\"" + path + "\",\"value\":\"" + value + "\"}";
    }

    PatchOperation typed() {
      switch (verb) {
        case "add":
          return new PatchOperation.AddProperty(key, value);
        case "replace":
          return new PatchOperation.ReplaceProperty(key, value);
        default:
          return new PatchOperation.RemoveProperty(key);
      }
    }

    @Override
    public String toString() {
      return json();
    }
  }

  /** Every scenario's image has this id, so that the answers of two worlds compare equal. */
  static final String ID = "5e0f3d2a-7c1b-4a59-9d8e-2b6f0c4a1e37";

  /** A governance with protections and, on the same catalog, one without, to set images up. */
  static final class World {
    final MemoryCatalog catalog = new MemoryCatalog();
    final List<GovernanceEvent> events = new CopyOnWriteArrayList<>();
    final ImageGovernance open =
        ImageGovernance.builder().catalog(catalog).clock(new TickingClock()).build();
    final ImageGovernance guarded;

    World(PropertyProtections protections) {
      this(GovernanceConfig.builder().propertyProtections(protections).build());
    }

    World(GovernanceConfig config) {
      guarded =
          ImageGovernance.builder()
              .catalog(catalog)
              .config(config)
              .clock(new TickingClock())
              .listener(events::add)
              .build();
    }

    /** A private image owned by {@code producer} holding {@code properties}, unprotected. */
    ImageId image(Map<String, String> properties) {
      return image(Visibility.PRIVATE, properties);
    }

    ImageId image(Visibility visibility, Map<String, String> properties) {
      return open.images()
          .create(
              ADMIN,
              NewImage.builder()
                  .id(ID)
                  .name("golden")
                  .owner("producer")
                  .visibility(visibility)
                  .properties(properties)
                  .build())
          .id();
    }

    Image stored(ImageId id) {
      return catalog.find(id).orElseThrow();
    }
  }

  /** How one front door answered: the image returned, or the refusal; and what is stored. */
  record Outcome(
      Optional<Map<String, String>> returned,
      Optional<ErrorCode> code,
      String message,
      Map<String, String> stored,
      int events) {}

  /** Runs {@code ops} as {@code caller} against a fresh image with {@code properties}. */
  static Outcome run(
      Function<World, ImageId> setup,
      PropertyProtections protections,
      Caller caller,
      boolean document,
      List<Op> ops) {
    World w = new World(protections);
    ImageId id = setup.apply(w);
    Image before = w.stored(id);
    try {
      Image returned =
          document
              ? w.guarded.images()
                  .patch(
                      caller,
                      id,
                      JsonPatchParser.V2_1,
                      ops.stream().map(Op::json).collect(Collectors.joining(",", "[", "]")))
              : w.guarded.images()
                  .update(
                      caller,
                      id,
                      ImagePatch.of(ops.stream().map(Op::typed).collect(Collectors.toList())));
      return new Outcome(
          Optional.of(returned.properties()),
          Optional.empty(),
          "",
          w.stored(id).properties(),
          w.events.size());
    } catch (GovernanceException e) {
      assertThat(w.stored(id)).as("a refused patch changes nothing").isEqualTo(before);
      assertThat(w.events).as("a refused patch emits nothing").isEmpty();
      return new Outcome(
          Optional.empty(), Optional.of(e.code()), e.getMessage(), before.properties(), 0);
    }
  }

  /** Runs the scenario through both front doors and returns the (equal) outcome. */
  static Outcome both(
      Map<String, String> properties, PropertyProtections protections, Caller caller, Op... ops) {
    return both(w -> w.image(properties), protections, caller, List.of(ops));
  }

  static Outcome both(
      Function<World, ImageId> setup,
      PropertyProtections protections,
      Caller caller,
      List<Op> ops) {
    Outcome document = run(setup, protections, caller, true, ops);
    Outcome typed = run(setup, protections, caller, false, ops);
    assertThat(typed).as("typed operations answer as the document does: %s", ops)
        .isEqualTo(document);
    return document;
  }

  static Outcome roles(Map<String, String> properties, Caller caller, Op... ops) {
    return both(properties, rolesSample(), caller, ops);
  }

  static void refusedByProtections(Outcome o, String key) {
    assertThat(o.code()).contains(RuleCode.PROPERTY_PROTECTED);
    assertThat(o.message()).startsWith("Attribute '" + key + "' is reserved.");
    assertThat(RuleCode.PROPERTY_PROTECTED.httpStatus()).isEqualTo(403);
  }

  static void doesNotExist(Outcome o, String key) {
    assertThat(o.code()).contains(RuleCode.PROPERTY_CONFLICT);
    assertThat(o.message()).startsWith("Property " + key + " does not exist.");
    assertThat(RuleCode.PROPERTY_CONFLICT.httpStatus()).isEqualTo(409);
  }

  static void applied(Outcome o) {
    assertThat(o.code()).as(o.message()).isEmpty();
    assertThat(o.events()).isEqualTo(1);
  }

  static Map<String, String> props(String... keyValues) {
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      out.put(keyValues[i], keyValues[i + 1]);
    }
    return out;
  }

  // ------------------------------------------- §7.4: add of a new key needs create

  @Test
  void addOfANewProtectedKeyNeedsTheCreateRule() {
    // spl_create_prop: create = admin,spl_role
    refusedByProtections(roles(props(), MEMBER, Op.add("spl_create_prop", "v")), "spl_create_prop");
    Outcome spl = roles(props(), SPL, Op.add("spl_create_prop", "v"));
    applied(spl);
    assertThat(spl.stored()).containsEntry("spl_create_prop", "v");
    assertThat(spl.returned()).contains(Map.of("spl_create_prop", "v"));
  }

  @Test
  void addOfANewKeyUsesCreateNotUpdate() {
    // spl_update_only_prop: create = admin, update = admin,spl_role: a new key is a creation.
    refusedByProtections(roles(props(), SPL, Op.add("spl_update_only_prop", "v")), "spl_update_only_prop");
    // spl_read_prop: create = admin,spl_role, update = admin.
    applied(roles(props(), SPL, Op.add("spl_read_prop", "v")));
  }

  // ---------------------------- §7.4: add/replace of a readable existing key needs update

  @Test
  void addOrReplaceOfAReadableExistingKeyNeedsTheUpdateRule() {
    Map<String, String> image = props("spl_read_prop", "old", "spl_update_prop", "old");
    // spl_read_prop: spl_role may create and read it, but only admin may update it.
    refusedByProtections(roles(image, SPL, Op.add("spl_read_prop", "new")), "spl_read_prop");
    refusedByProtections(roles(image, SPL, Op.replace("spl_read_prop", "new")), "spl_read_prop");
    // spl_update_prop: update = admin,spl_role.
    Outcome add = roles(image, SPL, Op.add("spl_update_prop", "new"));
    applied(add);
    assertThat(add.stored()).containsEntry("spl_update_prop", "new");
    Outcome replace = roles(image, SPL, Op.replace("spl_update_prop", "new"));
    applied(replace);
    assertThat(replace.returned().orElseThrow()).containsEntry("spl_update_prop", "new");
  }

  @Test
  void lockedDownUpdateIsRefused() {
    // §14 vector 42, test_update_locked_down_protected_prop: x_none_update has update = !.
    Map<String, String> image = props("x_none_update", "old");
    refusedByProtections(roles(image, MEMBER, Op.replace("x_none_update", "new")), "x_none_update");
    refusedByProtections(roles(image, MEMBER, Op.add("x_none_update", "new")), "x_none_update");
  }

  // ----------------- §7.4: replace/remove of an unreadable existing key is 409 (invisible)

  @Test
  void replaceOrRemoveOfAnUnreadableKeyIs409EvenWithTheRightToUpdateOrDelete() {
    // spl_update_only_prop: read = admin only, update = admin,spl_role.
    Map<String, String> image = props("spl_update_only_prop", "old", "spl_read_only_prop", "o");
    doesNotExist(
        roles(image, SPL, Op.replace("spl_update_only_prop", "new")), "spl_update_only_prop");
    doesNotExist(roles(image, SPL, Op.remove("spl_update_only_prop")), "spl_update_only_prop");
    // §14 vector 41: a caller without the read role sees the key as absent.
    doesNotExist(
        roles(image, MEMBER, Op.replace("spl_read_only_prop", "new")), "spl_read_only_prop");
    doesNotExist(roles(image, MEMBER, Op.remove("spl_read_only_prop")), "spl_read_only_prop");
  }

  @Test
  void theConflictAnswerIsTheSameAsForAMissingKey() {
    Outcome hidden = roles(props("spl_read_only_prop", "o"), MEMBER,
        Op.replace("spl_read_only_prop", "new"));
    Outcome missing = roles(props(), MEMBER, Op.replace("spl_read_only_prop", "new"));
    assertThat(hidden.code()).isEqualTo(missing.code());
    assertThat(hidden.message()).isEqualTo(missing.message());
  }

  // ------------------------------------ §7.4: remove of a readable key needs delete

  @Test
  void removeOfAReadableKeyNeedsTheDeleteRule() {
    Map<String, String> image = props("spl_read_prop", "v", "spl_delete_prop", "v");
    // spl_read_prop: delete = admin.
    refusedByProtections(roles(image, SPL, Op.remove("spl_read_prop")), "spl_read_prop");
    // spl_delete_prop: delete = admin,spl_role.
    Outcome removed = roles(image, SPL, Op.remove("spl_delete_prop"));
    applied(removed);
    assertThat(removed.stored()).containsOnlyKeys("spl_read_prop");
    // §14 vector 42, test_delete_locked_down_protected_prop: delete = !.
    refusedByProtections(roles(props("x_none_delete", "v"), MEMBER, Op.remove("x_none_delete")),
        "x_none_delete");
  }

  // ------------------------------------------------------------- no admin bypass

  @Test
  void adminsGetNoBypassOnPatch() {
    refusedByProtections(roles(props(), ADMIN, Op.add("x_none_permitted_a", "v")), "x_none_permitted_a");
    refusedByProtections(roles(props("x_none_update", "v"), ADMIN, Op.replace("x_none_update", "w")),
        "x_none_update");
    refusedByProtections(roles(props("x_none_delete", "v"), ADMIN, Op.remove("x_none_delete")),
        "x_none_delete");
    doesNotExist(roles(props("x_none_read", "v"), ADMIN, Op.replace("x_none_read", "w")),
        "x_none_read");
    doesNotExist(roles(props("x_none_read", "v"), ADMIN, Op.remove("x_none_read")),
        "x_none_read");
  }

  @Test
  void adminIsAllowedWhereTheRuleListsAdmin() {
    Outcome o = roles(props("spl_read_only_prop", "v"), ADMIN,
        Op.replace("spl_read_only_prop", "w"), Op.add("anything", "x"));
    applied(o);
    assertThat(o.stored()).containsEntry("spl_read_only_prop", "w").containsEntry("anything", "x");
  }

  // ------------------------------------------------------------------ @ and !

  @Test
  void atAllowsEveryCallerAndBangNobody() {
    Outcome all = roles(props("x_all_permitted_1", "v"), MEMBER,
        Op.replace("x_all_permitted_1", "w"), Op.add("x_all_permitted_2", "x"),
        Op.remove("x_all_permitted_1"));
    applied(all);
    assertThat(all.stored()).containsExactly(Map.entry("x_all_permitted_2", "x"));
    for (Caller caller : List.of(MEMBER, SPL, ADMIN)) {
      // §14 vector 42, test_create_locked_down_protected_prop.
      refusedByProtections(roles(props(), caller, Op.add("x_none_permitted_b", "v")), "x_none_permitted_b");
    }
  }

  @Test
  void theFirstMatchingSectionDecides() {
    // §14 vector 39: [x_foo_matcher] (admin only) comes before [x_foo_*] (@).
    refusedByProtections(roles(props(), MEMBER, Op.add("x_foo_matcher", "v")), "x_foo_matcher");
    applied(roles(props(), MEMBER, Op.add("x_foo_bar", "v")));
    // No section but [.*] (admin only) matches: a member may not add it.
    refusedByProtections(roles(props(), MEMBER, Op.add("hw_disk_bus", "scsi")), "hw_disk_bus");
  }

  @Test
  void roleNamesAreComparedCaseInsensitively() {
    // §14 vector 43: the rule lists Member; the caller holds member.
    Outcome o = roles(props(), MEMBER, Op.add("x_case_insensitive", "v"));
    applied(o);
    assertThat(o.returned()).contains(Map.of("x_case_insensitive", "v"));
  }

  @Test
  void policiesFormatRulesApplyToPatches() {
    Policy policy =
        Policy.secureDefaults().withRule("glance_creator", "role:admin or role:spl_role");
    PropertyProtections protections =
        file("property-protections-policies.conf", RuleFormat.POLICIES, policy);
    // spl_creator_policy: create/read = glance_creator, update/delete = context_is_admin.
    refusedByProtections(both(props(), protections, MEMBER, Op.add("spl_creator_policy", "v")),
        "spl_creator_policy");
    applied(both(props(), protections, SPL, Op.add("spl_creator_policy", "v")));
    Map<String, String> image = props("spl_creator_policy", "v");
    refusedByProtections(both(image, protections, SPL, Op.replace("spl_creator_policy", "w")),
        "spl_creator_policy");
    doesNotExist(both(image, protections, MEMBER, Op.remove("spl_creator_policy")),
        "spl_creator_policy");
    applied(both(image, protections, ADMIN, Op.remove("spl_creator_policy")));
  }

  // --------------------------------- imagegov: unreadable properties are preserved on save

  @Test
  void propertiesTheCallerMayNotReadArePreservedWhenItSavesTheImage() {
    // Glance soft-deletes them (purge_props); imagegov keeps them.
    Map<String, String> image =
        props("spl_read_only_prop", "r", "x_none_read", "n", "x_owner_kernel", "k");
    World w = new World(rolesSample());
    ImageId id = w.image(image);
    Image renamed =
        w.guarded.images()
            .patch(MEMBER, id, JsonPatchParser.V2_1,
                "[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"renamed\"}]");
    assertThat(renamed.name()).contains("renamed");
    assertThat(renamed.properties()).containsExactly(Map.entry("x_owner_kernel", "k"));
    assertThat(w.guarded.images().get(ADMIN, id).properties())
        .containsExactly(Map.entry("spl_read_only_prop", "r"), Map.entry("x_owner_kernel", "k"));
    assertThat(w.stored(id).properties()).isEqualTo(image);

    w.guarded.images().update(MEMBER, id, ImagePatch.builder().setMinDisk(2).build());
    w.guarded.images().addTag(MEMBER, id, "t");
    w.guarded.images().removeTag(MEMBER, id, "t");
    w.guarded.images()
        .update(
            MEMBER,
            id,
            ImagePatch.builder()
                .replaceProperty("x_owner_kernel", "k2")
                .addProperty("x_owner_ramdisk", "r2")
                .build());
    assertThat(w.stored(id).properties())
        .containsEntry("spl_read_only_prop", "r")
        .containsEntry("x_none_read", "n")
        .containsEntry("x_owner_kernel", "k2")
        .containsEntry("x_owner_ramdisk", "r2");
    assertThat(w.guarded.images().get(ADMIN, id).properties())
        .containsEntry("spl_read_only_prop", "r");
    for (GovernanceEvent e : w.events) {
      assertThat(((ImageUpdated) e).after().properties())
          .containsEntry("spl_read_only_prop", "r")
          .containsEntry("x_none_read", "n");
    }
    assertThat(w.events).hasSize(5);
  }

  @Test
  void typedAndDocumentSavesBothPreserveHiddenProperties() {
    Map<String, String> image = props("spl_read_only_prop", "r", "x_owner_a", "a");
    Outcome o = both(image, rolesSample(), MEMBER, Op.remove("x_owner_a"));
    applied(o);
    assertThat(o.returned()).contains(Map.of());
    assertThat(o.stored()).isEqualTo(Map.of("spl_read_only_prop", "r"));
  }

  // ---------------------------------- imagegov: adding a create-only property is not a 500

  @Test
  void addingACreateOnlyPropertySucceedsAndHidesIt() {
    // x_none_read: create = admin,member, read = !. Glance answers 500 here.
    Outcome o = roles(props("x_owner_a", "a"), MEMBER, Op.add("x_none_read", "v"));
    applied(o);
    assertThat(o.returned()).contains(Map.of("x_owner_a", "a"));
    assertThat(o.stored()).containsEntry("x_none_read", "v");
  }

  @Test
  void aCreateOnlyPropertyStaysInvisibleToItsCreator() {
    World w = new World(rolesSample());
    ImageId id = w.image(props());
    w.guarded.images()
        .update(MEMBER, id, ImagePatch.builder().addProperty("x_none_read", "v").build());
    assertThat(w.guarded.images().get(MEMBER, id).properties()).isEmpty();
    assertThat(w.guarded.images().list(MEMBER, ListRequest.parse("x_none_read=v")).images())
        .isEmpty();
    Expect.fails(RuleCode.PROPERTY_CONFLICT,
        () -> w.guarded.images()
            .update(MEMBER, id, ImagePatch.builder().replaceProperty("x_none_read", "w").build()));
    // Adding it again would overwrite a value its update rule (!) protects.
    Expect.fails(RuleCode.PROPERTY_PROTECTED,
        () -> w.guarded.images()
            .update(MEMBER, id, ImagePatch.builder().addProperty("x_none_read", "w").build()));
    Expect.fails(RuleCode.PROPERTY_CONFLICT,
        () -> w.guarded.images()
            .update(MEMBER, id, ImagePatch.builder().removeProperty("x_none_read").build()));
    assertThat(w.stored(id).properties()).containsExactly(Map.entry("x_none_read", "v"));
  }

  @Test
  void addingOverAPropertyHiddenFromTheCallerNeedsTheUpdateRuleToo() {
    // imagegov decision: Glance treats this add as a creation and overwrites the stored value
    // on the create rule alone, so a create-only caller could rewrite a value it may not update.
    Map<String, String> image = props("x_none_read", "admin's");
    Outcome o = roles(image, MEMBER, Op.add("x_none_read", "mine"));
    refusedByProtections(o, "x_none_read");
    assertThat(o.stored()).containsEntry("x_none_read", "admin's");
    // With create and update but no read, the overwrite is allowed (and stays hidden).
    PropertyProtections blind =
        PropertyProtections.parse(
            "[^blind_]\ncreate = member\nread = admin\nupdate = member\ndelete = admin\n",
            RuleFormat.ROLES, Policy.secureDefaults(), "blind.conf");
    Outcome allowed = both(props("blind_k", "old"), blind, MEMBER, Op.add("blind_k", "new"));
    applied(allowed);
    assertThat(allowed.returned()).contains(Map.of());
    assertThat(allowed.stored()).containsEntry("blind_k", "new");
  }

  // ------------------------------------------ protections apply to every update operation

  @Test
  void aRefusedPropertyOperationRollsBackTheOthersInTheSamePatch() {
    Outcome o = roles(props("x_owner_a", "a"), MEMBER,
        Op.replace("x_owner_a", "b"), Op.add("x_owner_c", "c"), Op.add("secret", "s"));
    refusedByProtections(o, "secret");
    assertThat(o.message()).contains("operation #2");
    assertThat(o.stored()).isEqualTo(Map.of("x_owner_a", "a"));
  }

  @Test
  void everyPropertyOperationConsultsTheRules() {
    // Each of add-new, add-existing, replace and remove is refused by its own rule.
    Map<String, String> image = props("x_none_update", "u", "x_none_delete", "d");
    refusedByProtections(roles(image, MEMBER, Op.add("x_none_permitted", "v")), "x_none_permitted");
    refusedByProtections(roles(image, MEMBER, Op.add("x_none_update", "v")), "x_none_update");
    refusedByProtections(roles(image, MEMBER, Op.replace("x_none_update", "v")), "x_none_update");
    refusedByProtections(roles(image, MEMBER, Op.remove("x_none_delete")), "x_none_delete");
    // ... while the operations those same rules allow pass.
    applied(roles(image, MEMBER, Op.remove("x_none_update"), Op.replace("x_none_delete", "e")));
  }

  @Test
  void theV20AddDialectFollowsTheSameRules() {
    World w = new World(rolesSample());
    ImageId id = w.image(props("spl_read_only_prop", "r", "x_owner_a", "a"));
    Expect.fails(RuleCode.PROPERTY_CONFLICT,
        () -> w.guarded.images().patch(MEMBER, id, JsonPatchParser.V2_0,
            "[{\"add\":\"/x_owner_a\",\"value\":\"b\"}]"));
    // Unreadable, hence absent for the caller: a creation, refused by the create rule.
    Expect.fails(RuleCode.PROPERTY_PROTECTED,
        () -> w.guarded.images().patch(MEMBER, id, JsonPatchParser.V2_0,
            "[{\"add\":\"/spl_read_only_prop\",\"value\":\"b\"}]"));
    Expect.fails(RuleCode.PROPERTY_PROTECTED,
        () -> w.guarded.images().update(MEMBER, id, ImagePatch.of(
            new PatchOperation.AddProperty("secret", "b", true))));
    assertThat(w.stored(id).properties())
        .isEqualTo(props("spl_read_only_prop", "r", "x_owner_a", "a"));
  }

  // ---------------------------------------------------- base attributes never protected

  @Test
  void baseAttributesAreNeverProtectedOnPatch() {
    // The sample's final [.*] section lets only admins touch any other name, yet a member may
    // change every base attribute of its image.
    World w = new World(rolesSample());
    ImageId id = w.image(props("spl_read_only_prop", "r"));
    String doc =
        "[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"n\"},"
            + "{\"op\":\"replace\",\"path\":\"/min_disk\",\"value\":3},"
            + "{\"op\":\"add\",\"path\":\"/min_ram\",\"value\":512},"
            + "{\"op\":\"replace\",\"path\":\"/tags\",\"value\":[\"a\",\"b\"]},"
            + "{\"op\":\"replace\",\"path\":\"/os_hidden\",\"value\":true},"
            + "{\"op\":\"replace\",\"path\":\"/protected\",\"value\":true},"
            + "{\"op\":\"replace\",\"path\":\"/visibility\",\"value\":\"shared\"},"
            + "{\"op\":\"replace\",\"path\":\"/disk_format\",\"value\":\"qcow2\"},"
            + "{\"op\":\"replace\",\"path\":\"/container_format\",\"value\":\"bare\"}]";
    Image after = w.guarded.images().patch(MEMBER, id, JsonPatchParser.V2_1, doc);
    assertThat(after.name()).contains("n");
    assertThat(after.minDisk()).isEqualTo(3);
    assertThat(after.minRam()).isEqualTo(512);
    assertThat(after.tags()).containsExactly("a", "b");
    assertThat(after.osHidden()).isTrue();
    assertThat(after.isProtected()).isTrue();
    assertThat(after.visibility()).isEqualTo(Visibility.SHARED);
    assertThat(after.diskFormat()).contains("qcow2");
    assertThat(after.properties()).isEmpty();
    assertThat(w.stored(id).properties()).containsExactly(Map.entry("spl_read_only_prop", "r"));
  }

  // -------------------------------------------------------------------- property

  /**
   * A file restricting reads, updates and deletes to roles; the prediction below restates it as a
   * table, independently of the file and its regular expressions.
   */
  static final String RULES =
      String.join(
          "\n",
          "[^pub_]", "create = @", "read = @", "update = @", "delete = @",
          "[^ro_]", "create = ops", "read = reader", "update = ops", "delete = ops",
          "[^sec_]", "create = auditor, ops", "read = auditor", "update = auditor",
          "delete = ops",
          "[^wo_]", "create = member", "read = !", "update = !", "delete = !",
          "[^frozen_]", "create = !", "read = admin", "update = !", "delete = !",
          "[^blind_]", "create = member", "read = ops", "update = member", "delete = ops",
          "[.*]", "create = admin", "read = admin", "update = admin", "delete = admin");

  /** {@link #RULES} as a table: prefix → operation → roles allowed; "@" anyone. */
  static final Map<String, Map<String, Set<String>>> TABLE =
      ImmutableMap.of(
          "pub_", ops(Set.of("@"), Set.of("@"), Set.of("@"), Set.of("@")),
          "ro_", ops(Set.of("ops"), Set.of("reader"), Set.of("ops"), Set.of("ops")),
          "sec_",
              ops(Set.of("auditor", "ops"), Set.of("auditor"), Set.of("auditor"), Set.of("ops")),
          "wo_", ops(Set.of("member"), Set.of(), Set.of(), Set.of()),
          "frozen_", ops(Set.of(), Set.of("admin"), Set.of(), Set.of()),
          "blind_", ops(Set.of("member"), Set.of("ops"), Set.of("member"), Set.of("ops")),
          "", ops(Set.of("admin"), Set.of("admin"), Set.of("admin"), Set.of("admin")));

  static Map<String, Set<String>> ops(
      Set<String> create, Set<String> read, Set<String> update, Set<String> delete) {
    return ImmutableMap.of("create", create, "read", read, "update", update, "delete", delete);
  }

  static final List<String> KEYS =
      List.of("pub_a", "ro_a", "sec_a", "wo_a", "frozen_a", "blind_a", "other");
  static final List<String> ROLES = List.of("admin", "member", "reader", "ops", "auditor");
  static final List<String> PROJECTS = List.of("producer", "elsewhere");

  /** Keystone's implied roles: admin implies member, member implies reader. */
  static Set<String> effective(Caller caller) {
    Set<String> roles = new java.util.HashSet<>(caller.roles());
    if (roles.contains("admin")) {
      roles.add("member");
    }
    if (roles.contains("member")) {
      roles.add("reader");
    }
    return roles;
  }

  static boolean predictAllows(Caller caller, String key, String operation) {
    String prefix =
        TABLE.keySet().stream().filter(p -> !p.isEmpty() && key.startsWith(p)).findFirst()
            .orElse("");
    Set<String> allowed = TABLE.get(prefix).get(operation);
    if (allowed.contains("@")) {
      return true;
    }
    return effective(caller).stream().anyMatch(allowed::contains);
  }

  static Map<String, String> predictReadable(Caller caller, Map<String, String> properties) {
    Map<String, String> out = new LinkedHashMap<>();
    properties.forEach((k, v) -> {
      if (predictAllows(caller, k, "read")) {
        out.put(k, v);
      }
    });
    return out;
  }

  /** A generated case: stored properties, the image's visibility, a caller and a patch. */
  record Case(Map<String, String> stored, Visibility visibility, Caller caller, List<Op> ops) {}

  /** The expected outcome: an error code and the key it names, or the properties after. */
  record Prediction(Optional<ErrorCode> code, Optional<String> key, Map<String, String> after) {}

  static Prediction predict(Case c) {
    Set<String> roles = effective(c.caller());
    boolean owner = c.caller().project().map(p -> p.value().equals("producer")).orElse(false);
    boolean admin = roles.contains("admin");
    boolean open = c.visibility() == Visibility.PUBLIC;
    // By id (Glance's visibility predicate, roles aside), then get_image, then modify_image.
    boolean visible = admin || open || owner;
    boolean gets = admin || (roles.contains("reader") && (owner || open));
    boolean modifies = admin || (owner && roles.contains("member"));
    if (!visible || (!modifies && !gets)) {
      return new Prediction(Optional.of(StoreErrorCode.IMAGE_NOT_FOUND), Optional.empty(), c.stored());
    }
    if (!modifies) {
      return new Prediction(Optional.of(RuleCode.POLICY_DENIED), Optional.empty(), c.stored());
    }
    Map<String, String> draft = new LinkedHashMap<>(c.stored());
    for (Op op : c.ops()) {
      String k = op.key();
      boolean readable = draft.containsKey(k) && predictAllows(c.caller(), k, "read");
      boolean allowed;
      if (op.verb().equals("add")) {
        // Over a stored key the caller cannot read: a creation for it, an overwrite for the
        // image, so both rules must allow it.
        boolean hiddenStored = c.stored().containsKey(k) && !predictAllows(c.caller(), k, "read");
        allowed =
            readable
                ? predictAllows(c.caller(), k, "update")
                : predictAllows(c.caller(), k, "create")
                    && (!hiddenStored || predictAllows(c.caller(), k, "update"));
      } else if (!readable) {
        return new Prediction(Optional.of(RuleCode.PROPERTY_CONFLICT), Optional.of(k), c.stored());
      } else {
        allowed = predictAllows(c.caller(), k, op.verb().equals("replace") ? "update" : "delete");
      }
      if (!allowed) {
        return new Prediction(
            Optional.of(RuleCode.PROPERTY_PROTECTED), Optional.of(k), c.stored());
      }
      if (op.verb().equals("remove")) {
        draft.remove(k);
      } else {
        draft.put(k, op.value());
      }
    }
    return new Prediction(Optional.empty(), Optional.empty(), draft);
  }

  static Gen<Map<String, String>> storedProperties() {
    return lists()
        .of(Generate.pick(KEYS).zip(Generate.pick(List.of("1", "2")), Map::entry))
        .ofSizeBetween(0, 6)
        .map(entries -> {
          Map<String, String> m = new LinkedHashMap<>();
          entries.forEach(e -> m.putIfAbsent(e.getKey(), e.getValue()));
          return m;
        });
  }

  static Gen<Caller> callers() {
    Gen<List<String>> roleMix =
        lists().of(Generate.pick(ROLES)).ofSizeBetween(0, 3)
            .map(l -> List.copyOf(new java.util.LinkedHashSet<>(l)));
    return Generate.pick(List.of("producer", "producer", "producer", "elsewhere"))
        .zip(roleMix, (p, r) -> Caller.of(p, r.toArray(new String[0])));
  }

  static Gen<Op> generatedOps() {
    Gen<String> keys = Generate.pick(KEYS);
    Gen<String> values = Generate.pick(List.of("1", "2", "3"));
    return Generate.pick(List.of("add", "replace", "remove"))
        .zip(keys, values, (verb, key, value) ->
            new Op(verb, key, verb.equals("remove") ? "" : value));
  }

  static Gen<Case> cases() {
    return storedProperties()
        .zip(
            Generate.pick(List.of(Visibility.PRIVATE, Visibility.PUBLIC)),
            callers(),
            lists().of(generatedOps()).ofSizeBetween(1, 4),
            Case::new);
  }

  static PropertyProtections generatedRules() {
    return PropertyProtections.parse(
        RULES, RuleFormat.ROLES, Policy.secureDefaults(), "generated-rules.conf");
  }

  @Test
  void patchOutcomesFollowTheTableAndNoCallerReadsAHiddenProperty() {
    PropertyProtections protections = generatedRules();
    qt().withExamples(200)
        .forAll(cases(), lists().of(callers()).ofSizeBetween(1, 3))
        .checkAssert((c, observers) -> {
          Prediction expected = predict(c);
          Outcome o = both(w -> w.image(c.visibility(), c.stored()), protections, c.caller(),
              c.ops());
          assertThat(o.code()).as("%s", c).isEqualTo(expected.code());
          expected.key().ifPresent(k -> assertThat(o.message()).as("%s", c).contains(k));
          assertThat(o.stored()).as("%s", c).isEqualTo(expected.after());
          o.returned().ifPresent(r ->
              assertThat(r).as("the image patch returns, %s", c)
                  .isEqualTo(predictReadable(c.caller(), expected.after())));
          // (a) what other callers read afterwards
          World w = new World(protections);
          ImageId id = w.image(c.visibility(), expected.after());
          List<Caller> readers = new ArrayList<>(observers);
          readers.add(c.caller());
          for (Caller reader : readers) {
            neverReadsHidden(w, id, reader, expected.after());
          }
        });
  }

  private static void neverReadsHidden(
      World w, ImageId id, Caller reader, Map<String, String> stored) {
    Map<String, String> readable = predictReadable(reader, stored);
    Optional<Image> got;
    try {
      got = Optional.of(w.guarded.images().get(reader, id));
    } catch (GovernanceException e) {
      assertThat(e.code()).isIn(StoreErrorCode.IMAGE_NOT_FOUND, RuleCode.POLICY_DENIED);
      got = Optional.empty();
    }
    got.ifPresent(i -> assertThat(i.properties()).as("get by %s", reader).isEqualTo(readable));
    List<Image> listed;
    try {
      listed = w.guarded.images().list(reader, ListRequest.parse("limit=1000")).images();
    } catch (GovernanceException e) {
      assertThat(e.code()).isEqualTo(RuleCode.POLICY_DENIED);
      return;
    }
    for (Image i : listed) {
      assertThat(i.properties()).as("list by %s", reader).isEqualTo(readable);
    }
    boolean listedIt = listed.stream().anyMatch(i -> i.id().equals(id));
    for (String key : KEYS) {
      for (String value : List.of("1", "2", "3")) {
        List<Image> filtered =
            w.guarded.images()
                .list(reader, ListRequest.parse(key + "=" + value + "&limit=1000"))
                .images();
        boolean expected = listedIt && value.equals(readable.get(key));
        assertThat(!filtered.isEmpty()).as("%s filters %s=%s", reader, key, value)
            .isEqualTo(expected);
      }
    }
  }

  @Test
  void theTableMatchesTheFileForEveryKeyRoleAndOperation() {
    // Guards the prediction itself: the table restates the file.
    PropertyProtections protections = generatedRules();
    for (String key : KEYS) {
      for (String role : ROLES) {
        Caller caller = Caller.of("producer", role);
        for (dev.imagegov.protection.PropertyOperation op :
            dev.imagegov.protection.PropertyOperation.values()) {
          String name = op.name().toLowerCase(java.util.Locale.ROOT);
          assertThat(protections.allows(caller, key, op))
              .as("%s %s %s", role, name, key)
              .isEqualTo(predictAllows(caller, key, name));
        }
      }
    }
    assertThat(ImmutableSet.copyOf(TABLE.keySet())).hasSize(7);
  }
}
