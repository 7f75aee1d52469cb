package dev.imagegov;

import static dev.imagegov.Fixtures.ADMIN;
import static dev.imagegov.Fixtures.CONSUMER_A;
import static dev.imagegov.Fixtures.CONSUMER_B;
import static dev.imagegov.Fixtures.CONSUMER_C;
import static dev.imagegov.Fixtures.OUTSIDER;
import static dev.imagegov.Fixtures.PRODUCER;
import static dev.imagegov.Fixtures.PRODUCER_READER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegov.access.Caller;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import org.junit.jupiter.api.Test;

/** One test per rule of the reference's visibility section (§3). */
class VisibilityRulesTest {
  private final Fixtures f = new Fixtures();

  private ImageId sharedWithThree() {
    Image image = f.create(PRODUCER, "golden", Visibility.SHARED);
    f.sharing().addMember(PRODUCER, image.id(), "consumer-a");
    f.sharing().addMember(PRODUCER, image.id(), "consumer-b");
    f.sharing().addMember(PRODUCER, image.id(), "consumer-c");
    f.sharing()
        .updateMemberStatus(CONSUMER_A, image.id(), ProjectId.of("consumer-a"), MemberStatus.ACCEPTED);
    f.sharing()
        .updateMemberStatus(CONSUMER_B, image.id(), ProjectId.of("consumer-b"), MemberStatus.REJECTED);
    return image.id();
  }

  // §3.1 values and meaning

  @Test
  void defaultVisibilityIsShared() {
    Image image = f.images().create(PRODUCER, NewImage.builder().name("x").build());
    assertThat(image.visibility()).isEqualTo(Visibility.SHARED);
  }

  @Test
  void publicImageIsVisibleToEveryoneById() {
    Image image = f.create(ADMIN, "pub", Visibility.PUBLIC);
    assertThat(f.images().get(OUTSIDER, image.id()).id()).isEqualTo(image.id());
    assertThat(f.images().get(Caller.reader("anyone"), image.id()).id()).isEqualTo(image.id());
  }

  @Test
  void publicImageIsListedForEveryone() {
    f.create(ADMIN, "pub", Visibility.PUBLIC);
    assertThat(f.listNames(OUTSIDER, "")).containsExactly("pub");
  }

  @Test
  void communityImageIsVisibleToEveryoneById() {
    Image image = f.create(PRODUCER, "comm", Visibility.COMMUNITY);
    assertThat(f.images().get(OUTSIDER, image.id()).name()).contains("comm");
  }

  @Test
  void communityImageIsNotListedByDefaultForNonOwners() {
    f.create(PRODUCER, "comm", Visibility.COMMUNITY);
    assertThat(f.listNames(OUTSIDER, "")).isEmpty();
  }

  @Test
  void communityImageIsListedForItsOwnerByDefault() {
    f.create(PRODUCER, "comm", Visibility.COMMUNITY);
    assertThat(f.listNames(PRODUCER, "")).containsExactly("comm");
  }

  @Test
  void communityImageIsListedWhenAskedFor() {
    f.create(PRODUCER, "comm", Visibility.COMMUNITY);
    assertThat(f.listNames(OUTSIDER, "visibility=community")).containsExactly("comm");
    assertThat(f.listNames(OUTSIDER, "visibility=all")).containsExactly("comm");
  }

  @Test
  void sharedImageIsVisibleByIdToMembersOfAnyStatus() {
    ImageId id = sharedWithThree();
    assertThat(f.images().get(CONSUMER_A, id).id()).isEqualTo(id);
    assertThat(f.images().get(CONSUMER_B, id).id()).isEqualTo(id);
    assertThat(f.images().get(CONSUMER_C, id).id()).isEqualTo(id);
    Expect.notFound(() -> f.images().get(OUTSIDER, id));
  }

  @Test
  void sharedImageIsListedOnlyForAcceptedMembersByDefault() {
    sharedWithThree();
    assertThat(f.listNames(CONSUMER_A, "")).containsExactly("golden");
    assertThat(f.listNames(CONSUMER_B, "")).isEmpty();
    assertThat(f.listNames(CONSUMER_C, "")).isEmpty();
    assertThat(f.listNames(OUTSIDER, "")).isEmpty();
  }

  @Test
  void privateImageIsVisibleOnlyToOwnerAndAdmins() {
    Image image = f.create(PRODUCER, "priv", Visibility.PRIVATE);
    assertThat(f.images().get(PRODUCER, image.id()).id()).isEqualTo(image.id());
    assertThat(f.images().get(ADMIN, image.id()).id()).isEqualTo(image.id());
    Expect.notFound(() -> f.images().get(OUTSIDER, image.id()));
  }

  @Test
  void sharedImageWithoutMembersBehavesLikePrivate() {
    Image image = f.create(PRODUCER, "lonely", Visibility.SHARED);
    Expect.notFound(() -> f.images().get(OUTSIDER, image.id()));
    assertThat(f.listNames(OUTSIDER, "visibility=all")).isEmpty();
  }

  @Test
  void onlySharedImagesCanHaveMembers() {
    for (Visibility v : new Visibility[] {Visibility.PUBLIC, Visibility.COMMUNITY, Visibility.PRIVATE}) {
      Image image = f.createFor("producer", "x-" + v, v);
      Expect.fails(RuleCode.NOT_SHARED, () -> f.sharing().addMember(PRODUCER, image.id(), "consumer-a"));
    }
  }

  // §3.2 who may set each value

  @Test
  void onlyAdminCanCreatePublicImage() {
    Expect.fails(
        RuleCode.POLICY_DENIED,
        () -> f.images().create(PRODUCER, NewImage.builder().visibility(Visibility.PUBLIC).build()));
    assertThat(f.create(ADMIN, "pub", Visibility.PUBLIC).visibility()).isEqualTo(Visibility.PUBLIC);
  }

  @Test
  void onlyAdminCanMakeImagePublic() {
    Image image = f.create(PRODUCER, "golden", Visibility.SHARED);
    Expect.fails(
        RuleCode.POLICY_DENIED,
        () -> f.images().setVisibility(PRODUCER, image.id(), Visibility.PUBLIC));
    assertThat(f.images().get(PRODUCER, image.id()).visibility()).isEqualTo(Visibility.SHARED);
    assertThat(f.images().setVisibility(ADMIN, image.id(), Visibility.PUBLIC).visibility())
        .isEqualTo(Visibility.PUBLIC);
  }

  @Test
  void settingPublicAgainStillNeedsAdmin() {
    Image image = f.createFor("producer", "pub", Visibility.PUBLIC);
    Expect.fails(
        RuleCode.POLICY_DENIED,
        () -> f.images().setVisibility(PRODUCER, image.id(), Visibility.PUBLIC));
  }

  @Test
  void leavingPublicNeedsOnlyModify() {
    Image image = f.createFor("producer", "pub", Visibility.PUBLIC);
    assertThat(f.images().setVisibility(PRODUCER, image.id(), Visibility.PRIVATE).visibility())
        .isEqualTo(Visibility.PRIVATE);
  }

  @Test
  void ownerProjectMemberCanMakeImageCommunity() {
    Image image = f.create(PRODUCER, "golden", Visibility.PRIVATE);
    assertThat(f.images().setVisibility(PRODUCER, image.id(), Visibility.COMMUNITY).visibility())
        .isEqualTo(Visibility.COMMUNITY);
  }

  @Test
  void ownerProjectMemberCanSetSharedAndPrivate() {
    Image image = f.create(PRODUCER, "golden", Visibility.PRIVATE);
    assertThat(f.images().setVisibility(PRODUCER, image.id(), Visibility.SHARED).visibility())
        .isEqualTo(Visibility.SHARED);
    assertThat(f.images().setVisibility(PRODUCER, image.id(), Visibility.PRIVATE).visibility())
        .isEqualTo(Visibility.PRIVATE);
  }

  @Test
  void readerOfOwnerProjectCannotChangeVisibility() {
    Image image = f.create(PRODUCER, "golden", Visibility.PRIVATE);
    Expect.fails(
        RuleCode.POLICY_DENIED,
        () -> f.images().setVisibility(PRODUCER_READER, image.id(), Visibility.SHARED));
  }

  @Test
  void outsiderChangingVisibilityOfInvisibleImageGetsNotFound() {
    Image image = f.create(PRODUCER, "golden", Visibility.PRIVATE);
    Expect.notFound(() -> f.images().setVisibility(OUTSIDER, image.id(), Visibility.SHARED));
  }

  @Test
  void nonOwnerWhoCanSeeTheImageGetsForbidden() {
    Image image = f.createFor("producer", "pub", Visibility.PUBLIC);
    Expect.fails(
        RuleCode.POLICY_DENIED,
        () -> f.images().setVisibility(OUTSIDER, image.id(), Visibility.PRIVATE));
  }

  // §3.3 effect of visibility changes on members

  @Test
  void visibilityChangeNeverTouchesMembers() {
    ImageId id = sharedWithThree();
    Image before = f.images().get(PRODUCER, id);
    f.images().setVisibility(PRODUCER, id, Visibility.PRIVATE);
    Image after = f.images().get(PRODUCER, id);
    assertThat(after.members()).isEqualTo(before.members());
  }

  @Test
  void membersLoseAccessWhileImageIsNotShared() {
    ImageId id = sharedWithThree();
    f.images().setVisibility(PRODUCER, id, Visibility.PRIVATE);
    Expect.notFound(() -> f.images().get(CONSUMER_A, id));
    Expect.notFound(() -> f.sharing().listMembers(CONSUMER_A, id));
    assertThat(f.listNames(CONSUMER_A, "member_status=all&visibility=all")).isEmpty();
  }

  @Test
  void ownerIsForbiddenMemberOperationsOnNonSharedImage() {
    ImageId id = sharedWithThree();
    f.images().setVisibility(PRODUCER, id, Visibility.PRIVATE);
    ProjectId a = ProjectId.of("consumer-a");
    Expect.fails(RuleCode.NOT_SHARED, () -> f.sharing().listMembers(PRODUCER, id));
    Expect.fails(RuleCode.NOT_SHARED, () -> f.sharing().addMember(PRODUCER, id, "consumer-d"));
    Expect.fails(RuleCode.NOT_SHARED, () -> f.sharing().removeMember(PRODUCER, id, a));
    Expect.fails(
        RuleCode.MEMBER_NOT_FOUND, () -> f.sharing().getMember(PRODUCER, id, a));
  }

  @Test
  void switchingBackToSharedRevivesMembersWithTheirStatus() {
    ImageId id = sharedWithThree();
    f.images().setVisibility(PRODUCER, id, Visibility.PRIVATE);
    f.images().setVisibility(PRODUCER, id, Visibility.SHARED);
    assertThat(f.images().get(CONSUMER_A, id).id()).isEqualTo(id);
    assertThat(f.sharing().getMember(CONSUMER_A, id, ProjectId.of("consumer-a")).status())
        .isEqualTo(MemberStatus.ACCEPTED);
    assertThat(f.listNames(CONSUMER_A, "")).containsExactly("golden");
  }

  // §3.4 by-id predicate

  @Test
  void adminSeesEveryImageById() {
    Image image = f.create(PRODUCER, "priv", Visibility.PRIVATE);
    assertThat(f.images().get(Caller.withoutProject("admin"), image.id()).id()).isEqualTo(image.id());
  }

  @Test
  void unownedImageIsVisibleToEveryoneByIdButNotListedNorMutable() {
    Image image = f.createFor("", "unowned", Visibility.SHARED);
    assertThat(image.owner()).isEmpty();
    assertThat(f.images().get(OUTSIDER, image.id()).id()).isEqualTo(image.id());
    assertThat(f.listNames(OUTSIDER, "visibility=all&member_status=all")).isEmpty();
    Expect.fails(
        RuleCode.POLICY_DENIED,
        () -> f.images().setVisibility(OUTSIDER, image.id(), Visibility.PRIVATE));
  }

  @Test
  void unownedPrivateImageIsVisibleByIdInLegacyModeOnly() {
    Image secure = f.createFor("", "unowned", Visibility.PRIVATE);
    Expect.notFound(() -> f.images().get(OUTSIDER, secure.id()));

    Fixtures legacy = new Fixtures(GovernanceConfig.legacyPolicyMode());
    Image image = legacy.createFor("", "unowned", Visibility.PRIVATE);
    assertThat(legacy.images().get(OUTSIDER, image.id()).id()).isEqualTo(image.id());
    assertThat(legacy.listNames(OUTSIDER, "visibility=all")).isEmpty();
    Expect.fails(
        RuleCode.POLICY_DENIED,
        () -> legacy.images().setVisibility(OUTSIDER, image.id(), Visibility.SHARED));
  }

  @Test
  void deletedImageIsNotFoundEvenForAdmins() {
    Image image = f.create(PRODUCER, "gone", Visibility.PRIVATE);
    f.images().delete(PRODUCER, image.id());
    Expect.notFound(() -> f.images().get(ADMIN, image.id()));
    Expect.notFound(() -> f.images().get(PRODUCER, image.id()));
  }

  @Test
  void memberSeesOnlyItsOwnMembershipInTheImage() {
    ImageId id = sharedWithThree();
    assertThat(f.images().get(CONSUMER_A, id).members().keySet())
        .containsExactly(ProjectId.of("consumer-a"));
    assertThat(f.images().get(PRODUCER, id).members()).hasSize(3);
  }

  // §3.5 download ("boot") permission

  @Test
  void pendingAndRejectedMembersCanStillBoot() {
    ImageId id = sharedWithThree();
    assertThat(f.governance.access().authorizeDownload(CONSUMER_B, id).id()).isEqualTo(id);
    assertThat(f.governance.access().authorizeDownload(CONSUMER_C, id).id()).isEqualTo(id);
    Expect.notFound(() -> f.governance.access().authorizeDownload(OUTSIDER, id));
  }

  @Test
  void readerCannotDownload() {
    Image image = f.createFor("producer", "pub", Visibility.PUBLIC);
    Expect.fails(
        RuleCode.POLICY_DENIED,
        () -> f.governance.access().authorizeDownload(Caller.reader("anyone"), image.id()));
  }
}
