package dev.imagegov;

import static dev.imagegov.Fixtures.PRODUCER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegov.access.Action;
import dev.imagegov.access.ActionArgs;
import dev.imagegov.access.Caller;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.Member;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import dev.imagegov.query.ListExplanation;
import dev.imagegov.query.ListExplanation.Clause;
import dev.imagegov.query.ListRequest;
import dev.imagegov.sharing.MemoryTenancy;
import dev.imagegov.sharing.Tenant;
import dev.imagegov.sharing.TenancyFile;
import dev.imagegov.sharing.WhoCanUse;
import dev.imagegov.store.memory.MemoryCatalog;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Hierarchical sharing: an image shared with a parent project or a domain reaches every project
 * below it, each with its own status, computed from the directory at each call.
 *
 * <pre>
 * acme (domain)
 *   platform
 *     team-a
 *       team-a1
 *     team-b
 *   other
 * outsider (no domain)
 * </pre>
 */
class HierarchicalSharingRulesTest {
  private static final ProjectId ACME = ProjectId.of("acme");
  private static final ProjectId PLATFORM = ProjectId.of("platform");
  private static final ProjectId TEAM_A = ProjectId.of("team-a");
  private static final ProjectId TEAM_A1 = ProjectId.of("team-a1");
  private static final ProjectId TEAM_B = ProjectId.of("team-b");
  private static final ProjectId OTHER = ProjectId.of("other");
  private static final Caller AS_PLATFORM = Caller.member("platform");
  private static final Caller AS_TEAM_A = Caller.member("team-a");
  private static final Caller AS_TEAM_A1 = Caller.member("team-a1");
  private static final Caller AS_TEAM_B = Caller.member("team-b");
  private static final Caller AS_OTHER = Caller.member("other");
  private static final Caller AS_OUTSIDER = Caller.member("outsider");

  private final MemoryTenancy tenancy =
      MemoryTenancy.builder()
          .domain(ACME)
          .project(PLATFORM, null, ACME)
          .project(TEAM_A, PLATFORM, ACME)
          .project(TEAM_A1, TEAM_A, ACME)
          .project(TEAM_B, PLATFORM, ACME)
          .project(OTHER, null, ACME)
          .project(ProjectId.of("outsider"))
          .project(ProjectId.of("producer"))
          .build();

  private ImageGovernance governance = governance(GovernanceConfig.defaults());
  private ImageId id = golden();

  private ImageGovernance governance(GovernanceConfig config) {
    return ImageGovernance.builder()
        .catalog(new MemoryCatalog())
        .config(config)
        .clock(new TickingClock())
        .tenancy(tenancy)
        .build();
  }

  private ImageId golden() {
    return governance.images()
        .create(PRODUCER, NewImage.builder().name("golden").visibility(Visibility.SHARED).build())
        .id();
  }

  private List<ImageId> list(Caller caller, String query) {
    return governance.images().list(caller, ListRequest.parse(query)).images().stream()
        .map(i -> i.id())
        .collect(Collectors.toList());
  }

  private boolean sees(Caller caller) {
    try {
      governance.images().get(caller, id);
      return true;
    } catch (dev.imagegov.error.GovernanceException e) {
      assertThat(e.code()).isEqualTo(dev.imagegov.error.StoreErrorCode.IMAGE_NOT_FOUND);
      return false;
    }
  }

  private Member own(Caller caller) {
    return governance.sharing().getMember(caller, id, caller.project().orElseThrow());
  }

  @Test
  void everyProjectBelowAParentMemberSeesTheImagePendingUntilItAnswers() {
    governance.sharing().addMember(PRODUCER, id, PLATFORM);

    assertThat(sees(AS_TEAM_A)).isTrue();
    assertThat(sees(AS_TEAM_A1)).isTrue();
    assertThat(sees(AS_TEAM_B)).isTrue();
    Member member = own(AS_TEAM_A1);
    assertThat(member.status()).isEqualTo(MemberStatus.PENDING);
    assertThat(member.via()).contains(PLATFORM);
    assertThat(list(AS_TEAM_A1, "")).as("Glance lists accepted members by default").isEmpty();
    assertThat(list(AS_TEAM_A1, "member_status=pending")).containsExactly(id);
  }

  @Test
  void aDescendantsAnswerIsItsOwn() {
    governance.sharing().addMember(PRODUCER, id, PLATFORM);

    Member accepted =
        governance.sharing().updateMemberStatus(AS_TEAM_A, id, TEAM_A, MemberStatus.ACCEPTED);

    assertThat(accepted.status()).isEqualTo(MemberStatus.ACCEPTED);
    assertThat(accepted.via()).contains(PLATFORM);
    assertThat(list(AS_TEAM_A, "")).containsExactly(id);
    assertThat(list(AS_TEAM_B, "")).as("a sibling has not answered").isEmpty();
    assertThat(list(AS_TEAM_A1, "")).as("a child of the one that accepted has not either").isEmpty();
    assertThat(own(AS_PLATFORM).status()).as("the group's own row is untouched")
        .isEqualTo(MemberStatus.PENDING);
    governance.sharing().updateMemberStatus(AS_TEAM_B, id, TEAM_B, MemberStatus.REJECTED);
    assertThat(list(AS_TEAM_B, "member_status=rejected")).containsExactly(id);
    assertThat(sees(AS_TEAM_B)).as("a rejected member still sees the image by id, as in Glance")
        .isTrue();
  }

  @Test
  void projectsOutsideTheSubtreeLearnNothing() {
    governance.sharing().addMember(PRODUCER, id, PLATFORM);

    for (Caller outside : List.of(AS_OTHER, AS_OUTSIDER)) {
      assertThat(sees(outside)).isFalse();
      assertThat(list(outside, "member_status=all")).isEmpty();
      Expect.notFound(() -> governance.sharing().listMembers(outside, id));
      Expect.fails(RuleCode.MEMBER_NOT_FOUND, () -> own(outside));
      Expect.notFound(() -> governance.sharing()
          .updateMemberStatus(outside, id, outside.project().orElseThrow(), MemberStatus.ACCEPTED));
    }
  }

  @Test
  void aDescendantCannotAnswerForAnother() {
    governance.sharing().addMember(PRODUCER, id, PLATFORM);

    Expect.fails(RuleCode.MEMBER_NOT_FOUND,
        () -> governance.sharing().updateMemberStatus(AS_TEAM_A, id, TEAM_B, MemberStatus.ACCEPTED));
    assertThat(own(AS_TEAM_B).status()).isEqualTo(MemberStatus.PENDING);
  }

  @Test
  void aProjectMovedOutOfTheSubtreeLosesAccessAtOnce() {
    governance.sharing().addMember(PRODUCER, id, PLATFORM);
    governance.sharing().updateMemberStatus(AS_TEAM_A, id, TEAM_A, MemberStatus.ACCEPTED);
    assertThat(list(AS_TEAM_A1, "member_status=pending")).containsExactly(id);

    tenancy.put(new Tenant(TEAM_A, Optional.of(OTHER), Optional.of(ACME)));

    assertThat(sees(AS_TEAM_A)).isFalse();
    assertThat(sees(AS_TEAM_A1)).as("its subtree moved with it").isFalse();
    assertThat(list(AS_TEAM_A, "member_status=all")).isEmpty();
    Expect.fails(RuleCode.MEMBER_NOT_FOUND, () -> own(AS_TEAM_A));
    assertThat(governance.sharing().listMembers(PRODUCER, id)).extracting(Member::project)
        .doesNotContain(TEAM_A, TEAM_A1);

    tenancy.put(new Tenant(TEAM_A, Optional.of(PLATFORM), Optional.of(ACME)));
    assertThat(own(AS_TEAM_A).status()).as("back below the group, its answer counts again")
        .isEqualTo(MemberStatus.ACCEPTED);
  }

  @Test
  void aDomainMemberReachesEveryProjectOfTheDomain() {
    governance.sharing().addMember(PRODUCER, id, ACME);

    for (Caller inside : List.of(AS_PLATFORM, AS_TEAM_A1, AS_OTHER)) {
      assertThat(own(inside).via()).contains(ACME);
    }
    assertThat(sees(AS_OUTSIDER)).isFalse();
  }

  @Test
  void theGroupCountsAsOneMemberForTheMemberQuota() {
    governance = governance(GovernanceConfig.builder().imageMemberQuota(2).build());
    id = golden();
    governance.sharing().addMember(PRODUCER, id, PLATFORM);
    for (Caller c : List.of(AS_TEAM_A, AS_TEAM_A1, AS_TEAM_B)) {
      governance.sharing()
          .updateMemberStatus(c, id, c.project().orElseThrow(), MemberStatus.ACCEPTED);
    }

    governance.sharing().addMember(PRODUCER, id, OTHER);
    Expect.fails(RuleCode.MEMBER_QUOTA_EXCEEDED,
        () -> governance.sharing().addMember(PRODUCER, id, "outsider"));
  }

  @Test
  void withGroupMembersAcceptedAnUnansweredDescendantCountsAsAccepted() {
    governance = governance(GovernanceConfig.builder().groupMembersAccepted(true).build());
    id = golden();
    governance.sharing().addMember(PRODUCER, id, PLATFORM);

    assertThat(list(AS_TEAM_A1, "")).containsExactly(id);
    assertThat(own(AS_TEAM_A1).status()).isEqualTo(MemberStatus.ACCEPTED);
    assertThat(own(AS_PLATFORM).status()).as("the group itself was added as any member is")
        .isEqualTo(MemberStatus.PENDING);
    governance.sharing().updateMemberStatus(AS_TEAM_B, id, TEAM_B, MemberStatus.REJECTED);
    assertThat(list(AS_TEAM_B, "")).isEmpty();
  }

  @Test
  void theOwnerListsTheGroupAndEveryProjectBelowItWithItsOwnStatus() {
    governance.sharing().addMember(PRODUCER, id, PLATFORM);
    governance.sharing().updateMemberStatus(AS_TEAM_A, id, TEAM_A, MemberStatus.ACCEPTED);

    assertThat(governance.sharing().listMembers(PRODUCER, id))
        .extracting(Member::project, Member::status, m -> m.via().map(ProjectId::value).orElse(""))
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(PLATFORM, MemberStatus.PENDING, ""),
            org.assertj.core.groups.Tuple.tuple(TEAM_A, MemberStatus.ACCEPTED, "platform"),
            org.assertj.core.groups.Tuple.tuple(TEAM_A1, MemberStatus.PENDING, "platform"),
            org.assertj.core.groups.Tuple.tuple(TEAM_B, MemberStatus.PENDING, "platform"));
    assertThat(governance.sharing().listMembers(AS_TEAM_A, id))
        .as("a member sees only its own membership")
        .containsExactly(own(AS_TEAM_A));
    assertThat(governance.sharing().getMember(PRODUCER, id, TEAM_A)).isEqualTo(own(AS_TEAM_A));
  }

  @Test
  void removingTheGroupRemovesEveryAnswerToIt() {
    governance.sharing().addMember(PRODUCER, id, PLATFORM);
    governance.sharing().updateMemberStatus(AS_TEAM_A, id, TEAM_A, MemberStatus.ACCEPTED);

    governance.sharing().removeMember(PRODUCER, id, PLATFORM);

    assertThat(sees(AS_TEAM_A)).isFalse();
    assertThat(governance.sharing().listMembers(PRODUCER, id)).isEmpty();
    governance.sharing().addMember(PRODUCER, id, PLATFORM);
    assertThat(own(AS_TEAM_A).status()).as("re-adding starts again at pending")
        .isEqualTo(MemberStatus.PENDING);
  }

  @Test
  void aMembershipThroughAGroupIsRemovedWithTheGroupOnly() {
    governance.sharing().addMember(PRODUCER, id, PLATFORM);

    Expect.fails(RuleCode.GROUP_MEMBERSHIP,
        () -> governance.sharing().removeMember(PRODUCER, id, TEAM_A));
    assertThat(sees(AS_TEAM_A)).isTrue();
  }

  @Test
  void addingADescendantDirectlyMakesItADirectMemberThatSurvivesAMove() {
    governance.sharing().addMember(PRODUCER, id, PLATFORM);
    governance.sharing().updateMemberStatus(AS_TEAM_A, id, TEAM_A, MemberStatus.ACCEPTED);

    Member direct = governance.sharing().addMember(PRODUCER, id, TEAM_A);
    tenancy.put(new Tenant(TEAM_A, Optional.of(OTHER), Optional.of(ACME)));

    assertThat(direct.isDirect()).isTrue();
    assertThat(own(AS_TEAM_A)).isEqualTo(direct);
    Expect.fails(RuleCode.DUPLICATE_MEMBER,
        () -> governance.sharing().addMember(PRODUCER, id, TEAM_A));
  }

  /** The project, basis, status and group of each grant, as {@code project basis status via}. */
  private static List<String> grants(WhoCanUse who) {
    return who.grants().stream()
        .map(g -> g.project().map(ProjectId::value).orElse("*") + " " + g.basis().wireName() + " "
            + g.status().map(MemberStatus::wireName).orElse("-") + " "
            + g.via().map(ProjectId::value).orElse("-") + " " + (g.canUse() ? "use" : "no-use"))
        .collect(Collectors.toList());
  }

  @Test
  void whoCanUseListsEveryProjectBelowAGroupMemberWithItsOwnStatusViaTheGroup() {
    governance = governance(GovernanceConfig.builder().strictConsent(true).build());
    id = golden();
    governance.sharing().addMember(PRODUCER, id, PLATFORM);
    governance.sharing().updateMemberStatus(AS_TEAM_A, id, TEAM_A, MemberStatus.ACCEPTED);

    WhoCanUse who = governance.sharing().whoCanUse(PRODUCER, id);

    assertThat(grants(who)).containsExactly(
        "producer owner - - use",
        "* admin - - use",
        "platform member pending - no-use",
        "team-a group accepted platform use",
        "team-a1 group pending platform no-use",
        "team-b group pending platform no-use");
    assertThat(who.grants().get(3).why()).contains("via platform").contains("its own answer");
    assertThat(who.grants().get(4).why()).contains("not answered").contains("strict consent");
    assertThat(who.toJson()).contains("\"basis\" : \"group\"", "\"via\" : \"platform\"");
    assertThat(who.toMarkdown()).contains("| team-a | group | accepted | platform |");
  }

  @Test
  void whoCanUseDropsAProjectMovedOutOfTheSubtreeAtOnce() {
    governance.sharing().addMember(PRODUCER, id, PLATFORM);
    governance.sharing().updateMemberStatus(AS_TEAM_A, id, TEAM_A, MemberStatus.ACCEPTED);

    tenancy.put(new Tenant(TEAM_A, Optional.of(OTHER), Optional.of(ACME)));

    assertThat(grants(governance.sharing().whoCanUse(PRODUCER, id)))
        .as("team-a and its child moved away; team-a's stored answer grants nothing")
        .containsExactly("producer owner - - use", "* admin - - use",
            "platform member pending - use", "team-b group pending platform use");
  }

  @Test
  void whoCanUseReadsAGroupFromATenancyFileAndPrefersTheNearestGroup() {
    MemoryTenancy file = TenancyFile.parse(String.join("\n",
        "domains: [acme]",
        "projects:",
        "  producer:",
        "  platform: {domain: acme}",
        "  team-a: {parent: platform}",
        "  other: {domain: acme}",
        ""), "tenancy.yaml");
    governance = ImageGovernance.builder().catalog(new MemoryCatalog())
        .clock(new TickingClock()).tenancy(file).build();
    id = golden();
    governance.sharing().addMember(PRODUCER, id, ACME);
    governance.sharing().addMember(PRODUCER, id, PLATFORM);
    governance.sharing().updateMemberStatus(AS_OTHER, id, OTHER, MemberStatus.REJECTED);

    assertThat(grants(governance.sharing().whoCanUse(PRODUCER, id))).containsExactly(
        "producer owner - - use", "* admin - - use",
        "acme member pending - use",
        "other group rejected acme use",
        "platform member pending - use",
        "team-a group pending platform use");
  }

  /** The visibility step of {@code caller}'s explanation of a get of the golden image. */
  private dev.imagegov.access.CheckStep visibilityStep(Caller caller) {
    return governance.access().explain(caller, id, Action.GET).steps().stream()
        .filter(st -> st.kind() == dev.imagegov.access.CheckKind.VISIBILITY)
        .findFirst().orElseThrow();
  }

  @Test
  void explainNamesTheGroupThroughWhichAMembershipHolds() {
    governance.sharing().addMember(PRODUCER, id, PLATFORM);
    governance.sharing().addMember(PRODUCER, id, ACME);

    assertThat(visibilityStep(AS_TEAM_A1).via()).as("the nearest group").contains(PLATFORM);
    assertThat(visibilityStep(AS_TEAM_A1).detail()).contains("through platform");
    assertThat(visibilityStep(AS_OTHER).via()).contains(ACME);
    assertThat(visibilityStep(AS_PLATFORM).via()).as("a direct member").isEmpty();
    assertThat(visibilityStep(PRODUCER).via()).as("the owner").isEmpty();
    assertThat(visibilityStep(AS_OUTSIDER).passed()).isFalse();
    assertThat(visibilityStep(AS_OUTSIDER).via()).isEmpty();

    tenancy.put(new Tenant(TEAM_A1, Optional.of(OTHER), Optional.of(ACME)));
    assertThat(visibilityStep(AS_TEAM_A1).via()).as("moved below other: the domain now")
        .contains(ACME);
  }

  private ListExplanation explainList(Caller caller, String query) {
    ListExplanation e = governance.images().explainList(caller, id, ListRequest.parse(query));
    assertThat(e.appears()).as("agrees with the list").isEqualTo(list(caller, query).contains(id));
    return e;
  }

  @Test
  void explainListNamesTheGroupThroughWhichTheImageIsOrIsNotListed() {
    governance.sharing().addMember(PRODUCER, id, PLATFORM);

    ListExplanation pending = explainList(AS_TEAM_A1, "");
    assertThat(pending.clause()).isEqualTo(Clause.MEMBER_STATUS);
    assertThat(pending.via()).contains(PLATFORM);
    assertThat(pending.detail()).contains("pending", "through platform");
    assertThat(explainList(AS_TEAM_A1, "member_status=pending").clause()).isEqualTo(Clause.LISTED);
    assertThat(explainList(AS_TEAM_A1, "member_status=pending").via()).contains(PLATFORM);

    governance.sharing().updateMemberStatus(AS_TEAM_A1, id, TEAM_A1, MemberStatus.ACCEPTED);
    ListExplanation accepted = explainList(AS_TEAM_A1, "");
    assertThat(accepted.clause()).isEqualTo(Clause.LISTED);
    assertThat(accepted.via()).contains(PLATFORM);
    assertThat(accepted.detail()).contains("through platform");

    governance.sharing().updateMemberStatus(AS_TEAM_B, id, TEAM_B, MemberStatus.REJECTED);
    ListExplanation rejected = explainList(AS_TEAM_B, "member_status=accepted");
    assertThat(rejected.clause()).isEqualTo(Clause.MEMBER_STATUS);
    assertThat(rejected.detail()).contains("rejected", "through platform");
    assertThat(explainList(AS_TEAM_B, "member_status=rejected").via()).contains(PLATFORM);

    assertThat(explainList(AS_PLATFORM, "member_status=pending").via()).as("a direct member")
        .isEmpty();
    assertThat(explainList(PRODUCER, "").via()).as("the owner").isEmpty();
    assertThat(explainList(AS_OTHER, "").clause()).isEqualTo(Clause.NOT_VISIBLE);

    tenancy.put(new Tenant(TEAM_A1, Optional.of(OTHER), Optional.of(ACME)));
    ListExplanation moved = explainList(AS_TEAM_A1, "member_status=all");
    assertThat(moved.clause()).as("moved out of the subtree: no member any more")
        .isEqualTo(Clause.NOT_VISIBLE);
    assertThat(moved.via()).isEmpty();
    assertThat(moved.detail()).doesNotContain("platform");

    governance.sharing().addMember(PRODUCER, id, ACME);
    ListExplanation viaDomain = explainList(AS_TEAM_A1, "");
    assertThat(viaDomain.clause()).as("the domain's offer is unanswered")
        .isEqualTo(Clause.MEMBER_STATUS);
    assertThat(viaDomain.via()).contains(ACME);
    assertThat(explainList(AS_TEAM_A, "").via()).as("the nearest group").contains(PLATFORM);
  }

  @Test
  void explainAgreesWithTheOperations() {
    governance.sharing().addMember(PRODUCER, id, PLATFORM);

    ActionArgs accept = ActionArgs.memberStatus(TEAM_A1, "accepted");
    assertThat(governance.access().explain(AS_TEAM_A1, id, Action.UPDATE_MEMBER_STATUS, accept)
        .allowed()).isTrue();
    assertThat(governance.access().explain(AS_TEAM_A1, id, Action.GET).allowed()).isTrue();
    assertThat(governance.access().explain(AS_OTHER, id, Action.GET).allowed()).isFalse();
    assertThat(governance.access().explain(PRODUCER, id, Action.REMOVE_MEMBER,
        ActionArgs.member(TEAM_A1)).allowed()).isFalse();
    assertThat(governance.access().explain(PRODUCER, id, Action.REMOVE_MEMBER,
        ActionArgs.member(PLATFORM)).allowed()).isTrue();
  }
}
