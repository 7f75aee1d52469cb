package dev.imagegov.patch;

import com.google.common.collect.ImmutableList;
import dev.imagegov.model.Visibility;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One typed change to an image. The family is closed: base attributes have their own setters
 * (name, visibility, protected, os_hidden, min_disk, min_ram, disk and container format, owner,
 * tags), custom properties are added, replaced or removed by key, and {@link LocationChange} stands
 * for a JSON-patch operation on {@code /locations}, which imagegov refuses as Glance does when
 * {@code show_multiple_locations} is off.
 *
 * <p>Operations only carry values; {@link PatchApplier} checks them (value rules from the attribute
 * table, status, protections, quotas) when it applies them, in order, to the current image; the use
 * case runs each one's policy first.
 */
public sealed interface PatchOperation {
  /**
   * {@return the attribute or property the operation targets, as in a JSON-patch path's first
   * token}
   */
  String target();

  /** Sets the name; empty clears it (JSON null). */
  record SetName(Optional<String> name) implements PatchOperation {
    /**
     * Refuses null components.
     *
     * @param name the new name; empty clears it
     */
    public SetName {
      Objects.requireNonNull(name, "name");
    }

    @Override
    public String target() {
      return "name";
    }
  }

  /** Changes the visibility, through the same policy as a visibility change. */
  record SetVisibility(Visibility visibility) implements PatchOperation {
    /**
     * Refuses null components.
     *
     * @param visibility the new visibility
     */
    public SetVisibility {
      Objects.requireNonNull(visibility, "visibility");
    }

    @Override
    public String target() {
      return "visibility";
    }
  }

  /** Sets the {@code protected} flag. */
  record SetProtected(boolean value) implements PatchOperation {
    @Override
    public String target() {
      return "protected";
    }
  }

  /** Sets the {@code os_hidden} flag. */
  record SetOsHidden(boolean value) implements PatchOperation {
    @Override
    public String target() {
      return "os_hidden";
    }
  }

  /** Sets {@code min_disk} (GB); must be in 0..2^31-1. */
  record SetMinDisk(long value) implements PatchOperation {
    @Override
    public String target() {
      return "min_disk";
    }
  }

  /** Sets {@code min_ram} (MB); must be in 0..2^31-1. */
  record SetMinRam(long value) implements PatchOperation {
    @Override
    public String target() {
      return "min_ram";
    }
  }

  /** Sets the disk format (empty clears it); only while the image is queued or importing. */
  record SetDiskFormat(Optional<String> format) implements PatchOperation {
    /**
     * Refuses null components.
     *
     * @param format the new disk format; empty clears it
     */
    public SetDiskFormat {
      Objects.requireNonNull(format, "format");
    }

    @Override
    public String target() {
      return "disk_format";
    }
  }

  /** Sets the container format (empty clears it); only while queued or importing. */
  record SetContainerFormat(Optional<String> format) implements PatchOperation {
    /**
     * Refuses null components.
     *
     * @param format the new container format; empty clears it
     */
    public SetContainerFormat {
      Objects.requireNonNull(format, "format");
    }

    @Override
    public String target() {
      return "container_format";
    }
  }

  /** Sets the owner (empty makes the image unowned); admins only. */
  record SetOwner(Optional<String> owner) implements PatchOperation {
    /**
     * Refuses null components.
     *
     * @param owner the new owner's project id; empty makes the image unowned
     */
    public SetOwner {
      Objects.requireNonNull(owner, "owner");
    }

    @Override
    public String target() {
      return "owner";
    }
  }

  /** Replaces the whole tag set; duplicates fold, first occurrences keep their order. */
  record SetTags(List<String> tags) implements PatchOperation {
    /**
     * Refuses null components.
     *
     * @param tags the new tags, in order
     */
    public SetTags {
      tags = ImmutableList.copyOf(tags);
    }

    @Override
    public String target() {
      return "tags";
    }
  }

  /** Adds one tag; adding a tag the image has is a no-op. */
  record AddTag(String tag) implements PatchOperation {
    /**
     * Refuses null components.
     *
     * @param tag the tag to add
     */
    public AddTag {
      Objects.requireNonNull(tag, "tag");
    }

    @Override
    public String target() {
      return "tags";
    }
  }

  /** Removes one tag; the tag must be on the image. */
  record RemoveTag(String tag) implements PatchOperation {
    /**
     * Refuses null components.
     *
     * @param tag the tag to remove
     */
    public RemoveTag {
      Objects.requireNonNull(tag, "tag");
    }

    @Override
    public String target() {
      return "tags";
    }
  }

  /**
   * Adds a custom property, or overwrites it when present. With {@code mustBeAbsent} (the v2.0
   * media type's {@code add}) a present property, or any base attribute, is a conflict.
   */
  record AddProperty(String key, String value, boolean mustBeAbsent) implements PatchOperation {
    /**
     * Refuses null components.
     *
     * @param key the property's name
     * @param value its value
     * @param mustBeAbsent whether a present property is an error (v2.0) rather than overwritten
     *     (v2.1)
     */
    public AddProperty {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
    }

    /**
     * An add that overwrites a present property (the v2.1 media type's {@code add}).
     *
     * @param key the property's name
     * @param value its value
     */
    public AddProperty(String key, String value) {
      this(key, value, false);
    }

    @Override
    public String target() {
      return key;
    }
  }

  /** Replaces the value of a custom property that must exist. */
  record ReplaceProperty(String key, String value) implements PatchOperation {
    /**
     * Refuses null components.
     *
     * @param key the property's name
     * @param value its new value
     */
    public ReplaceProperty {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
    }

    @Override
    public String target() {
      return key;
    }
  }

  /** Removes a custom property that must exist; removing a base attribute is refused. */
  record RemoveProperty(String key) implements PatchOperation {
    /**
     * Refuses null components.
     *
     * @param key the property's name
     */
    public RemoveProperty {
      Objects.requireNonNull(key, "key");
    }

    @Override
    public String target() {
      return key;
    }
  }

  /** The JSON-patch verbs. */
  enum Verb {
    /** {@code add}. */
    ADD,
    /** {@code replace}. */
    REPLACE,
    /** {@code remove}. */
    REMOVE;

    /** {@return the verb as JSON patch spells it} */
    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * A JSON-patch operation on {@code /locations} (Glance's legacy location API). imagegov keeps
   * locations hidden ({@code show_multiple_locations} off), so applying one is refused with
   * Glance's 403 after the location policy ran. {@code position} is the second path token of an
   * add or remove; {@code emptyList} tells a replace with an empty list.
   */
  record LocationChange(Verb verb, Optional<String> position, boolean emptyList)
      implements PatchOperation {
    /**
     * Refuses null components.
     *
     * @param verb add, replace or remove
     * @param position the index or {@code -} of the path, if it names one
     * @param emptyList whether the value is an empty list
     */
    public LocationChange {
      Objects.requireNonNull(verb, "verb");
      Objects.requireNonNull(position, "position");
    }

    @Override
    public String target() {
      return "locations";
    }

    /**
     * {@return whether this is a replace with an empty list, refused before any location policy}
     */
    public boolean clearsLocations() {
      return verb == Verb.REPLACE && emptyList;
    }
  }
}
