package dev.imagegov.patch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import com.google.common.collect.Iterables;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.image.internal.Attributes.Via;
import dev.imagegov.image.internal.Attributes;
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
import dev.imagegov.protection.PropertyProtections;
import dev.imagegov.schema.ImageSchema;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Applies {@link PatchOperation}s to an image in memory with Glance's semantics and computes the
 * image to persist, or nothing when the operations change nothing. Pure: it asks no policy, never
 * persists and never emits. The use case ({@code dev.imagegov.image}'s updates) runs each
 * operation's policy, then {@link Draft#apply}, then {@link Draft#finish}, then commits once and
 * publishes the events, so a refused patch leaves no trace.
 *
 * <p>Each operation's values are checked by the attribute table {@link Attributes} (read-only
 * and reserved names, lengths, 4-byte characters, {@code min_*} signs, configured formats, formats
 * only while queued or importing), then its own semantics apply: {@code add}/{@code
 * replace}/{@code remove} for base attributes and custom properties, tag sets, and property
 * protections as {@link PropertyAccess} tells them (a property the caller may not read does not
 * exist for it, and is preserved untouched; adding it anyway needs both the create and the update
 * rule, since it overwrites a stored value). {@link Draft#finish} then checks the {@code min_*}
 * upper bound, the property quota (only when a key was added that the image did not have) and the
 * schema of every changed attribute.
 *
 * <p>Immutable and thread-safe; a {@link Draft} is for one thread.
 */
public final class PatchApplier {
  /** What property protections let the caller do with a custom property. */
  @FunctionalInterface
  public interface PropertyAccess {
    /**
     * {@return whether the caller may do {@code operation} on the custom property {@code key}}
     *
     * @param key the property's name
     * @param operation create, read, update or delete
     */
    boolean allows(String key, PropertyOperation operation);
  }

  private final ImageSchema schema;
  private final Attributes attributes;
  private final int propertyQuota;
  private final int tagQuota;

  /**
   * An applier validating against {@code schema} and its formats, with Glance's {@code
   * image_property_quota} and {@code image_tag_quota} (negative: unlimited).
   *
   * @param schema the image schema that validates the result
   * @param propertyQuota {@code image_property_quota}; negative for unlimited
   * @param tagQuota {@code image_tag_quota}; negative for unlimited
   */
  public PatchApplier(ImageSchema schema, int propertyQuota, int tagQuota) {
    this.schema = schema;
    this.attributes = Attributes.of(schema.diskFormats(), schema.containerFormats());
    this.propertyQuota = propertyQuota;
    this.tagQuota = tagQuota;
  }

  /**
   * {@return a draft of {@code current} that operations change, for a caller with {@code access}}
   *
   * @param current the image as currently stored
   * @param access what the caller may do on custom properties
   */
  public Draft start(Image current, PropertyAccess access) {
    return new Draft(current, access);
  }

  /**
   * {@code refusal} of the operation at {@code index}, its message naming the operation; a 404 is
   * left as it is so that it says nothing more than "not found".
   *
   * @param refusal the refusal of that operation
   * @param index the operation's position in the patch, from 0
   * @return {@code refusal} of the operation at {@code index}, its message naming the operation; a
   *     404 is left as it is so that it says nothing more than "not found"
   */
  public static GovernanceException naming(GovernanceException refusal, int index) {
    if (refusal.code() == StoreErrorCode.IMAGE_NOT_FOUND) {
      return refusal;
    }
    return GovernanceException.of(
        refusal.code(), refusal.getMessage() + JsonPatchParser.at(index), refusal);
  }

  /** The mutable state of one image while operations apply. */
  public final class Draft {
    private final Image current;
    private final PropertyAccess access;
    private Optional<String> name;
    private Visibility visibility;
    private boolean isProtected;
    private boolean osHidden;
    private long minDisk;
    private long minRam;
    private Optional<String> diskFormat;
    private Optional<String> containerFormat;
    private Optional<ProjectId> owner;
    /** The tags: the image's own until an operation changes them ({@link #tags()}). */
    private Set<String> tags;
    private boolean tagsCopied;
    /** The properties: the image's own until an operation changes them ({@link #properties()}). */
    private Map<String, String> properties;
    private boolean propertiesCopied;

    private Draft(Image image, PropertyAccess access) {
      this.current = image;
      this.access = access;
      name = image.name();
      visibility = image.visibility();
      isProtected = image.isProtected();
      osHidden = image.osHidden();
      minDisk = image.minDisk();
      minRam = image.minRam();
      diskFormat = image.diskFormat();
      containerFormat = image.containerFormat();
      owner = image.owner();
      tags = image.tags();
      properties = image.properties();
    }

    /** The tags, to change: copied from the image's on the first change. */
    private Set<String> tags() {
      if (!tagsCopied) {
        tags = new LinkedHashSet<>(tags);
        tagsCopied = true;
      }
      return tags;
    }

    /** The properties, to change: copied from the image's on the first change. */
    private Map<String, String> properties() {
      if (!propertiesCopied) {
        properties = new LinkedHashMap<>(properties);
        propertiesCopied = true;
      }
      return properties;
    }

    /**
     * Applies one operation's values and semantics (no policy).
     *
     * @param operation the operation to apply to the draft
     * @throws GovernanceException the operation's refusal; the draft is then to be discarded
     */
    public void apply(PatchOperation operation) {
      ImageStatus status = current.status();
      if (operation instanceof LocationChange) {
        locations((LocationChange) operation);
      } else if (operation instanceof SetName) {
        Optional<String> value = ((SetName) operation).name();
        attributes.check(Via.PATCH, status, "name", value.orElse(null));
        name = value;
      } else if (operation instanceof SetVisibility) {
        visibility = ((SetVisibility) operation).visibility();
      } else if (operation instanceof SetProtected) {
        isProtected = ((SetProtected) operation).value();
      } else if (operation instanceof SetOsHidden) {
        osHidden = ((SetOsHidden) operation).value();
      } else if (operation instanceof SetMinDisk) {
        minDisk = ((SetMinDisk) operation).value();
        attributes.check(Via.PATCH, status, "min_disk", minDisk);
      } else if (operation instanceof SetMinRam) {
        minRam = ((SetMinRam) operation).value();
        attributes.check(Via.PATCH, status, "min_ram", minRam);
      } else if (operation instanceof SetDiskFormat) {
        diskFormat = ((SetDiskFormat) operation).format();
        attributes.check(Via.PATCH, status, "disk_format", diskFormat.orElse(null));
      } else if (operation instanceof SetContainerFormat) {
        containerFormat = ((SetContainerFormat) operation).format();
        attributes.check(Via.PATCH, status, "container_format", containerFormat.orElse(null));
      } else if (operation instanceof SetOwner) {
        Optional<String> value = ((SetOwner) operation).owner().filter(o -> !o.isEmpty());
        attributes.check(Via.PATCH, status, "owner", value.orElse(null));
        owner = value.map(ProjectId::of);
      } else if (operation instanceof SetTags) {
        Collection<String> all = ((SetTags) operation).tags();
        attributes.check(Via.PATCH, status, "tags", all);
        Set<String> set = new LinkedHashSet<>(all);
        Attributes.checkTagQuota(set.size(), tagQuota);
        tags = set;
        tagsCopied = true;
      } else if (operation instanceof AddTag) {
        String tag = Attributes.tag(((AddTag) operation).tag());
        if (!tags.contains(tag)) {
          Attributes.checkTagQuota(tags.size() + 1, tagQuota);
          tags().add(tag);
        }
      } else if (operation instanceof RemoveTag) {
        String tag = ((RemoveTag) operation).tag();
        if (!tags.contains(tag)) {
          throw GovernanceException.of(
              RuleCode.TAG_NOT_FOUND, "Tag '" + tag + "' is not on image " + current.id() + ".");
        }
        tags().remove(tag);
      } else if (operation instanceof AddProperty) {
        addProperty((AddProperty) operation);
      } else if (operation instanceof ReplaceProperty) {
        replaceProperty((ReplaceProperty) operation);
      } else if (operation instanceof RemoveProperty) {
        removeProperty(((RemoveProperty) operation).key());
      }
    }

    /**
     * The image after every operation applied, or empty when it equals the starting image in
     * every mutable attribute; {@code updatedAt} and {@code version} are left as they were.
     *
     * @return the image after every operation applied, or empty when it equals the starting image
     *     in every mutable attribute; {@code updatedAt} and {@code version} are left as they were
     * @throws GovernanceException 400 for a {@code min_*} over 2^31-1 or a value the schema
     *     refuses; 413 over the property quota
     */
    public Optional<Image> finish() {
      Attributes.checkRange("min_disk", minDisk);
      Attributes.checkRange("min_ram", minRam);
      checkPropertyQuota();
      Image result = build();
      validateChanged(current, result);
      return sameMutableState(current, result) ? Optional.empty() : Optional.of(result);
    }

    private void locations(LocationChange change) {
      if (change.clearsLocations()) {
        throw GovernanceException.of(
            RuleCode.LOCATIONS_HIDDEN, "Cannot set locations to empty list.");
      }
      String verb =
          change.verb() == Verb.ADD ? "add" : change.verb() == Verb.REPLACE ? "update" : "remove";
      throw GovernanceException.of(
          RuleCode.LOCATIONS_HIDDEN,
          "It's not allowed to " + verb + " locations if locations are invisible.");
    }

    private void addProperty(AddProperty add) {
      String key = add.key();
      if (Attributes.isBaseAttribute(key) && add.mustBeAbsent()) {
        throw alreadyPresent(key);
      }
      String value = Attributes.checkProperty(Via.PATCH, key, add.value());
      if (visible(key)) {
        if (add.mustBeAbsent()) {
          throw alreadyPresent(key);
        }
        protect(key, PropertyOperation.UPDATE);
      } else {
        protect(key, PropertyOperation.CREATE);
        if (current.properties().containsKey(key)
            && !access.allows(key, PropertyOperation.READ)) {
          // The image has the key but the caller may not read it: for the caller this is a
          // creation, for the image an overwrite, so the update rule must allow it too (Glance
          // overwrites on the create rule alone, letting a create-only caller rewrite the value).
          protect(key, PropertyOperation.UPDATE);
        }
      }
      properties().put(key, value);
    }

    private void replaceProperty(ReplaceProperty replace) {
      String key = replace.key();
      String value = Attributes.checkProperty(Via.PATCH, key, replace.value());
      if (!visible(key)) {
        throw doesNotExist(key);
      }
      protect(key, PropertyOperation.UPDATE);
      properties().put(key, value);
    }

    private void removeProperty(String key) {
      if (Attributes.isBaseAttribute(key)) {
        throw GovernanceException.of(
            RuleCode.POLICY_DENIED, "Property " + key + " may not be removed.");
      }
      Attributes.checkName(Via.PATCH, key);
      if (!visible(key)) {
        throw doesNotExist(key);
      }
      protect(key, PropertyOperation.DELETE);
      properties().remove(key);
    }

    /** Whether the property exists and the caller may read it: otherwise it does not exist. */
    private boolean visible(String key) {
      return properties.containsKey(key) && access.allows(key, PropertyOperation.READ);
    }

    private void protect(String key, PropertyOperation operation) {
      if (!access.allows(key, operation)) {
        throw PropertyProtections.refusal(key, operation);
      }
    }

    private void checkPropertyQuota() {
      if (!propertiesCopied) {
        return;
      }
      for (String key : properties.keySet()) {
        if (!current.properties().containsKey(key)) {
          Attributes.checkPropertyQuota(properties.keySet(), propertyQuota);
          return;
        }
      }
    }

    private Image build() {
      Image.Builder b = current.toBuilder()
          .name(name)
          .visibility(visibility)
          .isProtected(isProtected)
          .osHidden(osHidden)
          .minDisk((int) minDisk)
          .minRam((int) minRam)
          .diskFormat(diskFormat)
          .containerFormat(containerFormat)
          .owner(owner);
      // The builder holds the image's own tags and properties: set only those that changed.
      if (tagsCopied) {
        b.tags(ImmutableSet.copyOf(tags));
      }
      if (propertiesCopied) {
        b.properties(ImmutableMap.copyOf(properties));
      }
      return b.build();
    }
  }

  private static GovernanceException alreadyPresent(String key) {
    return GovernanceException.of(
        RuleCode.PROPERTY_CONFLICT, "Property " + key + " already present.");
  }

  private static GovernanceException doesNotExist(String key) {
    return GovernanceException.of(
        RuleCode.PROPERTY_CONFLICT, "Property " + key + " does not exist.");
  }

  /** Validates, against the schema, every attribute whose value the patch changed. */
  private void validateChanged(Image before, Image after) {
    ObjectNode changed = ImageSchema.changes(before, after);
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
        && Iterables.elementsEqual(a.tags(), b.tags())
        && a.properties().equals(b.properties())
        && Iterables.elementsEqual(a.properties().keySet(), b.properties().keySet());
  }
}
