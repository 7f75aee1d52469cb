package dev.imagegov.access;

import dev.imagegov.lifecycle.Use;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The request arguments some checks need: the member project of a member action, the status a
 * membership is to take, the visibility an image is to take. Immutable.
 *
 * <p>An absent argument takes the default {@link Access#explain(Caller,
 * dev.imagegov.model.ImageId, Action)} documents: for {@link Action#ADD_MEMBER} a well-formed
 * project that is not yet a member; for the other member actions the caller's own project; the
 * status {@code accepted}; the visibility the action names ({@code public} for {@link
 * Action#PUBLICIZE}, {@code community} for {@link Action#COMMUNITIZE}, none for {@link
 * Action#MODIFY}); the use of a download {@link Use#NEW_LAUNCH}.
 */
public final class ActionArgs {
  private static final ActionArgs NONE = new ActionArgs(null, null, null, Use.NEW_LAUNCH);

  private final @Nullable String member;
  private final @Nullable String memberStatus;
  private final @Nullable Visibility visibility;
  private final Use use;

  private ActionArgs(
      @Nullable String member, @Nullable String memberStatus, @Nullable Visibility visibility,
      Use use) {
    this.member = member;
    this.memberStatus = memberStatus;
    this.visibility = visibility;
    this.use = use;
  }

  /** {@return no arguments: every check uses its default} */
  public static ActionArgs defaults() {
    return NONE;
  }

  /**
   * {@return the member project an {@code add_member} request names, as sent (it is validated)}
   *
   * @param memberProject the member project's id
   */
  public static ActionArgs member(String memberProject) {
    return new ActionArgs(
        Objects.requireNonNull(memberProject, "memberProject"), null, null, Use.NEW_LAUNCH);
  }

  /**
   * {@return the membership a member request is about}
   *
   * @param memberProject the member: the project the image is shared with
   */
  public static ActionArgs member(ProjectId memberProject) {
    return member(memberProject.value());
  }

  /**
   * {@return a status update of {@code memberProject}'s membership to {@code status}, as sent}
   *
   * @param memberProject the member: the project the image is shared with
   * @param status the member status requested, as its wire name
   */
  public static ActionArgs memberStatus(ProjectId memberProject, String status) {
    return new ActionArgs(
        memberProject.value(), Objects.requireNonNull(status, "status"), null, Use.NEW_LAUNCH);
  }

  /**
   * {@return a status update of {@code memberProject}'s membership to {@code status}}
   *
   * @param memberProject the member: the project the image is shared with
   * @param status the member status requested
   */
  public static ActionArgs memberStatus(ProjectId memberProject, MemberStatus status) {
    return memberStatus(memberProject, status.wireName());
  }

  /**
   * {@return a visibility change to {@code visibility}}
   *
   * @param visibility the visibility requested
   */
  public static ActionArgs visibility(Visibility visibility) {
    return new ActionArgs(
        null, null, Objects.requireNonNull(visibility, "visibility"), Use.NEW_LAUNCH);
  }

  /**
   * {@return a download (boot) for {@code use}: a new launch, or an instance already using it}
   *
   * @param use what the download is for
   */
  public static ActionArgs use(Use use) {
    return new ActionArgs(null, null, null, Objects.requireNonNull(use, "use"));
  }

  /** {@return the member project as sent, if the request names one} */
  public Optional<String> memberProject() {
    return Optional.ofNullable(member);
  }

  /** {@return the member status as sent, if the request names one} */
  public Optional<String> memberStatus() {
    return Optional.ofNullable(memberStatus);
  }

  /** {@return the visibility the request sets, if any} */
  public Optional<Visibility> visibility() {
    return Optional.ofNullable(visibility);
  }

  /** {@return the use a download is for ({@link Use#NEW_LAUNCH} unless set)} */
  public Use use() {
    return use;
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("ActionArgs{");
    if (member != null) {
      out.append("member=").append(member).append(' ');
    }
    if (memberStatus != null) {
      out.append("status=").append(memberStatus).append(' ');
    }
    if (visibility != null) {
      out.append("visibility=").append(visibility.wireName()).append(' ');
    }
    if (use != Use.NEW_LAUNCH) {
      out.append("use=").append(use).append(' ');
    }
    return out.toString().trim() + "}";
  }
}
