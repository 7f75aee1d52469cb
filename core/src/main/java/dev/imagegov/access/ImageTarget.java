package dev.imagegov.access;

import dev.imagegov.model.Image;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * An image as a policy target, the way Glance's {@code ImageTarget} presents it to a caller.
 *
 * <p>Keys: {@code id} and {@code image_id} (the image id), {@code name}, {@code status}, {@code
 * visibility} (wire names such as {@code public}), {@code owner} and its alias {@code project_id},
 * {@code member} and its alias {@code member_id}, {@code protected} and {@code os_hidden} ({@code
 * True}/{@code False}), {@code disk_format}, {@code container_format}, {@code size}, {@code
 * virtual_size}, {@code checksum}, {@code os_hash_algo}, {@code os_hash_value}, {@code min_disk},
 * {@code min_ram}, then the image's custom properties (an attribute wins over a property of the
 * same name). A key the image has no value for is absent and never matches.
 *
 * <p>{@code member} is Glance's computed attribute: the caller's project when the image is
 * {@code shared} and the caller is not its owner, and absent otherwise. That is why Glance's
 * {@code modify_member} default ({@code project_id:%(member_id)s}) lets any non-owner with the
 * {@code member} role through the policy for a shared image; which membership row the caller may
 * then touch is decided by the row lookup, not by policy.
 *
 * <p>Immutable and thread-safe. Building one copies nothing: a value is computed from the
 * (immutable) image when a check asks for its key, so a rule pays only for the keys it names.
 */
public final class ImageTarget implements PolicyTarget {
  /** The key under which {@link #forMember} exposes the membership an endpoint is about. */
  public static final String MEMBER_PROJECT_KEY = "member_project_id";

  /** Wire names by ordinal, so that reading one does not lower-case the enum name again. */
  private static final String[] STATUS_WIRE_NAMES =
      Arrays.stream(ImageStatus.values()).map(ImageStatus::wireName).toArray(String[]::new);

  private static final String[] VISIBILITY_WIRE_NAMES =
      Arrays.stream(Visibility.values()).map(Visibility::wireName).toArray(String[]::new);

  private final Image image;
  /** The owner's id, read once: most rules ask for it, some several times. */
  private final @Nullable String owner;
  private final @Nullable String callerProject;
  private final @Nullable String memberProject;

  private ImageTarget(Image image, Caller caller, @Nullable ProjectId memberProject) {
    this.image = image;
    Optional<ProjectId> o = image.owner();
    this.owner = o.isPresent() ? o.get().value() : null;
    Optional<ProjectId> p = caller.project();
    this.callerProject = p.isPresent() ? p.get().value() : null;
    this.memberProject = memberProject == null ? null : memberProject.value();
  }

  /**
   * {@return the target of image rules ({@code get_image}, {@code modify_image}, …) for {@code
   * caller}}
   *
   * @param image the image as stored
   * @param caller who asks: the rules, visibility and policy are checked for this caller
   */
  public static ImageTarget of(Image image, Caller caller) {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(caller, "caller");
    return new ImageTarget(image, caller, null);
  }

  /**
   * The target of member rules ({@code get_member}, {@code modify_member}, …) for an endpoint about
   * {@code memberId}'s membership. As in Glance, {@code member_id} stays the alias of the image's
   * computed {@code member} (see the class comment), so the defaults decide exactly as Glance's;
   * {@code memberId} is available to custom rules as {@value #MEMBER_PROJECT_KEY}.
   *
   * @param image the image as stored
   * @param caller who asks: the rules, visibility and policy are checked for this caller
   * @param memberId the member project the rule is about
   * @return the target of member rules ({@code get_member}, {@code modify_member}, …) for an
   *     endpoint about {@code memberId}'s membership
   */
  public static ImageTarget forMember(Image image, Caller caller, ProjectId memberId) {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(caller, "caller");
    Objects.requireNonNull(memberId, "memberId");
    return new ImageTarget(image, caller, memberId);
  }

  /**
   * The target of {@code add_image} (and of the visibility rules checked at create time): the
   * owner the new image will have ({@code owner} and its alias {@code project_id}; Glance fills in
   * the caller's project when the request names none) and its {@code visibility}.
   *
   * @param owner the owning project, if any
   * @param visibility the visibility the new image asks for
   * @return the target of {@code add_image} (and of the visibility rules checked at create time):
   *     the owner the new image will have ({@code owner} and its alias {@code project_id}; Glance
   *     fills in the caller's project when the request names none) and its {@code visibility}
   */
  public static PolicyTarget forNewImage(Optional<ProjectId> owner, Visibility visibility) {
    Map<String, String> values = new LinkedHashMap<>();
    owner.ifPresent(
        o -> {
          values.put("owner", o.value());
          values.put("project_id", o.value());
        });
    values.put("visibility", visibility.wireName());
    return PolicyTarget.of(values);
  }

  private static String pythonBool(boolean b) {
    return b ? "True" : "False";
  }

  @Override
  public Optional<String> get(String key) {
    return Optional.ofNullable(raw(key));
  }

  /**
   * The value of {@code key}, or null; the allocation-free form of {@link #get} for the keys whose
   * value is text in the image. Computed on each call: a check asks for only a few keys.
   */
  @Nullable String raw(String key) {
    switch (key) {
      case "owner":
      case "project_id":
        return owner();
      case "visibility":
        return VISIBILITY_WIRE_NAMES[image.visibility().ordinal()];
      case "member":
      case "member_id":
        return member();
      case "id":
      case "image_id":
        return image.id().value();
      case "name":
        return image.name().orElse(null);
      case "status":
        return STATUS_WIRE_NAMES[image.status().ordinal()];
      case "protected":
        return pythonBool(image.isProtected());
      case "os_hidden":
        return pythonBool(image.osHidden());
      case "disk_format":
        return image.diskFormat().orElse(null);
      case "container_format":
        return image.containerFormat().orElse(null);
      case "size":
        return number(image.size());
      case "virtual_size":
        return number(image.virtualSize());
      case "checksum":
        return image.checksum().orElse(null);
      case "os_hash_algo":
        return image.osHashAlgo().orElse(null);
      case "os_hash_value":
        return image.osHashValue().orElse(null);
      case "min_disk":
        return Integer.toString(image.minDisk());
      case "min_ram":
        return Integer.toString(image.minRam());
      case MEMBER_PROJECT_KEY:
        return memberProject;
      default:
        return image.properties().get(key);
    }
  }

  private @Nullable String owner() {
    return owner;
  }

  /** Glance's computed {@code member}: see the class comment. */
  private @Nullable String member() {
    return image.visibility() == Visibility.SHARED
            && callerProject != null
            && !callerProject.equals(owner())
        ? callerProject
        : null;
  }

  private static @Nullable String number(OptionalLong n) {
    return n.isPresent() ? Long.toString(n.getAsLong()) : null;
  }

  @Override
  public String toString() {
    return "ImageTarget{id="
        + image.id().value()
        + ", owner="
        + owner()
        + ", visibility="
        + VISIBILITY_WIRE_NAMES[image.visibility().ordinal()]
        + ", member="
        + member()
        + "}";
  }
}
