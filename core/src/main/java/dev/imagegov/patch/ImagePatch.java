package dev.imagegov.patch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.collect.ImmutableList;
import dev.imagegov.image.internal.Attributes;
import dev.imagegov.model.Image;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import dev.imagegov.patch.PatchOperation.AddProperty;
import dev.imagegov.patch.PatchOperation.AddTag;
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
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An ordered list of {@link PatchOperation}s applied to one image all-or-nothing: if any operation
 * is refused, the image is unchanged and no event is emitted. Build one with {@link #builder()}
 * ({@code ImagePatch.builder().setName("x").addProperty("k", "v").removeTag("t").build()}), parse
 * one with {@link JsonPatchParser}, or compute one from two images with {@link #diff}.
 *
 * <p>Immutable. Equal when the operations are equal and in the same order.
 */
public final class ImagePatch {
  private static final ImagePatch EMPTY = new ImagePatch(ImmutableList.of());
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final ImmutableList<PatchOperation> operations;

  private ImagePatch(ImmutableList<PatchOperation> operations) {
    this.operations = operations;
  }

  /**
   * {@return a patch of these operations, in this order}
   *
   * @param operations the operations, applied in order
   */
  public static ImagePatch of(List<? extends PatchOperation> operations) {
    return operations.isEmpty() ? EMPTY : new ImagePatch(ImmutableList.copyOf(operations));
  }

  /**
   * {@return a patch of these operations, in this order}
   *
   * @param operations the operations, applied in order
   */
  public static ImagePatch of(PatchOperation... operations) {
    return of(List.of(operations));
  }

  /** {@return the patch that changes nothing} */
  public static ImagePatch empty() {
    return EMPTY;
  }

  /** {@return a builder of typed operations} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the operations in the order they are applied} */
  public ImmutableList<PatchOperation> operations() {
    return operations;
  }

  /** {@return whether the patch has no operation} */
  public boolean isEmpty() {
    return operations.isEmpty();
  }

  /**
   * The v2.1 JSON-patch document ({@code application/openstack-images-v2.1-json-patch}) that turns
   * {@code before}'s mutable state into {@code after}'s: name, visibility, protected, os_hidden,
   * min_disk, min_ram, disk and container format, owner, tags and custom properties. Removals of
   * custom properties come first, then replacements of base attributes and custom properties, then
   * additions, so a document at the property quota stays within it. The library's own properties
   * (Glance's {@code os_glance*}, imagegov's {@code imagegov_lifecycle_*}) cannot be patched and
   * are left out. Equal images give {@code []}.
   *
   * @param before the image as it was
   * @param after the image as it should be
   * @return the JSON patch turning {@code before} into {@code after}
   */
  public static ArrayNode diff(Image before, Image after) {
    ArrayNode doc = NODES.arrayNode();
    Map<String, String> was = before.properties();
    Map<String, String> now = after.properties();
    for (String key : was.keySet()) {
      if (!now.containsKey(key) && !reserved(key)) {
        doc.add(op("remove", key));
      }
    }
    if (!before.name().equals(after.name())) {
      doc.add(op("replace", "name").put("value", after.name().orElse(null)));
    }
    if (before.visibility() != after.visibility()) {
      doc.add(op("replace", "visibility").put("value", after.visibility().wireName()));
    }
    if (before.isProtected() != after.isProtected()) {
      doc.add(op("replace", "protected").put("value", after.isProtected()));
    }
    if (before.osHidden() != after.osHidden()) {
      doc.add(op("replace", "os_hidden").put("value", after.osHidden()));
    }
    if (before.minDisk() != after.minDisk()) {
      doc.add(op("replace", "min_disk").put("value", after.minDisk()));
    }
    if (before.minRam() != after.minRam()) {
      doc.add(op("replace", "min_ram").put("value", after.minRam()));
    }
    if (!before.diskFormat().equals(after.diskFormat())) {
      doc.add(op("replace", "disk_format").put("value", after.diskFormat().orElse(null)));
    }
    if (!before.containerFormat().equals(after.containerFormat())) {
      doc.add(
          op("replace", "container_format").put("value", after.containerFormat().orElse(null)));
    }
    if (!before.owner().equals(after.owner())) {
      String owner = after.owner().map(ProjectId::value).orElse(null);
      doc.add(op("replace", "owner").put("value", owner));
    }
    if (!List.copyOf(before.tags()).equals(List.copyOf(after.tags()))) {
      ObjectNode tags = op("replace", "tags");
      ArrayNode values = tags.putArray("value");
      after.tags().forEach(values::add);
      doc.add(tags);
    }
    for (Map.Entry<String, String> p : now.entrySet()) {
      String key = p.getKey();
      if (reserved(key)) {
        continue;
      }
      if (was.containsKey(key) && !was.get(key).equals(p.getValue())) {
        doc.add(op("replace", key).put("value", p.getValue()));
      }
    }
    for (Map.Entry<String, String> p : now.entrySet()) {
      if (!was.containsKey(p.getKey()) && !reserved(p.getKey())) {
        doc.add(op("add", p.getKey()).put("value", p.getValue()));
      }
    }
    return doc;
  }

  /**
   * {@return {@link #diff} as JSON text}
   *
   * @param before the image before the change
   * @param after the image after the change
   */
  public static String diffText(Image before, Image after) {
    try {
      return MAPPER.writeValueAsString(diff(before, after));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new AssertionError("a tree of strings, numbers and booleans always serialises", e);
    }
  }

  private static boolean reserved(String key) {
    return Attributes.isSystemProperty(key);
  }

  private static ObjectNode op(String op, String key) {
    return NODES.objectNode().put("op", op).put("path", "/" + escape(key));
  }

  /** A key as one JSON-pointer token: {@code ~} as {@code ~0}, {@code /} as {@code ~1}. */
  static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ImagePatch && ((ImagePatch) o).operations.equals(operations);
  }

  @Override
  public int hashCode() {
    return operations.hashCode();
  }

  @Override
  public String toString() {
    return "ImagePatch" + operations;
  }

  /** Collects typed operations in order. Not thread-safe; {@link #build()} may be called again. */
  public static final class Builder {
    private final List<PatchOperation> operations = new ArrayList<>();

    private Builder() {}

    /**
     * Appends any operation.
     *
     * @param operation the operation to append
     * @return this builder, for chaining
     */
    public Builder add(PatchOperation operation) {
      operations.add(Objects.requireNonNull(operation, "operation"));
      return this;
    }

    /**
     * Sets the name.
     *
     * @param name the new name, at most 255 characters
     * @return this builder, for chaining
     */
    public Builder setName(String name) {
      return add(new SetName(Optional.of(name)));
    }

    /**
     * Clears the name.
     *
     * @return this builder, for chaining
     */
    public Builder clearName() {
      return add(new SetName(Optional.empty()));
    }

    /**
     * Changes the visibility.
     *
     * @param visibility the new visibility
     * @return this builder, for chaining
     */
    public Builder setVisibility(Visibility visibility) {
      return add(new SetVisibility(visibility));
    }

    /**
     * Sets {@code protected}.
     *
     * @param value whether deleting the image is refused
     * @return this builder, for chaining
     */
    public Builder setProtected(boolean value) {
      return add(new SetProtected(value));
    }

    /**
     * Sets {@code os_hidden}.
     *
     * @param value whether default lists leave the image out
     * @return this builder, for chaining
     */
    public Builder setOsHidden(boolean value) {
      return add(new SetOsHidden(value));
    }

    /**
     * Sets {@code min_disk}.
     *
     * @param value disk in GB needed to boot, at least 0
     * @return this builder, for chaining
     */
    public Builder setMinDisk(long value) {
      return add(new SetMinDisk(value));
    }

    /**
     * Sets {@code min_ram}.
     *
     * @param value memory in MB needed to boot, at least 0
     * @return this builder, for chaining
     */
    public Builder setMinRam(long value) {
      return add(new SetMinRam(value));
    }

    /**
     * Sets the disk format.
     *
     * @param format one of the configured disk formats
     * @return this builder, for chaining
     */
    public Builder setDiskFormat(String format) {
      return add(new SetDiskFormat(Optional.of(format)));
    }

    /**
     * Clears the disk format.
     *
     * @return this builder, for chaining
     */
    public Builder clearDiskFormat() {
      return add(new SetDiskFormat(Optional.empty()));
    }

    /**
     * Sets the container format.
     *
     * @param format one of the configured container formats
     * @return this builder, for chaining
     */
    public Builder setContainerFormat(String format) {
      return add(new SetContainerFormat(Optional.of(format)));
    }

    /**
     * Clears the container format.
     *
     * @return this builder, for chaining
     */
    public Builder clearContainerFormat() {
      return add(new SetContainerFormat(Optional.empty()));
    }

    /**
     * Sets the owner (admins only); {@code ""} makes the image unowned.
     *
     * @param owner the owning project's id
     * @return this builder, for chaining
     */
    public Builder setOwner(String owner) {
      return add(new SetOwner(owner.isEmpty() ? Optional.empty() : Optional.of(owner)));
    }

    /**
     * Replaces the tag set.
     *
     * @param tags the image's new tags
     * @return this builder, for chaining
     */
    public Builder setTags(Collection<String> tags) {
      return add(new SetTags(List.copyOf(tags)));
    }

    /**
     * Adds a tag.
     *
     * @param tag the tag to add
     * @return this builder, for chaining
     */
    public Builder addTag(String tag) {
      return add(new AddTag(tag));
    }

    /**
     * Removes a tag that must be present.
     *
     * @param tag the tag to remove
     * @return this builder, for chaining
     */
    public Builder removeTag(String tag) {
      return add(new RemoveTag(tag));
    }

    /**
     * Adds a custom property, overwriting a present one.
     *
     * @param key the property's name
     * @param value its value
     * @return this builder, for chaining
     */
    public Builder addProperty(String key, String value) {
      return add(new AddProperty(key, value));
    }

    /**
     * Replaces a custom property that must exist.
     *
     * @param key the property's name
     * @param value its new value
     * @return this builder, for chaining
     */
    public Builder replaceProperty(String key, String value) {
      return add(new ReplaceProperty(key, value));
    }

    /**
     * Removes a custom property that must exist.
     *
     * @param key the property's name
     * @return this builder, for chaining
     */
    public Builder removeProperty(String key) {
      return add(new RemoveProperty(key));
    }

    /** {@return the patch of the operations so far} */
    public ImagePatch build() {
      return of(operations);
    }
  }
}
