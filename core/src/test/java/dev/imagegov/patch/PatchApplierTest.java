package dev.imagegov.patch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.collect.ImmutableMap;
import dev.imagegov.error.ErrorCode;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ProjectId;
import dev.imagegov.protection.PropertyOperation;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The applier alone, with property protections (§7.4) given by a table: which operations the
 * caller may do on which key. The applier asks no policy; the facade tests cover policy.
 */
class PatchApplierTest {
  private static final Image IMAGE =
      Image.builder()
          .id(ImageId.of("8a9b7c6d-1e2f-4a3b-9c8d-7e6f5a4b3c2d"))
          .owner(ProjectId.of("p"))
          .properties(ImmutableMap.of("open", "1", "hidden", "secret", "locked", "x"))
          .createdAt(Instant.EPOCH)
          .updatedAt(Instant.EPOCH)
          .build();

  /** The protections of a table: which operations the caller may do (absent key: all). */
  private static PatchApplier.PropertyAccess table(Map<String, Set<PropertyOperation>> allowed) {
    return (key, operation) ->
        allowed.getOrDefault(key, EnumSet.allOf(PropertyOperation.class)).contains(operation);
  }

  private static final PatchApplier.PropertyAccess ACCESS =
      table(
          Map.of(
              "hidden", EnumSet.noneOf(PropertyOperation.class),
              "locked", EnumSet.of(PropertyOperation.READ),
              "createonly", EnumSet.of(PropertyOperation.CREATE),
              "nocreate", EnumSet.of(PropertyOperation.READ, PropertyOperation.UPDATE)));

  private final PatchApplier applier = new PatchApplier(JsonPatchParserTest.SCHEMA, 128, 128);

  /** The operations in order on {@code image} (no policy: that is the use case's), as the use case runs them. */
  private Optional<Image> run(
      PatchApplier.PropertyAccess access, Image image, ImagePatch patch) {
    PatchApplier.Draft draft = applier.start(image, access);
    for (int i = 0; i < patch.operations().size(); i++) {
      try {
        draft.apply(patch.operations().get(i));
      } catch (GovernanceException e) {
        throw PatchApplier.naming(e, i);
      }
    }
    return draft.finish();
  }

  private Image apply(ImagePatch patch) {
    return run(ACCESS, IMAGE, patch).orElse(IMAGE);
  }

  private void fails(ErrorCode code, String message, ImagePatch patch) {
    assertThatThrownBy(() -> run(ACCESS, IMAGE, patch))
        .isInstanceOf(GovernanceException.class)
        .satisfies(e -> assertThat(((GovernanceException) e).code()).isEqualTo(code))
        .hasMessageContaining(message);
  }

  @Test
  void addingANewKeyNeedsCreate() {
    fails(RuleCode.PROPERTY_PROTECTED,
        "Attribute 'nocreate' is reserved. Property protections do not let the caller create it.",
        ImagePatch.builder().addProperty("nocreate", "v").build());
    assertThat(apply(ImagePatch.builder().addProperty("fresh", "v").build()).properties())
        .containsEntry("fresh", "v");
  }

  @Test
  void addOrReplaceOfAReadableKeyNeedsUpdate() {
    fails(RuleCode.PROPERTY_PROTECTED, "do not let the caller update it.",
        ImagePatch.builder().replaceProperty("locked", "y").build());
    fails(RuleCode.PROPERTY_PROTECTED, "Attribute 'locked' is reserved.",
        ImagePatch.builder().addProperty("locked", "y").build());
  }

  @Test
  void replaceOrRemoveOfAnUnreadableKeyIsAConflict() {
    fails(RuleCode.PROPERTY_CONFLICT, "Property hidden does not exist.",
        ImagePatch.builder().replaceProperty("hidden", "y").build());
    fails(RuleCode.PROPERTY_CONFLICT, "Property hidden does not exist.",
        ImagePatch.builder().removeProperty("hidden").build());
  }

  @Test
  void removeOfAReadableKeyNeedsDelete() {
    fails(RuleCode.PROPERTY_PROTECTED,
        "Attribute 'locked' is reserved. Property protections do not let the caller delete it.",
        ImagePatch.builder().removeProperty("locked").build());
    assertThat(apply(ImagePatch.builder().removeProperty("open").build()).properties())
        .doesNotContainKey("open");
  }

  @Test
  void unreadablePropertiesArePreservedWhenTheCallerSaves() {
    Image after = apply(ImagePatch.builder().setName("renamed").removeProperty("open").build());
    assertThat(after.properties()).containsEntry("hidden", "secret").containsEntry("locked", "x");
  }

  @Test
  void addingOverAnUnreadableKeyNeedsUpdateToo() {
    Image withCreateOnly =
        IMAGE.toBuilder()
            .properties(ImmutableMap.of("createonly", "first", "blind", "first"))
            .build();
    PatchApplier.PropertyAccess blind =
        table(
            Map.of(
                "createonly", EnumSet.of(PropertyOperation.CREATE),
                "blind", EnumSet.of(PropertyOperation.CREATE, PropertyOperation.UPDATE)));
    assertThatThrownBy(
            () ->
                run(
                    blind,
                    withCreateOnly,
                    ImagePatch.builder().addProperty("createonly", "second").build()))
        .isInstanceOfSatisfying(
            GovernanceException.class,
            e -> assertThat(e.code()).isEqualTo(RuleCode.PROPERTY_PROTECTED))
        .hasMessageContaining("Attribute 'createonly' is reserved.");
    assertThat(
            run(blind, withCreateOnly, ImagePatch.builder().addProperty("blind", "2").build())
                .orElseThrow()
                .properties())
        .containsEntry("blind", "2");
  }

  @Test
  void addingACreateOnlyPropertyStoresIt() {
    Image after = apply(ImagePatch.builder().addProperty("createonly", "v").build());
    assertThat(after.properties()).containsEntry("createonly", "v");
  }

  @Test
  void protectionsDoNotApplyToBaseAttributes() {
    PatchApplier.PropertyAccess denyAll =
        table(Map.of("name", EnumSet.noneOf(PropertyOperation.class)));
    assertThat(run(denyAll, IMAGE, ImagePatch.builder().setName("n").build()))
        .map(Image::name)
        .contains(Optional.of("n"));
  }

  @Test
  void noChangeGivesNothingToSave() {
    assertThat(run(ACCESS, IMAGE, ImagePatch.builder().addProperty("open", "1").build()))
        .isEmpty();
    assertThat(run(ACCESS, IMAGE, ImagePatch.empty())).isEmpty();
  }

  @Test
  void errorsNameTheOperation() {
    fails(RuleCode.PROPERTY_CONFLICT, "(operation #1)",
        ImagePatch.builder().setName("a").replaceProperty("absent", "v").build());
  }
}
