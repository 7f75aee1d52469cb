package dev.imagegov.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import dev.imagegov.access.Caller;
import dev.imagegov.access.Rules;
import dev.imagegov.error.ErrorCode;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import dev.imagegov.patch.PatchOperation.AddProperty;
import dev.imagegov.patch.PatchOperation.AddTag;
import dev.imagegov.patch.PatchOperation.LocationChange;
import dev.imagegov.patch.PatchOperation.RemoveProperty;
import dev.imagegov.patch.PatchOperation.RemoveTag;
import dev.imagegov.patch.PatchOperation.ReplaceProperty;
import dev.imagegov.patch.PatchOperation.SetContainerFormat;
import dev.imagegov.patch.PatchOperation.SetDiskFormat;
import dev.imagegov.patch.PatchOperation.SetMinDisk;
import dev.imagegov.patch.PatchOperation.SetMinRam;
import dev.imagegov.patch.PatchOperation.SetName;
import dev.imagegov.patch.PatchOperation.SetOsHidden;
import dev.imagegov.patch.PatchOperation.SetOwner;
import dev.imagegov.patch.PatchOperation.SetProtected;
import dev.imagegov.patch.PatchOperation.SetTags;
import dev.imagegov.patch.PatchOperation.SetVisibility;
import dev.imagegov.patch.PatchOperation.Verb;
import dev.imagegov.protection.PropertyOperation;
import dev.imagegov.schema.ImageSchema;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Applies an {@link ImagePatch} to an image in memory with Glance's rules and computes the image to
 * persist, or nothing when the patch changes nothing. It never persists and never emits: the caller
 * (the facade) commits the result once and publishes the events, so a refused patch leaves no
 * trace.
 *
 * <p>Each operation first passes policy ({@code publicize_image} or {@code communitize_image} for
 * a visibility, then {@code modify_image}, Forbidden answered as NotFound for a caller who cannot
 * see the image), then its own rules: owner changes by admins only, formats only while queued or
 * importing, {@code min_*} ranges, tag and value rules, {@code add}/{@code replace}/{@code remove}
 * semantics for base attributes and custom properties, and property protections (a property the
 * caller may not read does not exist for it, and is preserved untouched; adding it anyway needs
 * both the create and the update rule, since it overwrites a stored value). After the last
 * operation: the {@code min_*} upper bound, the property quota (only when a key was added that the
 * image did not have), the schema of every changed attribute, and the hard mutate check. A refusal
 * names the operation by index.
 *
 * <p>Immutable and thread-safe.
 */
public final class PatchApplier {
  /** Base attributes a JSON-patch path can name (Glance's {@code hasattr(image, root)}). */
  static final ImmutableSet<String> BASE =
      ImmutableSet.of(
          "name", "visibility", "protected", "os_hidden", "min_disk", "min_ram", "disk_format",
          "container_format", "owner", "tags", "locations");

  private static final int MAX_TEXT = 255;
  private static final long MAX_INT = Integer.MAX_VALUE;
  private static final Set<ImageStatus> FORMAT_STATUSES =
      ImmutableSet.of(ImageStatus.QUEUED, ImageStatus.IMPORTING);

  private final UpdateGuard guard;
  private final ImageSchema schema;
  private final int propertyQuota;
  private final int tagQuota;

  /**
   * An applier asking {@code guard} for policy and protections, validating against {@code schema},
   * with Glance's {@code image_property_quota} and {@code image_tag_quota} (negative: unlimited).
   */
  public PatchApplier(UpdateGuard guard, ImageSchema schema, int propertyQuota, int tagQuota) {
    this.guard = guard;
    this.schema = schema;
    this.propertyQuota = propertyQuota;
    this.tagQuota = tagQuota;
  }

  /**
   * The image after every operation of {@code patch}, or empty when the result equals {@code
   * current} in every mutable attribute. {@code updatedAt} and {@code version} are left as they
   * were: the caller stamps and commits.
   *
   * @throws GovernanceException the first refusal, its message naming the operation by index
   *     (404 answers are left as they are so that they say nothing more than "not found")
   */
  public Optional<Image> apply(Caller caller, Image current, ImagePatch patch) {
    return run(caller, current, patch.operations(), true);
  }

  /** Like {@link #apply}, for one operation, without naming it in messages. */
  public Optional<Image> applyOne(Caller caller, Image current, PatchOperation operation) {
    return run(caller, current, List.of(operation), false);
  }

  private Optional<Image> run(
      Caller caller, Image current, List<PatchOperation> operations, boolean nameOperations) {
    if (operations.isEmpty()) {
      return Optional.empty();
    }
    Draft draft = new Draft(current);
    for (int i = 0; i < operations.size(); i++) {
      try {
        step(caller, current, draft, operations.get(i));
      } catch (GovernanceException e) {
        if (!nameOperations || e.code() == ErrorCode.IMAGE_NOT_FOUND) {
          throw e;
        }
        throw GovernanceException.of(e.code(), e.getMessage() + JsonPatchParser.at(i), e);
      }
    }
    checkRange("min_disk", draft.minDisk);
    checkRange("min_ram", draft.minRam);
    checkPropertyQuota(current, draft);
    Image result = draft.build(current);
    validateChanged(current, result);
    guard.checkMutable(caller, current);
    return sameMutableState(current, result) ? Optional.empty() : Optional.of(result);
  }

  private void step(Caller caller, Image current, Draft draft, PatchOperation operation) {
    if (operation instanceof LocationChange) {
      locations(caller, current, (LocationChange) operation);
      return;
    }
    if (operation instanceof SetOwner) {
      if (!guard.isAdmin(caller)) {
        throw GovernanceException.of(
            ErrorCode.POLICY_DENIED, "Owner can't be updated by non admin.");
      }
    }
    if (operation instanceof SetVisibility) {
      guard.enforceVisibility(caller, current, ((SetVisibility) operation).visibility());
    }
    guard.enforce(
        Rules.MODIFY_IMAGE,
        caller,
        current,
        "You are not authorized to complete " + Rules.MODIFY_IMAGE + " action.");

    if (operation instanceof SetName) {
      Optional<String> name = ((SetName) operation).name();
      name.ifPresent(n -> text("Name", n));
      draft.name = name;
    } else if (operation instanceof SetVisibility) {
      draft.visibility = ((SetVisibility) operation).visibility();
    } else if (operation instanceof SetProtected) {
      draft.isProtected = ((SetProtected) operation).value();
    } else if (operation instanceof SetOsHidden) {
      draft.osHidden = ((SetOsHidden) operation).value();
    } else if (operation instanceof SetMinDisk) {
      draft.minDisk = nonNegative("min_disk", ((SetMinDisk) operation).value());
    } else if (operation instanceof SetMinRam) {
      draft.minRam = nonNegative("min_ram", ((SetMinRam) operation).value());
    } else if (operation instanceof SetDiskFormat) {
      draft.diskFormat =
          format(
              current, "disk_format", ((SetDiskFormat) operation).format(), schema.diskFormats());
    } else if (operation instanceof SetContainerFormat) {
      draft.containerFormat =
          format(
              current,
              "container_format",
              ((SetContainerFormat) operation).format(),
              schema.containerFormats());
    } else if (operation instanceof SetOwner) {
      Optional<String> owner = ((SetOwner) operation).owner().filter(o -> !o.isEmpty());
      owner.ifPresent(o -> text("Owner", o));
      draft.owner = owner.map(ProjectId::of);
    } else if (operation instanceof SetTags) {
      Set<String> tags = new LinkedHashSet<>();
      for (String tag : ((SetTags) operation).tags()) {
        tags.add(text("Tag", tag));
      }
      checkTagQuota(tags.size());
      draft.tags = tags;
    } else if (operation instanceof AddTag) {
      String tag = text("Tag", ((AddTag) operation).tag());
      if (!draft.tags.contains(tag)) {
        checkTagQuota(draft.tags.size() + 1);
        draft.tags.add(tag);
      }
    } else if (operation instanceof RemoveTag) {
      String tag = ((RemoveTag) operation).tag();
      if (!draft.tags.remove(tag)) {
        throw GovernanceException.of(
            ErrorCode.TAG_NOT_FOUND, "Tag '" + tag + "' is not on image " + current.id() + ".");
      }
    } else if (operation instanceof AddProperty) {
      addProperty(caller, current, draft, (AddProperty) operation);
    } else if (operation instanceof ReplaceProperty) {
      replaceProperty(caller, draft, (ReplaceProperty) operation);
    } else if (operation instanceof RemoveProperty) {
      removeProperty(caller, draft, ((RemoveProperty) operation).key());
    }
  }

  private void locations(Caller caller, Image current, LocationChange change) {
    if (change.verb() == Verb.REPLACE && change.emptyList()) {
      throw GovernanceException.of(
          ErrorCode.LOCATIONS_HIDDEN, "Cannot set locations to empty list.");
    }
    String rule =
        change.verb() == Verb.REMOVE ? Rules.DELETE_IMAGE_LOCATION : Rules.SET_IMAGE_LOCATION;
    guard.enforce(rule, caller, current, "You are not authorized to complete " + rule + " action.");
    String verb =
        change.verb() == Verb.ADD ? "add" : change.verb() == Verb.REPLACE ? "update" : "remove";
    throw GovernanceException.of(
        ErrorCode.LOCATIONS_HIDDEN,
        "It's not allowed to " + verb + " locations if locations are invisible.");
  }

  private void addProperty(Caller caller, Image current, Draft draft, AddProperty add) {
    String key = add.key();
    if (BASE.contains(key)) {
      if (add.mustBeAbsent()) {
        throw GovernanceException.of(
            ErrorCode.PROPERTY_CONFLICT, "Property " + key + " already present.");
      }
      throw baseAttribute(key);
    }
    customKey(key);
    String value = value(key, add.value());
    boolean visible = visible(caller, draft, key);
    if (visible) {
      if (add.mustBeAbsent()) {
        throw GovernanceException.of(
            ErrorCode.PROPERTY_CONFLICT, "Property " + key + " already present.");
      }
      protect(caller, key, PropertyOperation.UPDATE);
    } else {
      protect(caller, key, PropertyOperation.CREATE);
      if (current.properties().containsKey(key)
          && !guard.allows(caller, key, PropertyOperation.READ)) {
        // The image has the key but the caller may not read it: for the caller this is a
        // creation, for the image an overwrite, so the update rule must allow it too (Glance
        // overwrites on the create rule alone, letting a create-only caller rewrite the value).
        protect(caller, key, PropertyOperation.UPDATE);
      }
    }
    draft.properties.put(key, value);
  }

  private void replaceProperty(Caller caller, Draft draft, ReplaceProperty replace) {
    String key = replace.key();
    if (BASE.contains(key)) {
      throw baseAttribute(key);
    }
    customKey(key);
    String value = value(key, replace.value());
    if (!visible(caller, draft, key)) {
      throw doesNotExist(key);
    }
    protect(caller, key, PropertyOperation.UPDATE);
    draft.properties.put(key, value);
  }

  private void removeProperty(Caller caller, Draft draft, String key) {
    if (BASE.contains(key)) {
      throw GovernanceException.of(
          ErrorCode.POLICY_DENIED, "Property " + key + " may not be removed.");
    }
    customKey(key);
    if (!visible(caller, draft, key)) {
      throw doesNotExist(key);
    }
    protect(caller, key, PropertyOperation.DELETE);
    draft.properties.remove(key);
  }

  /** Whether the property exists and the caller may read it: otherwise it does not exist for it. */
  private boolean visible(Caller caller, Draft draft, String key) {
    return draft.properties.containsKey(key) && guard.allows(caller, key, PropertyOperation.READ);
  }

  private void protect(Caller caller, String key, PropertyOperation operation) {
    if (!guard.allows(caller, key, operation)) {
      throw GovernanceException.of(
          ErrorCode.RESERVED_ATTRIBUTE, "Attribute '" + key + "' is reserved.");
    }
  }

  private static GovernanceException doesNotExist(String key) {
    return GovernanceException.of(
        ErrorCode.PROPERTY_CONFLICT, "Property " + key + " does not exist.");
  }

  private static GovernanceException baseAttribute(String key) {
    return GovernanceException.of(
        ErrorCode.INVALID_VALUE,
        "'" + key + "' is a base attribute, not a custom property: use its own operation.");
  }

  /** A custom property key: not read-only or reserved (403), non-empty, short, 3-byte (400). */
  private static void customKey(String key) {
    JsonPatchParser.screen(key);
    if (key.isEmpty()) {
      throw bad("Custom property names must not be empty.");
    }
    if (key.length() > MAX_TEXT) {
      throw bad("Custom property should not be greater than 255 characters.");
    }
    if (hasFourByteChars(key)) {
      throw bad("Property names can't contain 4 byte unicode.");
    }
  }

  private static String value(String key, String value) {
    if (hasFourByteChars(value)) {
      throw bad("Value of property '" + key + "' can't contain 4 byte unicode characters.");
    }
    return value;
  }

  private static String text(String field, String value) {
    if (hasFourByteChars(value)) {
      throw bad(field + " can't contain 4 byte unicode characters.");
    }
    if (value.length() > MAX_TEXT) {
      throw bad(
          field + " is too long: " + value.length() + " characters, at most " + MAX_TEXT + ".");
    }
    return value;
  }

  static boolean hasFourByteChars(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isSurrogate(s.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  private static long nonNegative(String field, long value) {
    if (value < 0) {
      throw bad("Invalid value '" + value + "' for parameter '" + field + "': Cannot be negative.");
    }
    return value;
  }

  private static void checkRange(String field, long value) {
    if (value > MAX_INT) {
      throw bad("'" + value + "' value out of range for " + field + ": at most " + MAX_INT + ".");
    }
  }

  private static Optional<String> format(
      Image current, String field, Optional<String> value, List<String> allowed) {
    if (!FORMAT_STATUSES.contains(current.status())) {
      throw GovernanceException.of(
          ErrorCode.STATUS_FORBIDS,
          "Attribute " + field + " can be only replaced for a queued image.");
    }
    if (value.isPresent() && !allowed.contains(value.get())) {
      throw bad("Invalid " + field + " '" + value.get() + "': it must be one of " + allowed + ".");
    }
    return value;
  }

  private void checkTagQuota(int attempted) {
    if (tagQuota >= 0 && attempted > tagQuota) {
      throw GovernanceException.of(
          ErrorCode.TAG_QUOTA_EXCEEDED,
          "The limit has been exceeded on the number of allowed image tags. Attempted: "
              + attempted
              + ", Maximum: "
              + tagQuota);
    }
  }

  private void checkPropertyQuota(Image current, Draft draft) {
    if (propertyQuota < 0) {
      return;
    }
    boolean added = false;
    for (String key : draft.properties.keySet()) {
      if (!current.properties().containsKey(key)) {
        added = true;
        break;
      }
    }
    if (!added) {
      return;
    }
    int counted = 0;
    for (String key : draft.properties.keySet()) {
      if (!key.startsWith(JsonPatchParser.RESERVED_NAMESPACE)) {
        counted++;
      }
    }
    if (counted > propertyQuota) {
      throw GovernanceException.of(
          ErrorCode.PROPERTY_QUOTA_EXCEEDED,
          "The limit has been exceeded on the number of allowed image properties. Attempted: "
              + counted
              + ", Maximum: "
              + propertyQuota);
    }
  }

  /** Validates, against the schema, every attribute whose value the patch changed. */
  private void validateChanged(Image before, Image after) {
    ObjectNode was = ImageSchema.document(before);
    ObjectNode now = ImageSchema.document(after);
    ObjectNode changed = JsonNodeFactory.instance.objectNode();
    Iterator<Map.Entry<String, JsonNode>> fields = now.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      if (!f.getValue().equals(was.get(f.getKey()))) {
        changed.set(f.getKey(), f.getValue());
      }
    }
    if (!changed.isEmpty()) {
      schema.validate(changed);
    }
  }

  /** Whether two images agree on every attribute a patch can change. */
  static boolean sameMutableState(Image a, Image b) {
    return a.name().equals(b.name())
        && a.visibility() == b.visibility()
        && a.isProtected() == b.isProtected()
        && a.osHidden() == b.osHidden()
        && a.minDisk() == b.minDisk()
        && a.minRam() == b.minRam()
        && a.diskFormat().equals(b.diskFormat())
        && a.containerFormat().equals(b.containerFormat())
        && a.owner().equals(b.owner())
        && List.copyOf(a.tags()).equals(List.copyOf(b.tags()))
        && a.properties().equals(b.properties())
        && List.copyOf(a.properties().keySet()).equals(List.copyOf(b.properties().keySet()));
  }

  private static GovernanceException bad(String message) {
    return GovernanceException.of(ErrorCode.INVALID_VALUE, message);
  }

  /** The mutable state of the image while operations apply. */
  private static final class Draft {
    Optional<String> name;
    Visibility visibility;
    boolean isProtected;
    boolean osHidden;
    long minDisk;
    long minRam;
    Optional<String> diskFormat;
    Optional<String> containerFormat;
    Optional<ProjectId> owner;
    Set<String> tags;
    final Map<String, String> properties;

    Draft(Image image) {
      name = image.name();
      visibility = image.visibility();
      isProtected = image.isProtected();
      osHidden = image.osHidden();
      minDisk = image.minDisk();
      minRam = image.minRam();
      diskFormat = image.diskFormat();
      containerFormat = image.containerFormat();
      owner = image.owner();
      tags = new LinkedHashSet<>(image.tags());
      properties = new LinkedHashMap<>(image.properties());
    }

    Image build(Image current) {
      return current.toBuilder()
          .name(name)
          .visibility(visibility)
          .isProtected(isProtected)
          .osHidden(osHidden)
          .minDisk((int) minDisk)
          .minRam((int) minRam)
          .diskFormat(diskFormat)
          .containerFormat(containerFormat)
          .owner(owner)
          .tags(ImmutableSet.copyOf(tags))
          .properties(ImmutableMap.copyOf(properties))
          .build();
    }
  }
}
