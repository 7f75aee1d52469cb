package dev.imagegov;

import static dev.imagegov.Fixtures.ADMIN;
import static dev.imagegov.Fixtures.CONSUMER_A;
import static dev.imagegov.Fixtures.CONSUMER_B;
import static dev.imagegov.Fixtures.OUTSIDER;
import static dev.imagegov.Fixtures.PRODUCER;
import static dev.imagegov.Fixtures.PRODUCER_READER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegov.access.Caller;
import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.Member;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** One test per rule of the reference's member section (§4) and its test vectors (§14). */
class MemberRulesTest {
  private static final ProjectId A = ProjectId.of("consumer-a");
  private static final ProjectId B = ProjectId.of("consumer-b");

  private final Fixtures f = new Fixtures();
  private final ImageId id = f.create(PRODUCER, "golden", Visibility.SHARED).id();

  // §4.2 add

  @Test
  void addedMemberStartsPending() {
    Member m = f.sharing().addMember(PRODUCER, id, "consumer-a");
    assertThat(m.status()).isEqualTo(MemberStatus.PENDING);
    assertThat(m.project()).isEqualTo(A);
    assertThat(m.imageId()).isEqualTo(id);
  }

  @Test
  void emptyMemberIdIsRejected() {
    Expect.fails(StoreErrorCode.INVALID_VALUE, () -> f.sharing().addMember(PRODUCER, id, ""));
  }

  @Test
  void fourByteMemberIdIsRejected() {
    Expect.fails(
        StoreErrorCode.INVALID_VALUE, () -> f.sharing().addMember(PRODUCER, id, "proj\uD83D\uDE00"));
    assertThat(f.sharing().listMembers(PRODUCER, id)).isEmpty();
  }

  @Test
  void duplicateMemberIsConflict() {
    f.sharing().addMember(PRODUCER, id, "consumer-a");
    Expect.fails(RuleCode.DUPLICATE_MEMBER, () -> f.sharing().addMember(PRODUCER, id, "consumer-a"));
  }

  @Test
  void ownerCanAddItsOwnProjectAsMember() {
    assertThat(f.sharing().addMember(PRODUCER, id, "producer").status())
        .isEqualTo(MemberStatus.PENDING);
  }

  @Test
  void outsiderAddingMemberToInvisibleImageGetsNotFound() {
    Expect.notFound(() -> f.sharing().addMember(OUTSIDER, id, "outsider"));
  }

  @Test
  void memberCannotAddMembers() {
    f.sharing().addMember(PRODUCER, id, "consumer-a");
    Expect.fails(RuleCode.POLICY_DENIED, () -> f.sharing().addMember(CONSUMER_A, id, "consumer-b"));
  }

  @Test
  void readerOfOwnerProjectCannotAddMembers() {
    Expect.fails(
        RuleCode.POLICY_DENIED, () -> f.sharing().addMember(PRODUCER_READER, id, "consumer-a"));
  }

  @Test
  void adminCanAddMembersToAnyProjectsImage() {
    assertThat(f.sharing().addMember(ADMIN, id, "consumer-a").status())
        .isEqualTo(MemberStatus.PENDING);
  }

  // §4.5 quota

  @Test
  void memberQuotaIsEnforced() {
    Fixtures ten = new Fixtures(GovernanceConfig.builder().imageMemberQuota(10).build());
    ImageId image = ten.create(PRODUCER, "golden", Visibility.SHARED).id();
    for (int i = 0; i < 10; i++) {
      ten.sharing().addMember(PRODUCER, image, "p" + i);
    }
    Expect.fails(
        RuleCode.MEMBER_QUOTA_EXCEEDED, () -> ten.sharing().addMember(PRODUCER, image, "p10"));
    assertThat(ten.sharing().listMembers(PRODUCER, image)).hasSize(10);
  }

  @Test
  void memberQuotaZeroRefusesTheFirstMember() {
    Fixtures zero = new Fixtures(GovernanceConfig.builder().imageMemberQuota(0).build());
    ImageId image = zero.create(PRODUCER, "golden", Visibility.SHARED).id();
    Expect.fails(
        RuleCode.MEMBER_QUOTA_EXCEEDED, () -> zero.sharing().addMember(PRODUCER, image, "p"));
  }

  @Test
  void negativeMemberQuotaIsUnlimited() {
    Fixtures unlimited = new Fixtures(GovernanceConfig.builder().imageMemberQuota(-1).build());
    ImageId image = unlimited.create(PRODUCER, "golden", Visibility.SHARED).id();
    for (int i = 0; i < 200; i++) {
      unlimited.sharing().addMember(PRODUCER, image, "p" + i);
    }
    assertThat(unlimited.sharing().listMembers(PRODUCER, image)).hasSize(200);
  }

  @Test
  void quotaIsCheckedBeforeDuplicates() {
    Fixtures one = new Fixtures(GovernanceConfig.builder().imageMemberQuota(1).build());
    ImageId image = one.create(PRODUCER, "golden", Visibility.SHARED).id();
    one.sharing().addMember(PRODUCER, image, "p");
    Expect.fails(RuleCode.MEMBER_QUOTA_EXCEEDED, () -> one.sharing().addMember(PRODUCER, image, "p"));
  }

  // §4.3 list / show

  @Test
  void ownerSeesEveryMember() {
    f.sharing().addMember(PRODUCER, id, "consumer-a");
    f.sharing().addMember(PRODUCER, id, "consumer-b");
    assertThat(f.sharing().listMembers(PRODUCER, id).stream().map(Member::project))
        .containsExactly(A, B);
    assertThat(f.sharing().listMembers(ADMIN, id)).hasSize(2);
  }

  @Test
  void memberSeesOnlyItself() {
    f.sharing().addMember(PRODUCER, id, "consumer-a");
    f.sharing().addMember(PRODUCER, id, "consumer-b");
    assertThat(f.sharing().listMembers(CONSUMER_B, id).stream().map(Member::project))
        .containsExactly(B);
  }

  @Test
  void memberCannotSeeAnotherMembersRow() {
    f.sharing().addMember(PRODUCER, id, "consumer-a");
    f.sharing().addMember(PRODUCER, id, "consumer-b");
    Expect.fails(RuleCode.MEMBER_NOT_FOUND, () -> f.sharing().getMember(CONSUMER_A, id, B));
  }

  @Test
  void outsiderLearnsNothing() {
    f.sharing().addMember(PRODUCER, id, "consumer-a");
    Expect.notFound(() -> f.sharing().listMembers(OUTSIDER, id));
    Expect.fails(RuleCode.MEMBER_NOT_FOUND, () -> f.sharing().getMember(OUTSIDER, id, A));
    Expect.notFound(() -> f.sharing().removeMember(OUTSIDER, id, A));
    Expect.notFound(
        () -> f.sharing().updateMemberStatus(OUTSIDER, id, A, MemberStatus.ACCEPTED));
  }

  @Test
  void ownerAndMemberCanShowTheMembership() {
    f.sharing().addMember(PRODUCER, id, "consumer-a");
    assertThat(f.sharing().getMember(PRODUCER, id, A).status()).isEqualTo(MemberStatus.PENDING);
    assertThat(f.sharing().getMember(CONSUMER_A, id, A).status()).isEqualTo(MemberStatus.PENDING);
  }

  // §4.3 update status

  @Test
  void ownerCannotChangeAMembersStatus() {
    f.sharing().addMember(PRODUCER, id, "consumer-a");
    Expect.fails(
        RuleCode.POLICY_DENIED,
        () -> f.sharing().updateMemberStatus(PRODUCER, id, A, MemberStatus.ACCEPTED));
    assertThat(f.sharing().getMember(PRODUCER, id, A).status()).isEqualTo(MemberStatus.PENDING);
  }

  @Test
  void memberMovesItsOwnStatusAmongAllThreeAndBackToPending() {
    f.sharing().addMember(PRODUCER, id, "consumer-a");
    for (MemberStatus s :
        new MemberStatus[] {
          MemberStatus.ACCEPTED, MemberStatus.REJECTED, MemberStatus.PENDING,
          MemberStatus.REJECTED, MemberStatus.ACCEPTED, MemberStatus.PENDING
        }) {
      assertThat(f.sharing().updateMemberStatus(CONSUMER_A, id, A, s).status()).isEqualTo(s);
    }
  }

  @Test
  void invalidStatusValueIsBadRequest() {
    f.sharing().addMember(PRODUCER, id, "consumer-a");
    Expect.fails(
        StoreErrorCode.INVALID_VALUE, () -> f.sharing().updateMemberStatus(CONSUMER_A, id, A, "maybe"));
  }

  @Test
  void memberCannotChangeAnotherMembersStatus() {
    f.sharing().addMember(PRODUCER, id, "consumer-a");
    f.sharing().addMember(PRODUCER, id, "consumer-b");
    Expect.fails(
        RuleCode.MEMBER_NOT_FOUND,
        () -> f.sharing().updateMemberStatus(CONSUMER_A, id, B, MemberStatus.ACCEPTED));
  }

  @Test
  void readerOnlyMemberCannotChangeItsStatus() {
    f.sharing().addMember(PRODUCER, id, "consumer-a");
    Expect.fails(
        RuleCode.POLICY_DENIED,
        () ->
            f.sharing()
                .updateMemberStatus(Caller.reader("consumer-a"), id, A, MemberStatus.ACCEPTED));
  }

  @Test
  void adminCanSetAnyMembersStatus() {
    f.sharing().addMember(PRODUCER, id, "consumer-a");
    assertThat(f.sharing().updateMemberStatus(ADMIN, id, A, MemberStatus.ACCEPTED).status())
        .isEqualTo(MemberStatus.ACCEPTED);
  }

  // §4.3 delete

  @Test
  void memberCannotRemoveItsOwnMembership() {
    f.sharing().addMember(PRODUCER, id, "consumer-a");
    Expect.fails(RuleCode.POLICY_DENIED, () -> f.sharing().removeMember(CONSUMER_A, id, A));
  }

  @Test
  void ownerRemovesAMemberAndReAddingStartsPending() {
    f.sharing().addMember(PRODUCER, id, "consumer-a");
    f.sharing().updateMemberStatus(CONSUMER_A, id, A, MemberStatus.ACCEPTED);
    f.sharing().removeMember(PRODUCER, id, A);
    assertThat(f.sharing().listMembers(PRODUCER, id)).isEmpty();
    Expect.notFound(() -> f.images().get(CONSUMER_A, id));
    assertThat(f.sharing().addMember(PRODUCER, id, "consumer-a").status())
        .isEqualTo(MemberStatus.PENDING);
  }

  @Test
  void removingAnAbsentMemberIsNotFound() {
    Expect.fails(RuleCode.MEMBER_NOT_FOUND, () -> f.sharing().removeMember(PRODUCER, id, A));
  }

  // §4.4 status semantics and §14 vectors 1-4

  @Test
  void memberStatusGovernsListingOnly() {
    Fixtures m = new Fixtures();
    m.createFor("t1", "t1-public", Visibility.PUBLIC);
    m.createFor("t2", "t2-public", Visibility.PUBLIC);
    m.createFor("admin-project", "admin-public", Visibility.PUBLIC);
    Image shared = m.create(Caller.member("t1"), "t1-shared", Visibility.SHARED);
    m.create(Caller.member("t1"), "t1-private", Visibility.PRIVATE);
    m.create(Caller.member("t1"), "t1-community", Visibility.COMMUNITY);
    Caller t3 = Caller.member("t3");

    assertThat(m.listNames(Caller.member("t1"), "")).hasSize(6);
    assertThat(m.listNames(t3, "")).hasSize(3);

    m.sharing().addMember(Caller.member("t1"), shared.id(), "t3");
    assertThat(m.listNames(t3, "")).hasSize(3);
    assertThat(m.listNames(t3, "visibility=shared")).isEmpty();
    assertThat(m.listNames(t3, "member_status=pending")).hasSize(4);
    assertThat(m.listNames(t3, "member_status=all")).hasSize(4);
    assertThat(m.listNames(t3, "member_status=pending&visibility=shared")).containsExactly("t1-shared");
    assertThat(m.listNames(t3, "member_status=rejected&visibility=shared")).isEmpty();
    assertThat(m.images().get(t3, shared.id()).id()).isEqualTo(shared.id());

    m.sharing().updateMemberStatus(t3, shared.id(), ProjectId.of("t3"), MemberStatus.ACCEPTED);
    assertThat(m.listNames(t3, "")).hasSize(4);
  }

  @Test
  void memberStatusFilterHasNoEffectForAdmins() {
    f.sharing().addMember(PRODUCER, id, "consumer-a");
    assertThat(f.listIds(ADMIN, "member_status=rejected")).containsExactly(id);
  }

  @Test
  void everyMemberChangeEmitsOneEventAfterCommit() {
    f.events.clear();
    f.sharing().addMember(PRODUCER, id, "consumer-a");
    f.sharing().updateMemberStatus(CONSUMER_A, id, A, MemberStatus.ACCEPTED);
    f.sharing().removeMember(PRODUCER, id, A);
    Expect.fails(RuleCode.MEMBER_NOT_FOUND, () -> f.sharing().removeMember(PRODUCER, id, A));
    assertThat(f.events.stream().map(e -> e.getClass().getSimpleName()).collect(Collectors.toList()))
        .containsExactly("MemberAdded", "MemberStatusChanged", "MemberRemoved");
  }
}
