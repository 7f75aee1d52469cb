package dev.imagegov;

import static dev.imagegov.Fixtures.ADMIN;
import static dev.imagegov.Fixtures.CONSUMER_A;
import static dev.imagegov.Fixtures.CONSUMER_B;
import static dev.imagegov.Fixtures.CONSUMER_C;
import static dev.imagegov.Fixtures.OUTSIDER;
import static dev.imagegov.Fixtures.PRODUCER;
import static dev.imagegov.Fixtures.PRODUCER_READER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegov.access.AccessExplanation;
import dev.imagegov.access.Action;
import dev.imagegov.access.Caller;
import dev.imagegov.access.Policy;
import dev.imagegov.error.ErrorCode;
import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.image.Images;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.Location;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.StoreId;
import dev.imagegov.model.Visibility;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * The answers a real Glance gave, one test per probed scenario. Debian 12's Glance 25.1.0 ran on
 * loopback without Keystone, with the secure-RBAC defaults ({@code enforce_new_defaults = True}),
 * no implied roles (every caller carried its roles explicitly, as {@link Fixtures} does) and
 * {@code image_member_quota = 2}; {@code governance-tests/GLANCE-PROBES.md} describes the set-up,
 * has the table, and says how to ask again.
 *
 * <p>Where imagegov answers differently on purpose (the reference's decisions block or README's
 * "Differences from Glance" table), the test asserts imagegov's documented answer and says so.
 * Where Glance was asked a {@code PATCH} of the name, the test sends the same JSON patch through
 * {@link Images#patch}; where it was asked a {@code PATCH} of the visibility, the test asks {@link
 * Images#setVisibility}, which runs the same {@code modify_image} check and the same
 * Forbidden-becomes-NotFound rule as a {@code replace /visibility} patch.
 */
class GlanceReferenceAnswersTest {
  /** The JSON patch Glance was sent to rename an image: {@code replace /name}. */
  private static Image rename(Fixtures fx, Caller caller, ImageId id, String name) {
    return fx.images()
        .patch(caller, id, dev.imagegov.patch.JsonPatchParser.V2_1,
            "[{\"op\": \"replace\", \"path\": \"/name\", \"value\": \"" + name + "\"}]");
  }

  private static final ProjectId A = ProjectId.of("consumer-a");
  private static final ProjectId B = ProjectId.of("consumer-b");
  private static final ProjectId C = ProjectId.of("consumer-c");
  /** The owner project's caller with {@code member} but not {@code reader}. */
  private static final Caller MEMBER_ONLY = Caller.of("producer", "member");

  private static final Visibility[] NOT_SHARED = {
    Visibility.PRIVATE, Visibility.PUBLIC, Visibility.COMMUNITY
  };

  private final Fixtures f = new Fixtures();

  /** Asserts that {@code call} fails with {@code code}, whose HTTP status is Glance's answer. */
  private static void answers(int glanceStatus, ErrorCode code, ThrowingCallable call) {
    assertThat(code.httpStatus()).as("HTTP status of %s", code).isEqualTo(glanceStatus);
    Expect.fails(code, call);
  }

  /** Moves an image to active with data in one store, as a finished upload would. */
  private static Image activate(Fixtures fixtures, Image image) {
    Image current = fixtures.governance.catalog().find(image.id()).orElseThrow();
    return fixtures
        .governance
        .catalog()
        .compareAndSet(
            current.version(),
            current.toBuilder()
                .status(ImageStatus.ACTIVE)
                .diskFormat("raw")
                .containerFormat("bare")
                .size(6)
                .addLocations(Location.of(StoreId.of("memory"), "memory://" + image.id()))
                .build()).orElseThrow();
  }

  private Image activate(Image image) {
    return activate(f, image);
  }

  // Unowned images (an admin creates one with owner "")

  /**
   * Glance 25.1.0 (secure RBAC) answered 201 for an admin's create with owner "" and
   * with owner null, then 200 to an unrelated project's GET of the shared image (2026-11-22).
   */
  @Test
  void unrelatedProjectCanGetUnownedSharedImage() {
    Image image = f.createFor("", "unowned", Visibility.SHARED);
    assertThat(image.owner()).isEmpty();
    assertThat(f.images().get(OUTSIDER, image.id()).id()).isEqualTo(image.id());
  }

  /**
   * Glance 25.1.0 (secure RBAC) answered 403 "You are not permitted to create images
   * owned by ''" to a member (no admin role) creating with owner "" or null (2026-11-22).
   */
  @Test
  void memberCannotCreateUnownedImage() {
    answers(
        403,
        RuleCode.POLICY_DENIED,
        () -> f.images().create(PRODUCER, NewImage.builder().name("x").owner("").build()));
  }

  /**
   * Glance 25.1.0 (secure RBAC) answered 200 without the image, for the default list
   * and for {@code visibility=shared} (2026-11-22).
   */
  @Test
  void unrelatedProjectDoesNotListUnownedSharedImage() {
    Image image = f.createFor("", "unowned", Visibility.SHARED);
    assertThat(f.listIds(OUTSIDER, "limit=1000")).doesNotContain(image.id());
    assertThat(f.listIds(OUTSIDER, "visibility=shared")).doesNotContain(image.id());
  }

  /**
   * Glance 25.1.0 (secure RBAC) answered 403 to an unrelated project's PATCH of the
   * name and of the visibility of an unowned shared image (2026-11-22).
   */
  @Test
  void unrelatedProjectChangingUnownedSharedImageIsForbidden() {
    Image image = f.createFor("", "unowned", Visibility.SHARED);
    answers(403, RuleCode.POLICY_DENIED, () -> rename(f, OUTSIDER, image.id(), "renamed"));
    answers(
        403,
        RuleCode.POLICY_DENIED,
        () -> f.images().setVisibility(OUTSIDER, image.id(), Visibility.PRIVATE));
    assertThat(f.images().get(ADMIN, image.id()).visibility()).isEqualTo(Visibility.SHARED);
    assertThat(f.images().get(ADMIN, image.id()).name()).hasValue("unowned");
  }

  /**
   * Glance 25.1.0 (secure RBAC) answered 404 to an unrelated project's GET of an
   * unowned private image: {@code get_image} fails, so the by-id predicate's "unowned is visible"
   * clause does not help under the new defaults (2026-11-22).
   */
  @Test
  void unrelatedProjectGetsNotFoundForUnownedPrivateImage() {
    Image image = f.createFor("", "unowned", Visibility.PRIVATE);
    Expect.fails(StoreErrorCode.IMAGE_NOT_FOUND, () -> f.images().get(OUTSIDER, image.id()));
    assertThat(f.listIds(OUTSIDER, "limit=1000")).doesNotContain(image.id());
    assertThat(f.listIds(OUTSIDER, "visibility=private")).doesNotContain(image.id());
  }

  /**
   * Glance 25.1.0 (secure RBAC) answered 404 to an unrelated project's PATCH of the
   * name and of the visibility of an unowned private image (2026-11-22).
   */
  @Test
  void unrelatedProjectChangingUnownedPrivateImageGetsNotFound() {
    Image image = f.createFor("", "unowned", Visibility.PRIVATE);
    answers(404, StoreErrorCode.IMAGE_NOT_FOUND, () -> rename(f, OUTSIDER, image.id(), "renamed"));
    answers(
        404,
        StoreErrorCode.IMAGE_NOT_FOUND,
        () -> f.images().setVisibility(OUTSIDER, image.id(), Visibility.SHARED));
  }

  // Deactivate and reactivate

  /**
   * Glance 25.1.0 (secure RBAC) answered 204 to an owner-project member (no admin
   * role) deactivating an active image, 204 again on the deactivated image, and 204 to its
   * reactivate (2026-11-22).
   */
  @Test
  void ownerProjectMemberDeactivatesAndReactivatesActiveImage() {
    Image image = activate(f.create(PRODUCER, "x", Visibility.PRIVATE));
    assertThat(f.images().deactivate(PRODUCER, image.id()).status())
        .isEqualTo(ImageStatus.DEACTIVATED);
    assertThat(f.images().deactivate(PRODUCER, image.id()).status())
        .isEqualTo(ImageStatus.DEACTIVATED);
    assertThat(f.images().reactivate(PRODUCER, image.id()).status()).isEqualTo(ImageStatus.ACTIVE);
  }

  /**
   * Glance 25.1.0 (secure RBAC) answered 403 to an owner-project reader reactivating a
   * deactivated image (2026-11-22).
   */
  @Test
  void ownerProjectReaderCannotReactivate() {
    Image image = activate(f.create(PRODUCER, "x", Visibility.PRIVATE));
    f.images().deactivate(PRODUCER, image.id());
    answers(
        403, RuleCode.POLICY_DENIED, () -> f.images().reactivate(PRODUCER_READER, image.id()));
  }

  // List markers

  /**
   * Glance 25.1.0 (secure RBAC) answered 403 "Forbidding request, image … not
   * visible" (2026-11-22). imagegov answers 400 {@code INVALID_MARKER} "No image found with ID
   * …", exactly as for an unknown marker, on purpose: the 403 tells a caller that another
   * project's private image exists (README's "Differences from Glance").
   */
  @Test
  void markerOfImageTheCallerCannotSeeIsAnsweredLikeAnUnknownMarker() {
    Image other = f.create(OUTSIDER, "outsider-private", Visibility.PRIVATE);
    answers(
        400, StoreErrorCode.INVALID_MARKER, () -> f.listIds(PRODUCER, "marker=" + other.id()));
  }

  /**
   * Glance 25.1.0 (secure RBAC) answered 400 "No image found with ID …"
   * (2026-11-22).
   */
  @Test
  void unknownMarkerIsBadRequest() {
    answers(
        400, StoreErrorCode.INVALID_MARKER, () -> f.listIds(PRODUCER, "marker=" + UUID.randomUUID()));
  }

  /**
   * Glance 25.1.0 (secure RBAC) answered 400 to a member whose own deleted image was
   * the marker (2026-11-22).
   */
  @Test
  void deletedImageAsMarkerIsBadRequestForMember() {
    Image dead = f.create(PRODUCER, "dead", Visibility.PRIVATE);
    f.images().delete(PRODUCER, dead.id());
    answers(400, StoreErrorCode.INVALID_MARKER, () -> f.listIds(PRODUCER, "marker=" + dead.id()));
  }

  /**
   * Glance 25.1.0 (secure RBAC) answered 200 to an admin whose marker was a deleted
   * image (2026-11-22). imagegov answers 400: a recorded difference (README's "Differences from
   * Glance": a deleted image is never a marker, since a tombstone keeps no sort keys).
   */
  @Test
  void deletedImageAsMarkerIsBadRequestEvenForAdmin() {
    Image dead = f.create(PRODUCER, "dead", Visibility.PRIVATE);
    f.images().delete(PRODUCER, dead.id());
    answers(400, StoreErrorCode.INVALID_MARKER, () -> f.listIds(ADMIN, "marker=" + dead.id()));
  }

  // The member role without reader (implied roles off)

  private static Fixtures withoutImpliedRoles() {
    return new Fixtures(
        GovernanceConfig.builder()
            .policy(Policy.secureDefaults().withImpliedRoles(Map.of()))
            .build());
  }

  /**
   * Glance 25.1.0 (secure RBAC, no implied roles) answered 404 to a
   * caller of the owner project holding {@code member} but not {@code reader} getting its own
   * image, and 403 to its list (2026-11-22).
   */
  @Test
  void memberWithoutReaderCannotGetOrListItsOwnImage() {
    Fixtures strict = withoutImpliedRoles();
    Image image = strict.create(PRODUCER, "own", Visibility.PRIVATE);
    answers(404, StoreErrorCode.IMAGE_NOT_FOUND, () -> strict.images().get(MEMBER_ONLY, image.id()));
    answers(403, RuleCode.POLICY_DENIED, () -> strict.listIds(MEMBER_ONLY, ""));
  }

  /**
   * Glance 25.1.0 (secure RBAC, no implied roles) answered 200 to
   * the same caller's PATCH of the name and of the visibility (to shared), 204 to its deactivate
   * and reactivate, and 204 to its DELETE: those rules ask for {@code member} only (2026-11-22).
   */
  @Test
  void memberWithoutReaderCanStillChangeDeactivateAndDeleteItsOwnImage() {
    Fixtures strict = withoutImpliedRoles();
    Image image = activate(strict, strict.create(PRODUCER, "own", Visibility.PRIVATE));
    assertThat(rename(strict, MEMBER_ONLY, image.id(), "renamed").name()).hasValue("renamed");
    assertThat(
            strict.images().setVisibility(MEMBER_ONLY, image.id(), Visibility.SHARED).visibility())
        .isEqualTo(Visibility.SHARED);
    assertThat(strict.images().deactivate(MEMBER_ONLY, image.id()).status())
        .isEqualTo(ImageStatus.DEACTIVATED);
    assertThat(strict.images().reactivate(MEMBER_ONLY, image.id()).status())
        .isEqualTo(ImageStatus.ACTIVE);
    strict.images().delete(MEMBER_ONLY, image.id());
    assertThat(strict.governance.catalog().find(image.id())).isEmpty();
  }

  /**
   * Glance 25.1.0 (secure RBAC, no implied roles) answered 204 to
   * the same caller deactivating an already deactivated image and reactivating an already active
   * one, and 200 to its PATCH of the visibility to the value it already had: a no-op answers like
   * the change would, without a {@code get_image} check (2026-11-22).
   */
  @Test
  void memberWithoutReaderGetsTheSameAnswerForNoOpChanges() {
    Fixtures strict = withoutImpliedRoles();
    Image image = activate(strict, strict.create(PRODUCER, "own", Visibility.SHARED));
    assertThat(
            strict.images().setVisibility(MEMBER_ONLY, image.id(), Visibility.SHARED).visibility())
        .isEqualTo(Visibility.SHARED);
    assertThat(strict.images().reactivate(MEMBER_ONLY, image.id()).status())
        .isEqualTo(ImageStatus.ACTIVE);
    strict.images().deactivate(MEMBER_ONLY, image.id());
    assertThat(strict.images().deactivate(MEMBER_ONLY, image.id()).status())
        .isEqualTo(ImageStatus.DEACTIVATED);
  }

  // Pending and rejected members

  private Image sharedWithData() {
    Image image = f.create(PRODUCER, "shared", Visibility.SHARED);
    f.sharing().addMember(PRODUCER, image.id(), A);
    f.sharing().addMember(PRODUCER, image.id(), B);
    return activate(image);
  }

  /**
   * Glance 25.1.0 (secure RBAC) answered 200 to a pending member's GET and 200 to its
   * download, after the owner uploaded data (2026-11-22).
   */
  @Test
  void pendingMemberCanGetAndDownload() {
    Image image = sharedWithData();
    assertThat(f.images().get(CONSUMER_A, image.id()).id()).isEqualTo(image.id());
    assertThat(f.governance.access().authorizeDownload(CONSUMER_A, image.id()).id())
        .isEqualTo(image.id());
  }

  /**
   * Glance 25.1.0 (secure RBAC) answered 200 to a rejected member's GET and 200 to its
   * download (2026-11-22).
   */
  @Test
  void rejectedMemberCanGetAndDownload() {
    Image image = sharedWithData();
    f.sharing().updateMemberStatus(CONSUMER_B, image.id(), B, MemberStatus.REJECTED);
    assertThat(f.images().get(CONSUMER_B, image.id()).id()).isEqualTo(image.id());
    assertThat(f.governance.access().authorizeDownload(CONSUMER_B, image.id()).id())
        .isEqualTo(image.id());
  }

  // Member status

  /** Glance 25.1.0 (secure RBAC) answered 403 (modify_member) (2026-11-22). */
  @Test
  void ownerCannotSetMemberStatus() {
    Image image = sharedWithData();
    answers(
        403,
        RuleCode.POLICY_DENIED,
        () -> f.sharing().updateMemberStatus(PRODUCER, image.id(), A, MemberStatus.ACCEPTED));
  }

  /**
   * Glance 25.1.0 (secure RBAC) answered 404 "… not found in the member list of the
   * image" to a member setting another member's status, and 404 to its GET of that row
   * (2026-11-22).
   */
  @Test
  void memberSettingAnotherMembersStatusGetsNotFound() {
    Image image = sharedWithData();
    answers(
        404,
        RuleCode.MEMBER_NOT_FOUND,
        () -> f.sharing().updateMemberStatus(CONSUMER_A, image.id(), B, MemberStatus.ACCEPTED));
    answers(
        404, RuleCode.MEMBER_NOT_FOUND, () -> f.sharing().getMember(CONSUMER_A, image.id(), B));
    assertThat(f.sharing().getMember(PRODUCER, image.id(), B).status())
        .isEqualTo(MemberStatus.PENDING);
  }

  /** Glance 25.1.0 (secure RBAC) answered 403 (modify_member) (2026-11-22). */
  @Test
  void readerOnlyMemberCannotSetItsOwnStatus() {
    Image image = sharedWithData();
    answers(
        403,
        RuleCode.POLICY_DENIED,
        () ->
            f.sharing()
                .updateMemberStatus(
                    Caller.reader("consumer-a"), image.id(), A, MemberStatus.ACCEPTED));
  }

  // Removing members

  /** Glance 25.1.0 (secure RBAC) answered 403 (delete_member) (2026-11-22). */
  @Test
  void memberCannotRemoveItsOwnMembership() {
    Image image = sharedWithData();
    answers(
        403, RuleCode.POLICY_DENIED, () -> f.sharing().removeMember(CONSUMER_A, image.id(), A));
  }

  /**
   * Glance 25.1.0 (secure RBAC) answered 404 "… not found in the member list of the
   * image" (2026-11-22).
   */
  @Test
  void ownerRemovingNonMemberGetsNotFound() {
    Image image = sharedWithData();
    answers(
        404, RuleCode.MEMBER_NOT_FOUND, () -> f.sharing().removeMember(PRODUCER, image.id(), C));
  }

  // Member quota (image_member_quota = 2)

  private static Fixtures memberQuotaTwo() {
    return new Fixtures(GovernanceConfig.builder().imageMemberQuota(2).build());
  }

  /**
   * Glance 25.1.0 (secure RBAC, {@code image_member_quota = 2}) answered 413 "Image
   * member limit exceeded … Attempted: 3, Maximum: 2" to the third add (2026-11-22).
   */
  @Test
  void thirdMemberOverQuotaOfTwoIsOverLimit() {
    Fixtures q = memberQuotaTwo();
    Image image = q.create(PRODUCER, "shared", Visibility.SHARED);
    q.sharing().addMember(PRODUCER, image.id(), A);
    q.sharing().addMember(PRODUCER, image.id(), B);
    answers(
        413, RuleCode.MEMBER_QUOTA_EXCEEDED, () -> q.sharing().addMember(PRODUCER, image.id(), C));
  }

  /**
   * Glance 25.1.0 (secure RBAC, {@code image_member_quota = 2}) answered 413, not 409,
   * to re-adding an existing member at the limit, and 409 to re-adding one under it (2026-11-22).
   */
  @Test
  void reAddingExistingMemberAtQuotaIsOverLimitNotConflict() {
    Fixtures q = memberQuotaTwo();
    Image full = q.create(PRODUCER, "full", Visibility.SHARED);
    q.sharing().addMember(PRODUCER, full.id(), A);
    q.sharing().addMember(PRODUCER, full.id(), B);
    answers(
        413, RuleCode.MEMBER_QUOTA_EXCEEDED, () -> q.sharing().addMember(PRODUCER, full.id(), A));
    Image one = q.create(PRODUCER, "one", Visibility.SHARED);
    q.sharing().addMember(PRODUCER, one.id(), A);
    answers(409, RuleCode.DUPLICATE_MEMBER, () -> q.sharing().addMember(PRODUCER, one.id(), A));
  }

  // Members of images that are not shared

  /**
   * Glance 25.1.0 (secure RBAC) answered 403 "Not allowed to create members for image
   * …" for a private, a public and a community image, both to an admin and to the owner
   * (2026-11-22).
   */
  @Test
  void addingMemberToImageThatIsNotSharedIsForbidden() {
    for (Visibility v : NOT_SHARED) {
      Image image = f.createFor("producer", "not-shared", v);
      answers(403, RuleCode.NOT_SHARED, () -> f.sharing().addMember(PRODUCER, image.id(), A));
      answers(403, RuleCode.NOT_SHARED, () -> f.sharing().addMember(ADMIN, image.id(), A));
    }
  }

  /**
   * Glance 25.1.0 (secure RBAC) answered 403 "Not allowed to list members for image
   * …: Only shared images have members." for a private, a public and a community image
   * (2026-11-22).
   */
  @Test
  void listingMembersOfImageThatIsNotSharedIsForbidden() {
    for (Visibility v : NOT_SHARED) {
      Image image = f.createFor("producer", "not-shared", v);
      answers(403, RuleCode.NOT_SHARED, () -> f.sharing().listMembers(PRODUCER, image.id()));
      answers(403, RuleCode.NOT_SHARED, () -> f.sharing().listMembers(ADMIN, image.id()));
    }
  }

  /**
   * Glance 25.1.0 (secure RBAC) answered 404 "Only shared images have members." to a
   * GET of one member of a private, a public and a community image, including a dormant member
   * of an image made private after sharing (2026-11-22).
   */
  @Test
  void gettingOneMemberOfImageThatIsNotSharedIsNotFound() {
    for (Visibility v : NOT_SHARED) {
      Image image = f.createFor("producer", "not-shared", v);
      answers(
          404, RuleCode.MEMBER_NOT_FOUND, () -> f.sharing().getMember(PRODUCER, image.id(), A));
    }
    Image dormant = f.create(PRODUCER, "was-shared", Visibility.SHARED);
    f.sharing().addMember(PRODUCER, dormant.id(), A);
    f.images().setVisibility(PRODUCER, dormant.id(), Visibility.PRIVATE);
    answers(
        404, RuleCode.MEMBER_NOT_FOUND, () -> f.sharing().getMember(PRODUCER, dormant.id(), A));
  }

  /**
   * Glance 25.1.0 (secure RBAC) answered 404 to a dormant member's GET of an image
   * made private after it was shared with it (2026-11-22).
   */
  @Test
  void dormantMemberCannotGetPrivateImage() {
    Image image = f.create(PRODUCER, "was-shared", Visibility.SHARED);
    f.sharing().addMember(PRODUCER, image.id(), A);
    f.images().setVisibility(PRODUCER, image.id(), Visibility.PRIVATE);
    answers(404, StoreErrorCode.IMAGE_NOT_FOUND, () -> f.images().get(CONSUMER_A, image.id()));
  }

  // Community images in lists

  /**
   * Glance 25.1.0 (secure RBAC) answered 200 with another project's community image
   * for {@code visibility=community}, and 200 without it for the default list (2026-11-22).
   */
  @Test
  void communityImagesOfOthersAreListedOnlyWhenAskedFor() {
    Image community = f.create(OUTSIDER, "outsider-community", Visibility.COMMUNITY);
    assertThat(f.listIds(CONSUMER_C, "visibility=community")).contains(community.id());
    assertThat(f.listIds(CONSUMER_C, "limit=1000")).doesNotContain(community.id());
    assertThat(f.listIds(OUTSIDER, "visibility=community")).contains(community.id());
  }

  /**
   * Glance 25.1.0 (secure RBAC) answered 200 to an admin's default list, without
   * another project's community image but with the admin project's own one (2026-11-22).
   */
  @Test
  void adminDefaultListExcludesOthersCommunityImagesButIncludesItsOwn() {
    Image others = f.create(OUTSIDER, "outsider-community", Visibility.COMMUNITY);
    Image own = f.create(ADMIN, "admin-community", Visibility.COMMUNITY);
    assertThat(f.listIds(ADMIN, "limit=1000")).contains(own.id()).doesNotContain(others.id());
  }

  // List parameters

  /**
   * Glance 25.1.0 (secure RBAC) listed the hidden image for {@code os_hidden=true} and
   * left it out of the default list; {@code os_hidden=yes} answered 400 (2026-11-22).
   */
  @Test
  void osHiddenTrueListsHiddenImages() {
    Image hidden =
        f.images()
            .create(
                PRODUCER,
                NewImage.builder()
                    .name("hidden")
                    .visibility(Visibility.PRIVATE)
                    .osHidden(true)
                    .build());
    Image shown = f.create(PRODUCER, "shown", Visibility.PRIVATE);
    assertThat(f.listIds(PRODUCER, "os_hidden=true")).containsExactly(hidden.id());
    assertThat(f.listIds(PRODUCER, "limit=1000")).containsExactly(shown.id());
    answers(400, RuleCode.INVALID_FILTER, () -> f.listIds(PRODUCER, "os_hidden=yes"));
  }

  /**
   * Glance 25.1.0 (secure RBAC) answered 400 "Invalid value 'False' for 'protected'
   * filter" (2026-11-22).
   */
  @Test
  void protectedFilterWithCapitalFalseIsBadRequest() {
    answers(400, RuleCode.INVALID_FILTER, () -> f.listIds(PRODUCER, "protected=False"));
  }

  /**
   * Glance 25.1.0 (secure RBAC) answered 400 "Unable to filter by unknown operator
   * 'foo'." to {@code name=foo:bar}, and 200 with the image named {@code foo:bar} to {@code
   * name=eq:foo:bar} (2026-11-22).
   */
  @Test
  void nameWithColonNeedsTheEqOperator() {
    Image colon = f.create(PRODUCER, "foo:bar", Visibility.PRIVATE);
    f.create(PRODUCER, "foo", Visibility.PRIVATE);
    answers(400, RuleCode.INVALID_FILTER, () -> f.listIds(PRODUCER, "name=foo:bar"));
    assertThat(f.listIds(PRODUCER, "name=eq:foo:bar")).containsExactly(colon.id());
  }

  /**
   * Glance 25.1.0 (secure RBAC) answered 400 "Unable to filter on a range with a
   * non-numeric value." (2026-11-22).
   */
  @Test
  void nonNumericSizeMinIsBadRequest() {
    answers(400, RuleCode.INVALID_FILTER, () -> f.listIds(PRODUCER, "size_min=blah"));
  }

  /**
   * Glance 25.1.0 (secure RBAC) answered 500 to {@code foo_min=1} (2026-11-22).
   * imagegov answers 400: a recorded difference (the reference's decisions block and README's
   * "Differences from Glance": unknown {@code *_min}/{@code *_max} filters are bad input).
   */
  @Test
  void rangeFilterOnUnknownColumnIsBadRequestNotServerError() {
    answers(400, RuleCode.INVALID_FILTER, () -> f.listIds(PRODUCER, "foo_min=1"));
  }

  /**
   * Glance 25.1.0 (secure RBAC) answered 400 "Invalid sort key: min_ram" to {@code
   * sort_key=min_ram}, 400 "Old and new sorting syntax cannot be combined" to {@code
   * sort=name&sort_dir=asc}, and 400 "Invalid sort direction: up" to {@code sort_dir=up}
   * (2026-11-22).
   */
  @Test
  void badSortParametersAreBadRequest() {
    answers(400, RuleCode.INVALID_SORT, () -> f.listIds(PRODUCER, "sort_key=min_ram"));
    answers(400, RuleCode.INVALID_SORT, () -> f.listIds(PRODUCER, "sort=name&sort_dir=asc"));
    answers(400, RuleCode.INVALID_SORT, () -> f.listIds(PRODUCER, "sort_key=name&sort_dir=up"));
  }

  /**
   * Glance 25.1.0 (secure RBAC) answered 400 "The "changes-since" filter is no longer
   * available on v2." (2026-11-22).
   */
  @Test
  void changesSinceIsBadRequest() {
    answers(400, RuleCode.INVALID_FILTER, () -> f.listIds(PRODUCER, "changes-since=x"));
  }

  /**
   * Glance 25.1.0 (secure RBAC) answered 400 "limit param must be positive" to {@code
   * limit=-1} and 200 to {@code limit=0} (2026-11-22).
   */
  @Test
  void negativeLimitIsBadRequest() {
    answers(400, RuleCode.INVALID_LIMIT, () -> f.listIds(PRODUCER, "limit=-1"));
    f.create(PRODUCER, "x", Visibility.PRIVATE);
    assertThat(f.listIds(PRODUCER, "limit=0")).isEmpty();
  }

  /** Glance 25.1.0 (secure RBAC) answered 400 "Invalid status: bogus" (2026-11-22). */
  @Test
  void bogusMemberStatusIsBadRequest() {
    answers(400, RuleCode.INVALID_FILTER, () -> f.listIds(PRODUCER, "member_status=bogus"));
  }

  /**
   * Glance 25.1.0 (secure RBAC) answered 400 "Invalid visibility value: bogus"
   * (2026-11-22).
   */
  @Test
  void bogusVisibilityIsBadRequest() {
    answers(400, RuleCode.INVALID_FILTER, () -> f.listIds(PRODUCER, "visibility=bogus"));
  }

  // Delete and id reuse

  /**
   * Glance 25.1.0 (secure RBAC) answered 204, then 404 "Failed to find image … to
   * delete" to the owner's second DELETE and to an admin's (2026-11-22).
   */
  @Test
  void secondDeleteOfSameImageIsNotFound() {
    Image image = f.create(PRODUCER, "x", Visibility.PRIVATE);
    f.images().delete(PRODUCER, image.id());
    answers(404, StoreErrorCode.IMAGE_NOT_FOUND, () -> f.images().delete(PRODUCER, image.id()));
    answers(404, StoreErrorCode.IMAGE_NOT_FOUND, () -> f.images().delete(ADMIN, image.id()));
  }

  /**
   * Glance 25.1.0 (secure RBAC) answered 403 "Image … is protected and cannot be
   * deleted." to an admin and to the owner (2026-11-22).
   */
  @Test
  void adminCannotDeleteProtectedImage() {
    Image image =
        f.images()
            .create(
                PRODUCER,
                NewImage.builder()
                    .name("p")
                    .visibility(Visibility.PRIVATE)
                    .isProtected(true)
                    .build());
    answers(403, RuleCode.IMAGE_PROTECTED, () -> f.images().delete(ADMIN, image.id()));
    answers(403, RuleCode.IMAGE_PROTECTED, () -> f.images().delete(PRODUCER, image.id()));
    assertThat(f.images().get(PRODUCER, image.id()).status()).isEqualTo(ImageStatus.QUEUED);
  }

  /**
   * Glance 25.1.0 (secure RBAC) answered 409 "Image ID … already exists!" to the
   * owner and to an admin (2026-11-22).
   */
  @Test
  void creatingImageWithIdOfDeletedImageIsConflict() {
    Image image = f.create(PRODUCER, "x", Visibility.PRIVATE);
    f.images().delete(PRODUCER, image.id());
    String id = image.id().value();
    answers(
        409,
        StoreErrorCode.DUPLICATE_IMAGE_ID,
        () -> f.images().create(PRODUCER, NewImage.builder().id(id).name("reuse").build()));
    answers(
        409,
        StoreErrorCode.DUPLICATE_IMAGE_ID,
        () -> f.images().create(ADMIN, NewImage.builder().id(id).name("reuse").build()));
  }

  // Visibility changes by the owner

  /**
   * Glance 25.1.0 (secure RBAC) answered 403 (publicize_image) to an owner-project
   * member setting its public image to public again (2026-11-22).
   */
  @Test
  void ownerMemberSettingPublicImageToPublicIsForbidden() {
    Image image = f.createFor("producer", "pub", Visibility.PUBLIC);
    answers(
        403,
        RuleCode.POLICY_DENIED,
        () -> f.images().setVisibility(PRODUCER, image.id(), Visibility.PUBLIC));
  }

  /**
   * Glance 25.1.0 (secure RBAC) answered 200 to an owner-project member setting its
   * public image to private, and 200 to private again (2026-11-22).
   */
  @Test
  void ownerMemberCanMakePublicImagePrivate() {
    Image image = f.createFor("producer", "pub", Visibility.PUBLIC);
    assertThat(f.images().setVisibility(PRODUCER, image.id(), Visibility.PRIVATE).visibility())
        .isEqualTo(Visibility.PRIVATE);
    assertThat(f.images().setVisibility(PRODUCER, image.id(), Visibility.PRIVATE).visibility())
        .isEqualTo(Visibility.PRIVATE);
  }

  // Changes by an unrelated project

  /**
   * Glance 25.1.0 (secure RBAC) answered 403 to an unrelated project's PATCH of a
   * public image's name and of its visibility, 403 to its DELETE and 403 to its deactivate
   * (2026-11-22).
   */
  @Test
  void unrelatedProjectChangingPublicImageIsForbidden() {
    Image image = activate(f.createFor("producer", "pub", Visibility.PUBLIC));
    ImageId id = image.id();
    answers(403, RuleCode.POLICY_DENIED, () -> rename(f, OUTSIDER, id, "renamed"));
    answers(
        403,
        RuleCode.POLICY_DENIED,
        () -> f.images().setVisibility(OUTSIDER, id, Visibility.PRIVATE));
    answers(403, RuleCode.POLICY_DENIED, () -> f.images().delete(OUTSIDER, id));
    answers(403, RuleCode.POLICY_DENIED, () -> f.images().deactivate(OUTSIDER, id));
    assertThat(f.governance.access().explain(OUTSIDER, id, Action.MODIFY).outcome())
        .isEqualTo(AccessExplanation.Outcome.FORBIDDEN);
  }

  /**
   * Glance 25.1.0 (secure RBAC) answered 404 "No image found with ID …" to an
   * unrelated project's PATCH of a private image's name (2026-11-22).
   */
  @Test
  void unrelatedProjectChangingPrivateImageGetsNotFound() {
    Image image = f.create(PRODUCER, "priv", Visibility.PRIVATE);
    answers(404, StoreErrorCode.IMAGE_NOT_FOUND, () -> rename(f, OUTSIDER, image.id(), "renamed"));
    answers(
        404,
        StoreErrorCode.IMAGE_NOT_FOUND,
        () -> f.images().setVisibility(OUTSIDER, image.id(), Visibility.SHARED));
    assertThat(f.governance.access().explain(OUTSIDER, image.id(), Action.MODIFY).outcome())
        .isEqualTo(AccessExplanation.Outcome.NOT_FOUND);
  }
}
