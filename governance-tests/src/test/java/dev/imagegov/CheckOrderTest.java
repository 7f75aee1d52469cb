package dev.imagegov;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagegov.access.AccessExplanation;
import dev.imagegov.access.Action;
import dev.imagegov.access.ActionArgs;
import dev.imagegov.access.Caller;
import dev.imagegov.error.ErrorCode;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.Member;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * The order of each action's checks (Glance's controllers, {@code glance/api/v2/images.py} and
 * {@code image_members.py}): every request here fails two checks and must get the earlier one's
 * answer, from the operation and from {@code explain} alike.
 */
class CheckOrderTest {
  private static final ProjectId A = ProjectId.of("consumer-a");
  private static final ProjectId B = ProjectId.of("consumer-b");
  private static final ProjectId C = ProjectId.of("consumer-c");
  private static final Caller OWNER = Caller.member("producer");
  private static final Caller OWNER_READER = Caller.reader("producer");
  private static final Caller MEMBER_A = Caller.member("consumer-a");
  private static final Caller READER_A = Caller.reader("consumer-a");
  private static final Caller OUTSIDER = Caller.member("outsider");

  private Fixtures f = new Fixtures();

  /** An image of producer's inserted as it is (any status), with pending members {@code a, b}. */
  private Image image(ImageStatus status, Visibility visibility, boolean isProtected) {
    ImageId id = ImageId.of(UUID.randomUUID());
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    Map<ProjectId, Member> members = new LinkedHashMap<>();
    members.put(A, Member.pending(id, A, now));
    members.put(B, Member.pending(id, B, now));
    return f.governance
        .catalog()
        .insert(
            Image.builder()
                .id(id)
                .status(status)
                .visibility(visibility)
                .owner(Optional.of(ProjectId.of("producer")))
                .isProtected(isProtected)
                .members(members)
                .createdAt(now)
                .updatedAt(now)
                .build());
  }

  private Image shared() {
    return image(ImageStatus.ACTIVE, Visibility.SHARED, false);
  }

  /** The operation is refused with {@code code}, and explain says the same status and code. */
  private void answers(
      ErrorCode code, Caller caller, Image image, Action action, ActionArgs args,
      ThrowingCallable operation) {
    AccessExplanation why = f.governance.access().explain(caller, image.id(), action, args);
    assertThatThrownBy(operation)
        .isInstanceOf(GovernanceException.class)
        .satisfies(e -> assertThat(((GovernanceException) e).code()).isEqualTo(code));
    assertThat(why.errorCode()).as(why.render()).contains(code);
    assertThat(why.status()).isEqualTo(code.kind().httpStatus());
  }

  // ----------------------------------------------------------------------- member status

  @Test
  void memberStatusUpdateOnUnsharedImageIsForbiddenBeforeTheRowIsLookedUp() {
    Image image = image(ImageStatus.ACTIVE, Visibility.PRIVATE, false);
    answers(RuleCode.NOT_SHARED, OWNER, image, Action.UPDATE_MEMBER_STATUS,
        ActionArgs.memberStatus(C, "accepted"),
        () -> f.sharing().updateMemberStatus(OWNER, image.id(), C, "accepted"));
  }

  @Test
  void memberStatusUpdateOfARowTheCallerMayNotSeeIsNotFoundBeforeThePolicy() {
    Image image = shared();
    // A reader-only member fails modify_member, but another member's row is looked up first.
    answers(RuleCode.MEMBER_NOT_FOUND, READER_A, image, Action.UPDATE_MEMBER_STATUS,
        ActionArgs.memberStatus(B, "accepted"),
        () -> f.sharing().updateMemberStatus(READER_A, image.id(), B, "accepted"));
  }

  @Test
  void memberStatusUpdateOfAnAbsentRowIsNotFoundBeforeTheStatusValue() {
    Image image = shared();
    answers(RuleCode.MEMBER_NOT_FOUND, OWNER, image, Action.UPDATE_MEMBER_STATUS,
        ActionArgs.memberStatus(C, "bogus"),
        () -> f.sharing().updateMemberStatus(OWNER, image.id(), C, "bogus"));
  }

  @Test
  void memberStatusPolicyIsCheckedBeforeTheStatusValue() {
    Image image = shared();
    answers(RuleCode.POLICY_DENIED, OWNER, image, Action.UPDATE_MEMBER_STATUS,
        ActionArgs.memberStatus(A, "bogus"),
        () -> f.sharing().updateMemberStatus(OWNER, image.id(), A, "bogus"));
  }

  @Test
  void memberStatusValueIsCheckedLast() {
    Image image = shared();
    answers(StoreErrorCode.INVALID_VALUE, MEMBER_A, image, Action.UPDATE_MEMBER_STATUS,
        ActionArgs.memberStatus(A, "bogus"),
        () -> f.sharing().updateMemberStatus(MEMBER_A, image.id(), A, "bogus"));
    assertThat(f.sharing().getMember(MEMBER_A, image.id(), A).status())
        .isEqualTo(MemberStatus.PENDING);
  }

  @Test
  void legacyOwnerStatusUpdateOnUnsharedImageIsForbiddenAsUnsharedFirst() {
    f = new Fixtures(GovernanceConfig.legacyPolicyMode());
    Image image = image(ImageStatus.ACTIVE, Visibility.PRIVATE, false);
    answers(RuleCode.NOT_SHARED, OWNER, image, Action.UPDATE_MEMBER_STATUS,
        ActionArgs.memberStatus(A, "accepted"),
        () -> f.sharing().updateMemberStatus(OWNER, image.id(), A, "accepted"));
  }

  @Test
  void legacyOwnerCannotUpdateAStatusBeforeTheRowIsLookedUp() {
    f = new Fixtures(GovernanceConfig.legacyPolicyMode());
    Image image = shared();
    answers(RuleCode.POLICY_DENIED, OWNER, image, Action.UPDATE_MEMBER_STATUS,
        ActionArgs.memberStatus(C, "accepted"),
        () -> f.sharing().updateMemberStatus(OWNER, image.id(), C, "accepted"));
  }

  // ------------------------------------------------------------------------ member removal

  @Test
  void memberRemovalOnUnsharedImageIsForbiddenBeforeTheRowIsLookedUp() {
    Image image = image(ImageStatus.ACTIVE, Visibility.PUBLIC, false);
    answers(RuleCode.NOT_SHARED, OWNER, image, Action.REMOVE_MEMBER, ActionArgs.member(C),
        () -> f.sharing().removeMember(OWNER, image.id(), C));
  }

  @Test
  void memberRemovalLooksTheRowUpBeforeThePolicy() {
    Image image = shared();
    // delete_member denies a member, but another member's row is not found for it first.
    answers(RuleCode.MEMBER_NOT_FOUND, MEMBER_A, image, Action.REMOVE_MEMBER,
        ActionArgs.member(B), () -> f.sharing().removeMember(MEMBER_A, image.id(), B));
    answers(RuleCode.POLICY_DENIED, MEMBER_A, image, Action.REMOVE_MEMBER,
        ActionArgs.member(A), () -> f.sharing().removeMember(MEMBER_A, image.id(), A));
  }

  @Test
  void legacyNonOwnerMemberRemovalIsForbiddenBeforeTheRowIsLookedUp() {
    f = new Fixtures(GovernanceConfig.legacyPolicyMode());
    Image image = shared();
    answers(RuleCode.POLICY_DENIED, MEMBER_A, image, Action.REMOVE_MEMBER,
        ActionArgs.member(C), () -> f.sharing().removeMember(MEMBER_A, image.id(), C));
  }

  // ------------------------------------------------------------------------ adding members

  @Test
  void malformedMemberIdIsRefusedBeforeTheImageIsLookedUp() {
    Image image = image(ImageStatus.ACTIVE, Visibility.PRIVATE, false);
    answers(StoreErrorCode.INVALID_VALUE, OUTSIDER, image, Action.ADD_MEMBER, ActionArgs.member(""),
        () -> f.sharing().addMember(OUTSIDER, image.id(), ""));
  }

  @Test
  void addingAMemberToAnUnsharedImageIsForbiddenBeforeThePolicy() {
    Image image = image(ImageStatus.ACTIVE, Visibility.PUBLIC, false);
    answers(RuleCode.NOT_SHARED, OUTSIDER, image, Action.ADD_MEMBER,
        ActionArgs.member("newcomer"), () -> f.sharing().addMember(OUTSIDER, image.id(), "newcomer"));
  }

  @Test
  void addMemberPolicyIsCheckedBeforeTheMemberQuota() {
    f = new Fixtures(GovernanceConfig.builder().imageMemberQuota(1).build());
    Image image = shared();
    answers(RuleCode.POLICY_DENIED, OWNER_READER, image, Action.ADD_MEMBER,
        ActionArgs.member("newcomer"),
        () -> f.sharing().addMember(OWNER_READER, image.id(), "newcomer"));
  }

  @Test
  void memberQuotaIsCheckedBeforeDuplicatesAndExplainSaysSo() {
    f = new Fixtures(GovernanceConfig.builder().imageMemberQuota(2).build());
    Image image = shared();
    answers(RuleCode.MEMBER_QUOTA_EXCEEDED, OWNER, image, Action.ADD_MEMBER,
        ActionArgs.member(A), () -> f.sharing().addMember(OWNER, image.id(), A));
    answers(RuleCode.MEMBER_QUOTA_EXCEEDED, OWNER, image, Action.ADD_MEMBER,
        ActionArgs.defaults(), () -> f.sharing().addMember(OWNER, image.id(), "newcomer"));
  }

  // ------------------------------------------------------------------- listing and showing

  @Test
  void listingMembersOfAnUnsharedImageIsForbiddenBeforeThePolicy() {
    Image image = image(ImageStatus.ACTIVE, Visibility.COMMUNITY, false);
    answers(RuleCode.NOT_SHARED, Caller.of("outsider"), image, Action.LIST_MEMBERS,
        ActionArgs.defaults(), () -> f.sharing().listMembers(Caller.of("outsider"), image.id()));
  }

  @Test
  void showingAMembershipAnswersEveryRefusalAsNotFound() {
    Image image = image(ImageStatus.ACTIVE, Visibility.PUBLIC, false);
    answers(RuleCode.MEMBER_NOT_FOUND, OWNER, image, Action.GET_MEMBER, ActionArgs.member(A),
        () -> f.sharing().getMember(OWNER, image.id(), A));
  }

  // ------------------------------------------------------------------------ image actions

  @Test
  void deactivatePolicyIsCheckedBeforeTheStatus() {
    Image image = image(ImageStatus.QUEUED, Visibility.PUBLIC, false);
    answers(RuleCode.POLICY_DENIED, OUTSIDER, image, Action.DEACTIVATE, ActionArgs.defaults(),
        () -> f.images().deactivate(OUTSIDER, image.id()));
  }

  @Test
  void deactivatingAQueuedImageIsForbiddenAndExplainSaysSo() {
    Image image = image(ImageStatus.QUEUED, Visibility.PRIVATE, false);
    answers(RuleCode.STATUS_FORBIDS, OWNER, image, Action.DEACTIVATE, ActionArgs.defaults(),
        () -> f.images().deactivate(OWNER, image.id()));
  }

  @Test
  void reactivatePolicyIsCheckedBeforeTheStatus() {
    Image image = image(ImageStatus.QUEUED, Visibility.PRIVATE, false);
    answers(RuleCode.POLICY_DENIED, OWNER_READER, image, Action.REACTIVATE,
        ActionArgs.defaults(), () -> f.images().reactivate(OWNER_READER, image.id()));
  }

  @Test
  void deletePolicyIsCheckedBeforeProtection() {
    Image image = image(ImageStatus.ACTIVE, Visibility.PUBLIC, true);
    answers(RuleCode.POLICY_DENIED, OUTSIDER, image, Action.DELETE, ActionArgs.defaults(),
        () -> f.images().delete(OUTSIDER, image.id()));
    answers(RuleCode.IMAGE_PROTECTED, OWNER, image, Action.DELETE, ActionArgs.defaults(),
        () -> f.images().delete(OWNER, image.id()));
  }

  @Test
  void downloadPolicyIsCheckedBeforeTheDeactivatedState() {
    Image image = image(ImageStatus.DEACTIVATED, Visibility.PRIVATE, false);
    answers(RuleCode.POLICY_DENIED, OWNER_READER, image, Action.DOWNLOAD, ActionArgs.defaults(),
        () -> f.governance.access().authorizeDownload(OWNER_READER, image.id()));
    answers(RuleCode.STATUS_FORBIDS, OWNER, image, Action.DOWNLOAD, ActionArgs.defaults(),
        () -> f.governance.access().authorizeDownload(OWNER, image.id()));
  }

  @Test
  void publicizeRuleIsCheckedBeforeModifyImage() {
    Image image = image(ImageStatus.ACTIVE, Visibility.PRIVATE, false);
    AccessExplanation why = f.governance.access().explain(OWNER_READER, image.id(),
        Action.PUBLICIZE);
    answers(RuleCode.POLICY_DENIED, OWNER_READER, image, Action.PUBLICIZE,
        ActionArgs.defaults(),
        () -> f.images().setVisibility(OWNER_READER, image.id(), Visibility.PUBLIC));
    assertThat(why.refusal()).hasValueSatisfying(m -> assertThat(m).contains("publicize_image"));
    assertThatThrownBy(() -> f.images().setVisibility(OWNER_READER, image.id(), Visibility.PUBLIC))
        .hasMessageContaining("publicize_image");
  }

  @Test
  void lookupIsCheckedBeforeEveryPolicy() {
    Image image = image(ImageStatus.ACTIVE, Visibility.PRIVATE, true);
    for (Action action : Action.values()) {
      AccessExplanation why = f.governance.access().explain(OUTSIDER, image.id(), action,
          action == Action.ADD_MEMBER ? ActionArgs.member("newcomer") : ActionArgs.member(A));
      assertThat(why.status()).as("%s%n%s", action, why.render()).isEqualTo(404);
      assertThat(why.decisions()).as("%s evaluates no rule for an invisible image", action)
          .isEmpty();
    }
  }
}
