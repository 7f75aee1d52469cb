package dev.imagegov;

import static dev.imagegov.Fixtures.ADMIN;
import static dev.imagegov.Fixtures.CONSUMER_A;
import static dev.imagegov.Fixtures.CONSUMER_B;
import static dev.imagegov.Fixtures.OUTSIDER;
import static dev.imagegov.Fixtures.PRODUCER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagegov.access.AccessExplanation;
import dev.imagegov.access.Action;
import dev.imagegov.access.CheckStep;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.events.GovernanceEvent;
import dev.imagegov.events.MemberRemoved;
import dev.imagegov.model.Image;
import dev.imagegov.model.Member;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import dev.imagegov.query.ListRequest;
import dev.imagegov.sharing.PendingOffer;
import dev.imagegov.sharing.WhoCanUse;
import dev.imagegov.store.memory.MemoryCatalog;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The share lifecycle (imagegov extensions): expiring memberships, strict consent, {@code
 * whoCanUse} and the report of offers left pending.
 */
final class ShareLifecycleRulesTest {
  private static final ProjectId A = ProjectId.of("consumer-a");
  private static final ProjectId B = ProjectId.of("consumer-b");

  private final ManualClock clock = new ManualClock();
  private final List<GovernanceEvent> events = new CopyOnWriteArrayList<>();

  private ImageGovernance governance(GovernanceConfig config) {
    return ImageGovernance.builder().catalog(new MemoryCatalog()).config(config).clock(clock)
        .listener(events::add).build();
  }

  private static Image shared(ImageGovernance g) {
    return g.images().create(PRODUCER,
        NewImage.builder().name("golden").visibility(Visibility.SHARED).build());
  }

  private static void notFound(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
    assertThatThrownBy(call).isInstanceOfSatisfying(GovernanceException.class,
        e -> assertThat(e.httpStatus()).isEqualTo(404));
  }

  @Test
  void anExpiredMemberIsTreatedAsRemovedByEveryOperation() {
    ImageGovernance g = governance(GovernanceConfig.defaults());
    Image image = shared(g);
    g.sharing().addMember(PRODUCER, image.id(), A, clock.instant().plus(Duration.ofHours(1)));
    g.sharing().updateMemberStatus(CONSUMER_A, image.id(), A, MemberStatus.ACCEPTED);
    assertThat(g.images().list(CONSUMER_A, ListRequest.parse("")).images())
        .extracting(Image::id).containsExactly(image.id());

    clock.advance(Duration.ofHours(1));
    notFound(() -> g.images().get(CONSUMER_A, image.id()));
    notFound(() -> g.access().authorizeDownload(CONSUMER_A, image.id()));
    notFound(() -> g.sharing().listMembers(CONSUMER_A, image.id()));
    notFound(() -> g.sharing().getMember(CONSUMER_A, image.id(), A));
    notFound(() -> g.sharing().updateMemberStatus(CONSUMER_A, image.id(), A,
        MemberStatus.REJECTED));
    assertThat(g.images().list(CONSUMER_A, ListRequest.parse("member_status=all")).images())
        .isEmpty();
    assertThat(g.sharing().listMembers(PRODUCER, image.id())).isEmpty();
    assertThatThrownBy(() -> g.sharing().getMember(PRODUCER, image.id(), A))
        .isInstanceOfSatisfying(GovernanceException.class,
            e -> assertThat(e.code()).isEqualTo(RuleCode.MEMBER_NOT_FOUND));
  }

  @Test
  void anExpiredMemberCanBeAddedAgainAndStartsPending() {
    ImageGovernance g = governance(GovernanceConfig.builder().imageMemberQuota(1).build());
    Image image = shared(g);
    g.sharing().addMember(PRODUCER, image.id(), A, clock.instant().plusSeconds(10));
    g.sharing().updateMemberStatus(CONSUMER_A, image.id(), A, MemberStatus.ACCEPTED);
    clock.advance(Duration.ofSeconds(10));
    // The expired row no longer counts against image_member_quota, nor as a duplicate.
    Member again = g.sharing().addMember(PRODUCER, image.id(), "consumer-a");
    assertThat(again.status()).isEqualTo(MemberStatus.PENDING);
    assertThat(again.expiresAt()).isEmpty();
    assertThat(events).filteredOn(MemberRemoved.class::isInstance)
        .extracting(e -> ((MemberRemoved) e).member().status())
        .containsExactly(MemberStatus.ACCEPTED);
  }

  @Test
  void theSweepRemovesExpiredMembersWithTheRemovalEventAndOnlyForAnAdmin() {
    ImageGovernance g = governance(GovernanceConfig.defaults());
    Image image = shared(g);
    g.sharing().addMember(PRODUCER, image.id(), A, clock.instant().plusSeconds(5));
    g.sharing().addMember(PRODUCER, image.id(), B, clock.instant().plusSeconds(50));
    clock.advance(Duration.ofSeconds(5));
    assertThatThrownBy(() -> g.sharing().sweepExpired(PRODUCER))
        .isInstanceOfSatisfying(GovernanceException.class,
            e -> assertThat(e.code()).isEqualTo(RuleCode.POLICY_DENIED));
    assertThat(g.catalog().find(image.id()).orElseThrow().members()).containsKeys(A, B);
    events.clear();

    List<Member> removed = g.sharing().sweepExpired(ADMIN);
    assertThat(removed).extracting(Member::project).containsExactly(A);
    assertThat(g.catalog().find(image.id()).orElseThrow().members()).containsOnlyKeys(B);
    assertThat(events).singleElement().isInstanceOfSatisfying(MemberRemoved.class, e -> {
      assertThat(e.member().project()).isEqualTo(A);
      assertThat(e.caller()).isEqualTo(ADMIN);
    });
    assertThat(g.sharing().sweepExpired(ADMIN)).isEmpty();
  }

  @Test
  void anExpiryMustLieInTheFutureAndABadOneChangesNothing() {
    ImageGovernance g = governance(GovernanceConfig.defaults());
    Image image = shared(g);
    assertThatThrownBy(() -> g.sharing().addMember(PRODUCER, image.id(), A, clock.instant()))
        .isInstanceOfSatisfying(GovernanceException.class,
            e -> assertThat(e.code()).isEqualTo(StoreErrorCode.INVALID_VALUE))
        .hasMessageContaining("expiry");
    assertThat(g.catalog().find(image.id()).orElseThrow().members()).isEmpty();
    assertThat(g.catalog().find(image.id()).orElseThrow().version()).isEqualTo(image.version());
  }

  @Test
  void theOwnerSetsAndClearsAnExpiryAndAMemberMayNot() {
    ImageGovernance g = governance(GovernanceConfig.defaults());
    Image image = shared(g);
    g.sharing().addMember(PRODUCER, image.id(), "consumer-a");
    Instant end = clock.instant().plus(Duration.ofDays(1));
    assertThat(g.sharing().setMemberExpiry(PRODUCER, image.id(), A, Optional.of(end)).expiresAt())
        .contains(end);
    assertThatThrownBy(() -> g.sharing().setMemberExpiry(CONSUMER_A, image.id(), A,
        Optional.empty())).isInstanceOfSatisfying(GovernanceException.class,
            e -> assertThat(e.httpStatus()).isEqualTo(403));
    notFound(() -> g.sharing().setMemberExpiry(OUTSIDER, image.id(), A, Optional.empty()));
    assertThat(g.sharing().setMemberExpiry(PRODUCER, image.id(), A, Optional.empty()).expiresAt())
        .isEmpty();
    clock.advance(Duration.ofDays(2));
    assertThat(g.images().get(CONSUMER_A, image.id()).id()).isEqualTo(image.id());
  }

  @Test
  void strictConsentRefusesAPendingOrRejectedMemberAndExplainNamesIt() {
    ImageGovernance g = governance(GovernanceConfig.builder().strictConsent(true).build());
    Image image = shared(g);
    g.sharing().addMember(PRODUCER, image.id(), "consumer-a");
    assertThat(g.images().get(CONSUMER_A, image.id()).id()).isEqualTo(image.id());
    assertThatThrownBy(() -> g.access().authorizeDownload(CONSUMER_A, image.id()))
        .isInstanceOfSatisfying(GovernanceException.class, e -> {
          assertThat(e.code()).isEqualTo(RuleCode.CONSENT_REQUIRED);
          assertThat(e.httpStatus()).isEqualTo(403);
        })
        .hasMessageContaining("pending");
    AccessExplanation explained = g.access().explain(CONSUMER_A, image.id(), Action.DOWNLOAD);
    assertThat(explained.allowed()).isFalse();
    assertThat(explained.errorCode()).contains(RuleCode.CONSENT_REQUIRED);
    CheckStep last = explained.steps().get(explained.steps().size() - 1);
    assertThat(last.check()).contains("strict consent");

    g.sharing().updateMemberStatus(CONSUMER_A, image.id(), A, MemberStatus.REJECTED);
    assertThatThrownBy(() -> g.access().authorizeDownload(CONSUMER_A, image.id()))
        .isInstanceOfSatisfying(GovernanceException.class,
            e -> assertThat(e.code()).isEqualTo(RuleCode.CONSENT_REQUIRED));
    g.sharing().updateMemberStatus(CONSUMER_A, image.id(), A, MemberStatus.ACCEPTED);
    assertThat(g.access().authorizeDownload(CONSUMER_A, image.id()).id()).isEqualTo(image.id());
  }

  @Test
  void withoutStrictConsentAPendingMemberDownloadsAsInGlance() {
    ImageGovernance g = governance(GovernanceConfig.defaults());
    Image image = shared(g);
    g.sharing().addMember(PRODUCER, image.id(), "consumer-a");
    assertThat(g.access().authorizeDownload(CONSUMER_A, image.id()).id()).isEqualTo(image.id());
  }

  @Test
  void whoCanUseListsEveryGrantWithItsBasisForTheOwnerAndAdminsOnly() {
    ImageGovernance g = governance(GovernanceConfig.builder().strictConsent(true).build());
    Image image = shared(g);
    Instant end = clock.instant().plus(Duration.ofDays(3));
    g.sharing().addMember(PRODUCER, image.id(), A, end);
    g.sharing().addMember(PRODUCER, image.id(), "consumer-b");
    g.sharing().updateMemberStatus(CONSUMER_B, image.id(), B, MemberStatus.ACCEPTED);

    WhoCanUse who = g.sharing().whoCanUse(PRODUCER, image.id());
    assertThat(who.grants()).extracting(WhoCanUse.Grant::basis).containsExactly(
        WhoCanUse.Basis.OWNER, WhoCanUse.Basis.ADMIN, WhoCanUse.Basis.MEMBER,
        WhoCanUse.Basis.MEMBER);
    WhoCanUse.Grant a = who.grants().get(2);
    assertThat(a.project()).contains(A);
    assertThat(a.status()).contains(MemberStatus.PENDING);
    assertThat(a.expiresAt()).contains(end);
    assertThat(a.canUse()).isFalse();
    assertThat(a.why()).contains("strict consent");
    assertThat(who.grants().get(3).canUse()).isTrue();
    assertThat(who.toJson()).contains("\"basis\" : \"member\"", "consumer-a", end.toString());
    assertThat(who.toMarkdown()).contains("| consumer-b | member | accepted |");
    assertThat(g.sharing().whoCanUse(ADMIN, image.id())).isEqualTo(who);

    assertThatThrownBy(() -> g.sharing().whoCanUse(CONSUMER_A, image.id()))
        .isInstanceOfSatisfying(GovernanceException.class,
            e -> assertThat(e.httpStatus()).isEqualTo(403));
    notFound(() -> g.sharing().whoCanUse(OUTSIDER, image.id()));
    notFound(() -> g.sharing().whoCanUse(OUTSIDER,
        dev.imagegov.model.ImageId.of("00000000-0000-4000-8000-000000000000")));
  }

  /**
   * Bad input to {@code whoCanUse} (an unknown id, a deleted image, a member that is not the
   * owner, null) is refused naming the image, and changes nothing: the image as it was, no event.
   */
  @Test
  void aRefusedWhoCanUseNamesTheImageAndChangesNothing() {
    ImageGovernance g = governance(GovernanceConfig.defaults());
    Image image = shared(g);
    g.sharing().addMember(PRODUCER, image.id(), "consumer-a");
    Image gone = shared(g);
    g.images().delete(PRODUCER, gone.id());
    Image before = g.images().get(ADMIN, image.id());
    events.clear();
    dev.imagegov.model.ImageId unknown =
        dev.imagegov.model.ImageId.of("00000000-0000-4000-8000-000000000000");

    for (dev.imagegov.model.ImageId id : List.of(unknown, gone.id())) {
      assertThatThrownBy(() -> g.sharing().whoCanUse(PRODUCER, id))
          .isInstanceOfSatisfying(GovernanceException.class, e -> {
            assertThat(e.code()).isEqualTo(StoreErrorCode.IMAGE_NOT_FOUND);
            assertThat(e.getMessage()).contains(id.value());
          });
    }
    assertThatThrownBy(() -> g.sharing().whoCanUse(CONSUMER_A, image.id()))
        .isInstanceOfSatisfying(GovernanceException.class, e -> {
          assertThat(e.code()).isEqualTo(RuleCode.POLICY_DENIED);
          assertThat(e.getMessage()).contains(image.id().value());
        });
    assertThatThrownBy(() -> g.sharing().whoCanUse(PRODUCER, null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> g.sharing().whoCanUse(null, image.id()))
        .isInstanceOf(NullPointerException.class);

    assertThat(g.images().get(ADMIN, image.id())).as("the image as it was").isEqualTo(before);
    assertThat(events).as("events of refused questions").isEmpty();
  }

  @Test
  void whoCanUseNamesEveryProjectForAPublicImage() {
    ImageGovernance g = governance(GovernanceConfig.defaults());
    Image image = g.images().create(ADMIN, NewImage.builder().name("pub")
        .visibility(Visibility.PUBLIC).owner("producer").build());
    WhoCanUse who = g.sharing().whoCanUse(PRODUCER, image.id());
    assertThat(who.grants()).extracting(WhoCanUse.Grant::basis).containsExactly(
        WhoCanUse.Basis.OWNER, WhoCanUse.Basis.ADMIN, WhoCanUse.Basis.PUBLIC);
    assertThat(who.grants().get(2).project()).isEmpty();
    assertThat(who.grants().get(2).canUse()).isTrue();
  }

  @Test
  void pendingOffersReportsOnlyOffersPendingLongerThanThePeriod() {
    ImageGovernance g = governance(GovernanceConfig.defaults());
    Image image = shared(g);
    g.sharing().addMember(PRODUCER, image.id(), "consumer-a");
    clock.advance(Duration.ofDays(10));
    g.sharing().addMember(PRODUCER, image.id(), "consumer-b");
    g.sharing().addMember(PRODUCER, image.id(), "consumer-c");
    g.sharing().updateMemberStatus(Fixtures.CONSUMER_C, image.id(), ProjectId.of("consumer-c"),
        MemberStatus.REJECTED);
    clock.advance(Duration.ofDays(1));

    List<PendingOffer> old = g.sharing().pendingOffers(ADMIN, Duration.ofDays(7));
    assertThat(old).singleElement().satisfies(o -> {
      assertThat(o.member()).isEqualTo(A);
      assertThat(o.age()).isEqualTo(Duration.ofDays(11));
    });
    assertThat(g.sharing().pendingOffers(ADMIN, Duration.ZERO)).extracting(PendingOffer::member)
        .containsExactly(A, B);
    assertThatThrownBy(() -> g.sharing().pendingOffers(PRODUCER, Duration.ZERO))
        .isInstanceOfSatisfying(GovernanceException.class,
            e -> assertThat(e.code()).isEqualTo(RuleCode.POLICY_DENIED));
    assertThatThrownBy(() -> g.sharing().pendingOffers(ADMIN, Duration.ofDays(-1)))
        .isInstanceOfSatisfying(GovernanceException.class,
            e -> assertThat(e.code()).isEqualTo(StoreErrorCode.INVALID_VALUE));
  }

  @Test
  void theExposureReportNeverListsADeletedImage() {
    ImageGovernance open = governance(GovernanceConfig.defaults());
    Image gone = open.images().create(OUTSIDER,
        NewImage.builder().name("gone").visibility(Visibility.COMMUNITY).build());
    Image kept = open.images().create(OUTSIDER,
        NewImage.builder().name("kept").visibility(Visibility.COMMUNITY).build());
    open.images().delete(OUTSIDER, gone.id());
    ImageGovernance guarded = ImageGovernance.builder().catalog(open.catalog())
        .config(GovernanceConfig.builder()
            .exposure(dev.imagegov.exposure.ExposureGuardrail.blocked()).build())
        .build();
    assertThat(guarded.exposure().report(ADMIN).disallowed())
        .extracting(dev.imagegov.exposure.ExposureReport.Finding::image)
        .containsExactly(kept.id());
  }
}
