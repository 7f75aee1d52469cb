package dev.imagegov;

import static dev.imagegov.Fixtures.ADMIN;
import static dev.imagegov.Fixtures.OUTSIDER;
import static dev.imagegov.Fixtures.PRODUCER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagegov.access.Caller;
import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.Visibility;
import dev.imagegov.query.ListRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** One test per rule of the reference's list section (§5) and its vectors (§14, 14-31). */
class ListRulesTest {
  /** §14's fixture: 4 owners (none, the admin's project, tenant1, tenant2) × 4 visibilities. */
  private static Fixtures matrix(GovernanceConfig config) {
    Fixtures f = new Fixtures(config);
    for (String owner : new String[] {"", "admin-project", "tenant1", "tenant2"}) {
      for (Visibility v : Visibility.values()) {
        f.createFor(owner, (owner.isEmpty() ? "none" : owner) + "-" + v.wireName(), v);
      }
    }
    return f;
  }

  private final Fixtures m = matrix(GovernanceConfig.defaults());
  private final Caller tenant1 = Caller.member("tenant1");

  // §5.2 base set, vectors 14-19

  @Test
  void adminWithoutProjectSeesAllButCommunity() {
    Caller admin = Caller.withoutProject("admin", "member", "reader");
    assertThat(m.listNames(admin, "limit=100")).hasSize(12).noneMatch(n -> n.endsWith("community"));
    assertThat(m.listNames(admin, "visibility=all&limit=100")).hasSize(16);
  }

  @Test
  void adminWithProjectSeesAllButOthersCommunityImages() {
    assertThat(m.listNames(ADMIN, "limit=100"))
        .hasSize(13)
        .filteredOn(n -> n.endsWith("community"))
        .containsExactly("admin-project-community");
  }

  @Test
  void eachVisibilityFilterGivesAdminsFourImages() {
    for (Visibility v : Visibility.values()) {
      assertThat(m.listNames(ADMIN, "visibility=" + v.wireName())).hasSize(4);
    }
  }

  @Test
  void userSeesPublicAndItsOwnImages() {
    assertThat(m.listNames(tenant1, ""))
        .containsExactlyInAnyOrder(
            "none-public", "admin-project-public", "tenant1-public", "tenant2-public",
            "tenant1-private", "tenant1-shared", "tenant1-community");
  }

  @Test
  void userVisibilityAllAddsEveryCommunityImage() {
    assertThat(m.listNames(tenant1, "visibility=all")).hasSize(10);
    assertThat(m.listNames(tenant1, "visibility=community")).hasSize(4);
    assertThat(m.listNames(tenant1, "visibility=private")).containsExactly("tenant1-private");
    assertThat(m.listNames(tenant1, "visibility=shared")).containsExactly("tenant1-shared");
  }

  @Test
  void userWithoutProjectSeesOnlyPublicInLegacyMode() {
    Fixtures legacy = matrix(GovernanceConfig.legacyPolicyMode());
    Caller anonymous = Caller.withoutProject("reader");
    assertThat(legacy.listNames(anonymous, "")).hasSize(4).allMatch(n -> n.endsWith("public"));
    assertThat(legacy.listNames(anonymous, "visibility=shared")).isEmpty();
    assertThat(legacy.listNames(anonymous, "visibility=community")).hasSize(4);
    assertThat(legacy.listNames(anonymous, "visibility=all")).hasSize(8);
  }

  @Test
  void userWithoutProjectIsRefusedByGetImagesUnderSecureDefaults() {
    Expect.fails(
        RuleCode.POLICY_DENIED, () -> m.images().list(Caller.withoutProject("reader"), ListRequest.empty()));
  }

  @Test
  void callerWithoutRecognisedRoleIsRefusedList() {
    Expect.fails(RuleCode.POLICY_DENIED, () -> m.images().list(Caller.of("tenant1"), ListRequest.empty()));
  }

  @Test
  void privateImagesWithDormantMembersAreNeverListedForThem() {
    Image image = m.create(tenant1, "was-shared", Visibility.SHARED);
    m.sharing().addMember(tenant1, image.id(), "tenant3");
    m.images().setVisibility(tenant1, image.id(), Visibility.PRIVATE);
    assertThat(m.listNames(Caller.member("tenant3"), "member_status=all&visibility=all"))
        .doesNotContain("was-shared");
  }

  // §5.1 normalisation

  @Test
  void deletedAndKilledImagesAreNeverListed() {
    Image image = m.create(tenant1, "doomed", Visibility.PRIVATE);
    m.images().delete(tenant1, image.id());
    assertThat(m.listNames(ADMIN, "visibility=all&limit=100&deleted=true")).doesNotContain("doomed");
  }

  @Test
  void hiddenImagesAreListedOnlyWhenAskedFor() {
    Fixtures f = new Fixtures();
    f.images().create(PRODUCER, NewImage.builder().name("hidden").osHidden(true).build());
    f.images().create(PRODUCER, NewImage.builder().name("shown").build());
    assertThat(f.listNames(PRODUCER, "")).containsExactly("shown");
    assertThat(f.listNames(PRODUCER, "os_hidden=true")).containsExactly("hidden");
    assertThat(f.listNames(PRODUCER, "os_hidden=TRUE")).containsExactly("hidden");
    Expect.fails(RuleCode.INVALID_FILTER, () -> f.listNames(PRODUCER, "os_hidden=abcd"));
  }

  @Test
  void limitDefaultsToConfiguredPageSizeAndIsCappedAtMaximum() {
    Fixtures f =
        new Fixtures(GovernanceConfig.builder().limitParamDefault(2).apiLimitMax(3).build());
    for (int i = 0; i < 5; i++) {
      f.create(PRODUCER, "i" + i, Visibility.PRIVATE);
    }
    assertThat(f.listNames(PRODUCER, "")).hasSize(2);
    assertThat(f.listNames(PRODUCER, "limit=4")).hasSize(3);
    assertThat(f.listNames(PRODUCER, "limit=0")).isEmpty();
  }

  @Test
  void limitZeroHasNoNextPage() {
    m.create(tenant1, "x", Visibility.PRIVATE);
    assertThat(m.images().list(tenant1, ListRequest.parse("limit=0")).nextMarker()).isEmpty();
  }

  // §5.3 filters, vectors 18, 21-28

  @Test
  void customPropertyFiltersMustAllMatch() {
    Fixtures f = new Fixtures();
    f.images()
        .create(PRODUCER, NewImage.builder().name("both").properties(Map.of("foo", "bar", "abc", "xyz")).build());
    f.images().create(PRODUCER, NewImage.builder().name("one").properties(Map.of("foo", "bar")).build());
    assertThat(f.listNames(PRODUCER, "foo=bar&abc=xyz")).containsExactly("both");
    assertThat(f.listNames(PRODUCER, "is_public=silly")).isEmpty();
  }

  @Test
  void isPublicIsAnOrdinaryPropertyFilter() {
    Fixtures f = new Fixtures();
    f.images()
        .create(PRODUCER, NewImage.builder().name("silly").properties(Map.of("is_public", "silly")).build());
    f.create(PRODUCER, "other", Visibility.PRIVATE);
    assertThat(f.listNames(PRODUCER, "is_public=silly")).containsExactly("silly");
  }

  @Test
  void tagFiltersMustAllMatch() {
    Fixtures f = new Fixtures();
    f.images().create(PRODUCER, NewImage.builder().name("t").addTags("sniff", "snozz").build());
    assertThat(f.listNames(PRODUCER, "tag=sniff&tag=snozz")).containsExactly("t");
    assertThat(f.listNames(PRODUCER, "tag=sniff&tag=snozz&tag=fake")).isEmpty();
  }

  @Test
  void protectedFilterIsExactlyTrueOrFalse() {
    Fixtures f = new Fixtures();
    f.images().create(PRODUCER, NewImage.builder().name("p").isProtected(true).build());
    f.images().create(PRODUCER, NewImage.builder().name("u").build());
    assertThat(f.listNames(PRODUCER, "protected=true")).containsExactly("p");
    assertThat(f.listNames(PRODUCER, "protected=false")).containsExactly("u");
    Expect.fails(RuleCode.INVALID_FILTER, () -> f.listNames(PRODUCER, "protected=False"));
  }

  @Test
  void nameFilterSupportsInWithQuotes() {
    Fixtures f = new Fixtures();
    for (String n : new String[] {"fake\\\"name", "fakename", "fake,name", "other"}) {
      f.create(PRODUCER, n, Visibility.PRIVATE);
    }
    assertThat(f.listNames(PRODUCER, "name=" + ListRequestEncoding.encode("in:\"fake\\\"name\",fakename,\"fake,name\"")))
        .containsExactlyInAnyOrder("fake\\\"name", "fakename", "fake,name");
  }

  @Test
  void nameWithColonNeedsTheEqOperator() {
    Fixtures f = new Fixtures();
    f.create(PRODUCER, "foo:bar", Visibility.PRIVATE);
    Expect.fails(RuleCode.INVALID_FILTER, () -> f.listNames(PRODUCER, "name=foo:bar"));
    assertThat(f.listNames(PRODUCER, "name=eq:foo:bar")).containsExactly("foo:bar");
  }

  @Test
  void statusFilterWithUnknownOperatorIsRejected() {
    Expect.fails(RuleCode.INVALID_FILTER, () -> m.listNames(tenant1, "status=lala:active"));
    assertThat(m.listNames(tenant1, "status=in:queued,active")).hasSize(7);
  }

  @Test
  void sizeRangeIsInclusiveAndEmptyWhenInverted() {
    assertThat(m.listNames(tenant1, "size_max=15&size_min=20")).isEmpty();
    Expect.fails(RuleCode.INVALID_FILTER, () -> m.listNames(tenant1, "size_min=blah"));
  }

  @Test
  void createdAtComparisonsFilterByTime() {
    Fixtures f = new Fixtures();
    Image first = f.create(PRODUCER, "first", Visibility.PRIVATE);
    f.create(PRODUCER, "second", Visibility.PRIVATE);
    String t0 = first.createdAt().toString();
    assertThat(f.listNames(PRODUCER, "created_at=lt:" + t0)).isEmpty();
    assertThat(f.listNames(PRODUCER, "created_at=gt:" + t0)).containsExactly("second");
    assertThat(f.listNames(PRODUCER, "created_at=gte:" + t0)).containsExactly("second", "first");
  }

  @Test
  void changesSinceIsRejected() {
    Expect.fails(RuleCode.INVALID_FILTER, () -> m.listNames(tenant1, "changes-since=2020-01-01"));
  }

  @Test
  void communityImagesAreListedOnlyWhenAskedFor() {
    assertThat(m.listNames(tenant1, "")).filteredOn(n -> n.endsWith("community")).containsExactly("tenant1-community");
  }

  // §5.5 sorting

  @Test
  void defaultOrderIsNewestFirst() {
    Fixtures f = new Fixtures();
    f.create(PRODUCER, "a", Visibility.PRIVATE);
    f.create(PRODUCER, "b", Visibility.PRIVATE);
    f.create(PRODUCER, "c", Visibility.PRIVATE);
    assertThat(f.listNames(PRODUCER, "")).containsExactly("c", "b", "a");
    assertThat(f.listNames(PRODUCER, "sort=name:asc")).containsExactly("a", "b", "c");
    assertThat(f.listNames(PRODUCER, "sort_key=name&sort_dir=asc")).containsExactly("a", "b", "c");
  }

  @Test
  void badSortingIsRejected() {
    Expect.fails(RuleCode.INVALID_SORT, () -> m.listNames(tenant1, "sort_key=min_ram"));
    Expect.fails(RuleCode.INVALID_SORT, () -> m.listNames(tenant1, "sort=name&sort_dir=asc"));
    Expect.fails(
        RuleCode.INVALID_SORT, () -> m.listNames(tenant1, "sort_key=name&sort_dir=asc&sort_dir=desc"));
  }

  // §5.6 markers

  @Test
  void walkingPagesWithMarkersListsEachImageOnce() {
    List<ImageId> all = m.listIds(ADMIN, "visibility=all&limit=100");
    List<ImageId> walked = new ArrayList<>();
    Optional<ImageId> marker = Optional.empty();
    do {
      ImageList page =
          m.images()
              .list(
                  ADMIN,
                  ListRequest.parse(
                      "visibility=all&limit=3" + marker.map(x -> "&marker=" + x).orElse("")));
      page.images().forEach(i -> walked.add(i.id()));
      marker = page.nextMarker();
    } while (marker.isPresent());
    assertThat(walked).isEqualTo(all).hasSize(16);
  }

  @Test
  void nextLinkCarriesTheQueryAndTheMarker() {
    ImageList page = m.images().list(ADMIN, ListRequest.parse("visibility=all&limit=3"));
    assertThat(page.first()).isEqualTo("/v2/images?visibility=all&limit=3");
    assertThat(page.next()).contains("/v2/images?visibility=all&limit=3&marker=" + page.nextMarker().orElseThrow());
    assertThat(m.images().list(ADMIN, ListRequest.empty()).first()).isEqualTo("/v2/images");
  }

  @Test
  void unknownMarkerIsBadRequest() {
    Expect.fails(
        StoreErrorCode.INVALID_MARKER,
        () -> m.listNames(tenant1, "marker=" + ImageId.of(java.util.UUID.randomUUID())));
  }

  @Test
  void markerTheCallerMayNotSeeIsAnsweredLikeAnUnknownMarker() {
    // Deliberate difference from Glance (403 "not visible"): the answers must not differ in
    // code, status or message beyond the id the caller sent itself.
    Image hidden = m.create(Caller.member("tenant2"), "t2-secret", Visibility.PRIVATE);
    ImageId unknown = ImageId.of(new java.util.UUID(0x5eed_0001L, 0x5eed_0002L));
    assertThat(m.governance.catalog().find(unknown)).isEmpty();
    dev.imagegov.error.GovernanceException forHidden = refusal(() -> m.listNames(tenant1, "marker=" + hidden.id()));
    dev.imagegov.error.GovernanceException forUnknown = refusal(() -> m.listNames(tenant1, "marker=" + unknown));
    assertThat(forHidden.code()).isEqualTo(StoreErrorCode.INVALID_MARKER).isEqualTo(forUnknown.code());
    assertThat(forHidden.httpStatus()).isEqualTo(400).isEqualTo(forUnknown.httpStatus());
    assertThat(forHidden.getClass()).isEqualTo(forUnknown.getClass());
    assertThat(forHidden.getMessage()).isEqualTo("No image found with ID " + hidden.id());
    assertThat(forHidden.getMessage().replace(hidden.id().value(), "ID"))
        .isEqualTo(forUnknown.getMessage().replace(unknown.value(), "ID"));
    // The owner, and an admin, may still page from it.
    assertThat(m.listNames(Caller.member("tenant2"), "marker=" + hidden.id())).isNotNull();
  }

  private static dev.imagegov.error.GovernanceException refusal(
      org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
    Throwable t = org.assertj.core.api.Assertions.catchThrowable(call);
    assertThat(t).isInstanceOf(dev.imagegov.error.GovernanceException.class);
    return (dev.imagegov.error.GovernanceException) t;
  }

  @Test
  void deletedMarkerIsBadRequest() {
    Image gone = m.create(tenant1, "gone", Visibility.PRIVATE);
    m.images().delete(tenant1, gone.id());
    Expect.fails(StoreErrorCode.INVALID_MARKER, () -> m.listNames(tenant1, "marker=" + gone.id()));
  }

  @Test
  void nextMarkerIsTheLastImageThatSurvivedPolicy() {
    Fixtures f = new Fixtures();
    for (int i = 0; i < 3; i++) {
      f.create(PRODUCER, "p" + i, Visibility.PRIVATE);
    }
    ImageList page = f.images().list(PRODUCER, ListRequest.parse("limit=3"));
    assertThat(page.nextMarker()).contains(page.images().get(2).id());
    ImageList last = f.images().list(PRODUCER, ListRequest.parse("limit=3&marker=" + page.images().get(2).id()));
    assertThat(last.images()).isEmpty();
    assertThat(last.nextMarker()).isEmpty();
  }

  @Test
  void outsiderListsNothingOfAnotherProject() {
    Fixtures f = new Fixtures();
    f.create(PRODUCER, "secret", Visibility.PRIVATE);
    f.create(PRODUCER, "shared", Visibility.SHARED);
    assertThat(f.listNames(OUTSIDER, "visibility=all&member_status=all")).isEmpty();
  }

  @Test
  void integerFilterWithAnOperatorAndANonNumberIsRefused() {
    Fixtures f = new Fixtures();
    f.create(PRODUCER, "x", Visibility.PRIVATE);
    for (String filter : new String[] {"min_disk=gt:0", "min_ram=lt:1", "size=eq:1", "min_disk=abc"}) {
      assertThatThrownBy(() -> f.listNames(PRODUCER, filter))
          .as(filter)
          .isInstanceOfSatisfying(
              dev.imagegov.error.GovernanceException.class,
              e -> {
                assertThat(e.code()).isEqualTo(RuleCode.INVALID_FILTER);
                assertThat(e.httpStatus()).isEqualTo(400);
              })
          .hasMessageContaining("non-numeric value");
    }
    assertThat(f.listNames(PRODUCER, "min_disk=0")).containsExactly("x");
  }
}
