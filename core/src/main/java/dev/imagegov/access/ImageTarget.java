package dev.imagegov.access;

import dev.imagegov.model.Image;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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
 * <p>Immutable and thread-safe; all values are computed when the target is built.
 */
public final class ImageTarget implements PolicyTarget {
  /** The key under which {@link #forMember} exposes the membership an endpoint is about. */
  public static final String MEMBER_PROJECT_KEY = "member_project_id";

  private final String id;
  private final @Nullable String name;
  private final String status;
  private final String visibility;
  private final @Nullable String owner;
  private final @Nullable String member;
  private final String isProtected;
  private final String osHidden;
  private final @Nullable String diskFormat;
  private final @Nullable String containerFormat;
  private final @Nullable String size;
  private final @Nullable String virtualSize;
  private final @Nullable String checksum;
  private final @Nullable String osHashAlgo;
  private final @Nullable String osHashValue;
  private final String minDisk;
  private final String minRam;
  private final @Nullable String memberProject;
  private final Map<String, String> properties;

  private ImageTarget(Image image, Caller caller, @Nullable ProjectId memberProject) {
    this.id = image.id().value();
    this.name = image.name().orElse(null);
    this.status = image.status().wireName();
    this.visibility = image.visibility().wireName();
    this.owner = image.owner().map(ProjectId::value).orElse(null);
    String callerProject = caller.project().map(ProjectId::value).orElse(null);
    this.member =
        image.visibility() == Visibility.SHARED
                && callerProject != null
                && !callerProject.equals(owner)
            ? callerProject
            : null;
    this.isProtected = pythonBool(image.isProtected());
    this.osHidden = pythonBool(image.osHidden());
    this.diskFormat = image.diskFormat().orElse(null);
    this.containerFormat = image.containerFormat().orElse(null);
    this.size = image.size().isPresent() ? Long.toString(image.size().getAsLong()) : null;
    this.virtualSize =
        image.virtualSize().isPresent() ? Long.toString(image.virtualSize().getAsLong()) : null;
    this.checksum = image.checksum().orElse(null);
    this.osHashAlgo = image.osHashAlgo().orElse(null);
    this.osHashValue = image.osHashValue().orElse(null);
    this.minDisk = Integer.toString(image.minDisk());
    this.minRam = Integer.toString(image.minRam());
    this.memberProject = memberProject == null ? null : memberProject.value();
    this.properties = image.properties();
  }

  /** The target of image rules ({@code get_image}, {@code modify_image}, …) for {@code caller}. */
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

  /** The value of {@code key}, or null; the allocation-free form of {@link #get}. */
  @Nullable String raw(String key) {
    switch (key) {
      case "owner":
      case "project_id":
        return owner;
      case "visibility":
        return visibility;
      case "member":
      case "member_id":
        return member;
      case "id":
      case "image_id":
        return id;
      case "name":
        return name;
      case "status":
        return status;
      case "protected":
        return isProtected;
      case "os_hidden":
        return osHidden;
      case "disk_format":
        return diskFormat;
      case "container_format":
        return containerFormat;
      case "size":
        return size;
      case "virtual_size":
        return virtualSize;
      case "checksum":
        return checksum;
      case "os_hash_algo":
        return osHashAlgo;
      case "os_hash_value":
        return osHashValue;
      case "min_disk":
        return minDisk;
      case "min_ram":
        return minRam;
      case MEMBER_PROJECT_KEY:
        return memberProject;
      default:
        return properties.get(key);
    }
  }

  @Override
  public String toString() {
    return "ImageTarget{id="
        + id
        + ", owner="
        + owner
        + ", visibility="
        + visibility
        + ", member="
        + member
        + "}";
  }
}
