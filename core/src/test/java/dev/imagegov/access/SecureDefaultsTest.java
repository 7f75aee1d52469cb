package dev.imagegov.access;

import static dev.imagegov.access.Fixtures.CONSUMER;
import static dev.imagegov.access.Fixtures.OUTSIDER;
import static dev.imagegov.access.Fixtures.OWNER;
import static dev.imagegov.access.Fixtures.image;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegov.model.Image;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Glance's new (secure RBAC) defaults, rule by rule and persona by persona. */
class SecureDefaultsTest {
  private static final Policy POLICY = Policy.secureDefaults();

  private static final Caller ADMIN_ELSEWHERE = Caller.of("p-admin", "admin");
  private static final Caller OWNER_MEMBER = Caller.of(OWNER, "member");
  private static final Caller OWNER_READER = Caller.reader(OWNER);
  private static final Caller CONSUMER_MEMBER = Caller.of(CONSUMER, "member");
  private static final Caller CONSUMER_READER = Caller.reader(CONSUMER);
  private static final Caller OUTSIDER_MEMBER = Caller.member(OUTSIDER);
  private static final Caller NO_ROLES = Caller.of(OWNER);

  private static boolean allows(String rule, Caller caller, Image image) {
    boolean fast = POLICY.allows(rule, caller, ImageTarget.of(image, caller));
    assertThat(POLICY.decide(rule, caller, ImageTarget.of(image, caller)).allowed()).isEqualTo(fast);
    return fast;
  }

  private static boolean allowsGlobally(String rule, Caller caller) {
    return POLICY.allows(rule, caller, Fixtures.ownProject(caller));
  }

  // ------------------------------------------------------------ context_is_admin

  @Test
  void contextIsAdminHoldsForTheAdminRoleOnly() {
    assertThat(POLICY.isAdmin(ADMIN_ELSEWHERE)).isTrue();
    assertThat(POLICY.isAdmin(Caller.withoutProject("Admin"))).isTrue();
    assertThat(POLICY.isAdmin(OWNER_MEMBER)).isFalse();
    assertThat(POLICY.isAdmin(NO_ROLES)).isFalse();
  }

  // ------------------------------------------------------------ add_image

  @Test
  void addImageAllowsMemberCreatingForItsOwnProject() {
    PolicyTarget t = ImageTarget.forNewImage(Optional.of(ProjectId.of(OWNER)), Visibility.SHARED);
    assertThat(POLICY.allows(Rules.ADD_IMAGE, OWNER_MEMBER, t)).isTrue();
  }

  @Test
  void addImageDeniesMemberCreatingForAnotherProject() {
    PolicyTarget t = ImageTarget.forNewImage(Optional.of(ProjectId.of(CONSUMER)), Visibility.SHARED);
    assertThat(POLICY.allows(Rules.ADD_IMAGE, OWNER_MEMBER, t)).isFalse();
  }

  @Test
  void addImageDeniesReader() {
    PolicyTarget t = ImageTarget.forNewImage(Optional.of(ProjectId.of(OWNER)), Visibility.SHARED);
    assertThat(POLICY.allows(Rules.ADD_IMAGE, OWNER_READER, t)).isFalse();
  }

  @Test
  void addImageAllowsAdminForAnyOwner() {
    PolicyTarget t = ImageTarget.forNewImage(Optional.of(ProjectId.of(CONSUMER)), Visibility.PUBLIC);
    assertThat(POLICY.allows(Rules.ADD_IMAGE, ADMIN_ELSEWHERE, t)).isTrue();
  }

  @Test
  void addImageDeniesMemberWhenTheOwnerIsUnknown() {
    PolicyTarget t = ImageTarget.forNewImage(Optional.empty(), Visibility.SHARED);
    assertThat(POLICY.allows(Rules.ADD_IMAGE, OWNER_MEMBER, t)).isFalse();
  }

  // ------------------------------------------------------------ get_image

  @Test
  void getImageAllowsReaderOfOwnerProject() {
    assertThat(allows(Rules.GET_IMAGE, OWNER_READER, image(Visibility.PRIVATE))).isTrue();
  }

  @Test
  void getImageAllowsAdminOfAnyProject() {
    assertThat(allows(Rules.GET_IMAGE, ADMIN_ELSEWHERE, image(Visibility.PRIVATE))).isTrue();
  }

  @Test
  void getImageAllowsAnyReaderOnPublicCommunityAndSharedImages() {
    for (Visibility v : new Visibility[] {Visibility.PUBLIC, Visibility.COMMUNITY, Visibility.SHARED}) {
      assertThat(allows(Rules.GET_IMAGE, Caller.reader(OUTSIDER), image(v))).as(v.wireName()).isTrue();
    }
  }

  @Test
  void getImageDeniesOutsiderOnPrivateImage() {
    assertThat(allows(Rules.GET_IMAGE, OUTSIDER_MEMBER, image(Visibility.PRIVATE))).isFalse();
  }

  @Test
  void getImageDeniesCallerWithoutRoles() {
    assertThat(allows(Rules.GET_IMAGE, NO_ROLES, image(Visibility.PRIVATE))).isFalse();
    assertThat(allows(Rules.GET_IMAGE, NO_ROLES, image(Visibility.PUBLIC))).isFalse();
  }

  @Test
  void getImageAllowsMemberRoleThroughImpliedReader() {
    assertThat(allows(Rules.GET_IMAGE, OWNER_MEMBER, image(Visibility.PRIVATE))).isTrue();
  }

  @Test
  void getImageDeniesMemberRoleWithoutReaderWhenNothingIsImplied() {
    Policy strict = POLICY.withImpliedRoles(Map.of());
    Image img = image(Visibility.PRIVATE);
    assertThat(strict.allows(Rules.GET_IMAGE, OWNER_MEMBER, ImageTarget.of(img, OWNER_MEMBER))).isFalse();
  }

  // ------------------------------------------------------------ get_images

  @Test
  void getImagesAllowsReaderOfItsOwnProject() {
    assertThat(allowsGlobally(Rules.GET_IMAGES, CONSUMER_READER)).isTrue();
  }

  @Test
  void getImagesDeniesCallerWithoutRoles() {
    assertThat(allowsGlobally(Rules.GET_IMAGES, NO_ROLES)).isFalse();
  }

  @Test
  void getImagesAllowsAdmin() {
    assertThat(allowsGlobally(Rules.GET_IMAGES, ADMIN_ELSEWHERE)).isTrue();
  }

  // ------------------------------------------------------------ owner-member rules

  @Test
  void modifyImageAllowsMemberOfOwnerProject() {
    assertThat(allows(Rules.MODIFY_IMAGE, OWNER_MEMBER, image(Visibility.PRIVATE))).isTrue();
  }

  @Test
  void modifyImageDeniesReaderOfOwnerProject() {
    assertThat(allows(Rules.MODIFY_IMAGE, OWNER_READER, image(Visibility.PRIVATE))).isFalse();
  }

  @Test
  void modifyImageDeniesImageMember() {
    assertThat(allows(Rules.MODIFY_IMAGE, CONSUMER_MEMBER, image(Visibility.SHARED))).isFalse();
  }

  @Test
  void modifyImageAllowsAdminOfAnyProject() {
    assertThat(allows(Rules.MODIFY_IMAGE, ADMIN_ELSEWHERE, image(Visibility.PUBLIC))).isTrue();
  }

  @Test
  void modifyImageDeniesEveryoneButAdminOnUnownedImages() {
    assertThat(allows(Rules.MODIFY_IMAGE, OWNER_MEMBER, Fixtures.unowned(Visibility.PUBLIC))).isFalse();
    assertThat(allows(Rules.MODIFY_IMAGE, ADMIN_ELSEWHERE, Fixtures.unowned(Visibility.PUBLIC))).isTrue();
  }

  @Test
  void publicizeImageNeedsAdmin() {
    assertThat(allows(Rules.PUBLICIZE_IMAGE, OWNER_MEMBER, image(Visibility.PRIVATE))).isFalse();
    assertThat(allows(Rules.PUBLICIZE_IMAGE, ADMIN_ELSEWHERE, image(Visibility.PRIVATE))).isTrue();
  }

  @Test
  void communitizeImageAllowsMemberOfOwnerProject() {
    assertThat(allows(Rules.COMMUNITIZE_IMAGE, OWNER_MEMBER, image(Visibility.PRIVATE))).isTrue();
  }

  @Test
  void communitizeImageDeniesReaderAndOutsiders() {
    assertThat(allows(Rules.COMMUNITIZE_IMAGE, OWNER_READER, image(Visibility.PRIVATE))).isFalse();
    assertThat(allows(Rules.COMMUNITIZE_IMAGE, OUTSIDER_MEMBER, image(Visibility.PUBLIC))).isFalse();
  }

  @Test
  void deleteImageAllowsMemberOfOwnerProject() {
    assertThat(allows(Rules.DELETE_IMAGE, OWNER_MEMBER, image(Visibility.SHARED))).isTrue();
  }

  @Test
  void deleteImageDeniesImageMemberAndReader() {
    assertThat(allows(Rules.DELETE_IMAGE, CONSUMER_MEMBER, image(Visibility.SHARED))).isFalse();
    assertThat(allows(Rules.DELETE_IMAGE, OWNER_READER, image(Visibility.SHARED))).isFalse();
  }

  @Test
  void uploadImageAllowsMemberOfOwnerProject() {
    assertThat(allows(Rules.UPLOAD_IMAGE, OWNER_MEMBER, image(Visibility.PRIVATE))).isTrue();
  }

  @Test
  void uploadImageDeniesReaderAndOutsider() {
    assertThat(allows(Rules.UPLOAD_IMAGE, OWNER_READER, image(Visibility.PRIVATE))).isFalse();
    assertThat(allows(Rules.UPLOAD_IMAGE, OUTSIDER_MEMBER, image(Visibility.PUBLIC))).isFalse();
  }

  @Test
  void deactivateAllowsMemberOfOwnerProjectOnly() {
    assertThat(allows(Rules.DEACTIVATE, OWNER_MEMBER, image(Visibility.PUBLIC))).isTrue();
    assertThat(allows(Rules.DEACTIVATE, CONSUMER_MEMBER, image(Visibility.PUBLIC))).isFalse();
    assertThat(allows(Rules.DEACTIVATE, ADMIN_ELSEWHERE, image(Visibility.PUBLIC))).isTrue();
  }

  @Test
  void reactivateAllowsMemberOfOwnerProjectOnly() {
    assertThat(allows(Rules.REACTIVATE, OWNER_MEMBER, image(Visibility.PUBLIC))).isTrue();
    assertThat(allows(Rules.REACTIVATE, OWNER_READER, image(Visibility.PUBLIC))).isFalse();
  }

  @Test
  void copyImageNeedsAdmin() {
    assertThat(allows(Rules.COPY_IMAGE, OWNER_MEMBER, image(Visibility.PUBLIC))).isFalse();
    assertThat(allows(Rules.COPY_IMAGE, ADMIN_ELSEWHERE, image(Visibility.PUBLIC))).isTrue();
  }

  // ------------------------------------------------------------ download_image

  @Test
  void downloadImageAllowsMemberOfOwnerProject() {
    assertThat(allows(Rules.DOWNLOAD_IMAGE, OWNER_MEMBER, image(Visibility.PRIVATE))).isTrue();
  }

  @Test
  void downloadImageAllowsImageMemberWithMemberRole() {
    assertThat(allows(Rules.DOWNLOAD_IMAGE, CONSUMER_MEMBER, image(Visibility.SHARED))).isTrue();
  }

  @Test
  void downloadImageAllowsAnyMemberRoleOnPublicAndCommunityImages() {
    assertThat(allows(Rules.DOWNLOAD_IMAGE, OUTSIDER_MEMBER, image(Visibility.PUBLIC))).isTrue();
    assertThat(allows(Rules.DOWNLOAD_IMAGE, OUTSIDER_MEMBER, image(Visibility.COMMUNITY))).isTrue();
  }

  @Test
  void readerOnlyCannotDownload() {
    assertThat(allows(Rules.DOWNLOAD_IMAGE, OWNER_READER, image(Visibility.PRIVATE))).isFalse();
    assertThat(allows(Rules.DOWNLOAD_IMAGE, CONSUMER_READER, image(Visibility.PUBLIC))).isFalse();
  }

  @Test
  void downloadImageDeniesOutsiderOnPrivateImage() {
    assertThat(allows(Rules.DOWNLOAD_IMAGE, OUTSIDER_MEMBER, image(Visibility.PRIVATE))).isFalse();
  }

  // ------------------------------------------------------------ locations

  @Test
  void getImageLocationAllowsReaderOfOwnerProject() {
    assertThat(allows(Rules.GET_IMAGE_LOCATION, OWNER_READER, image(Visibility.PUBLIC))).isTrue();
    assertThat(allows(Rules.GET_IMAGE_LOCATION, CONSUMER_MEMBER, image(Visibility.PUBLIC))).isFalse();
  }

  @Test
  void setImageLocationNeedsMemberOfOwnerProject() {
    assertThat(allows(Rules.SET_IMAGE_LOCATION, OWNER_MEMBER, image(Visibility.PUBLIC))).isTrue();
    assertThat(allows(Rules.SET_IMAGE_LOCATION, OWNER_READER, image(Visibility.PUBLIC))).isFalse();
  }

  @Test
  void deleteImageLocationNeedsAdmin() {
    assertThat(allows(Rules.DELETE_IMAGE_LOCATION, OWNER_MEMBER, image(Visibility.PUBLIC))).isFalse();
    assertThat(allows(Rules.DELETE_IMAGE_LOCATION, ADMIN_ELSEWHERE, image(Visibility.PUBLIC))).isTrue();
  }

  // ------------------------------------------------------------ members

  @Test
  void addMemberAllowsMemberOfOwnerProject() {
    assertThat(allows(Rules.ADD_MEMBER, OWNER_MEMBER, image(Visibility.SHARED))).isTrue();
  }

  @Test
  void addMemberDeniesImageMemberAndOwnerReader() {
    assertThat(allows(Rules.ADD_MEMBER, CONSUMER_MEMBER, image(Visibility.SHARED))).isFalse();
    assertThat(allows(Rules.ADD_MEMBER, OWNER_READER, image(Visibility.SHARED))).isFalse();
  }

  @Test
  void deleteMemberAllowsMemberOfOwnerProject() {
    assertThat(allows(Rules.DELETE_MEMBER, OWNER_MEMBER, image(Visibility.SHARED))).isTrue();
  }

  @Test
  void deleteMemberDeniesTheImageMemberItself() {
    assertThat(allows(Rules.DELETE_MEMBER, CONSUMER_MEMBER, image(Visibility.SHARED))).isFalse();
  }

  @Test
  void getMemberAllowsReaderOfOwnerProject() {
    Image img = image(Visibility.SHARED);
    assertThat(POLICY.allows(Rules.GET_MEMBER, OWNER_READER, ImageTarget.forMember(img, OWNER_READER, ProjectId.of(CONSUMER)))).isTrue();
  }

  @Test
  void getMemberAllowsReaderOfTheMemberProject() {
    Image img = image(Visibility.SHARED);
    assertThat(POLICY.allows(Rules.GET_MEMBER, CONSUMER_READER, ImageTarget.forMember(img, CONSUMER_READER, ProjectId.of(CONSUMER)))).isTrue();
  }

  @Test
  void getMemberDeniesCallerWithoutRoles() {
    Caller c = Caller.of(CONSUMER);
    Image img = image(Visibility.SHARED);
    assertThat(POLICY.allows(Rules.GET_MEMBER, c, ImageTarget.forMember(img, c, ProjectId.of(CONSUMER)))).isFalse();
  }

  @Test
  void getMembersAllowsOwnerReaderAndImageMember() {
    assertThat(allows(Rules.GET_MEMBERS, OWNER_READER, image(Visibility.SHARED))).isTrue();
    assertThat(allows(Rules.GET_MEMBERS, CONSUMER_READER, image(Visibility.SHARED))).isTrue();
  }

  @Test
  void getMembersDeniesOutsiderOfPrivateImage() {
    assertThat(allows(Rules.GET_MEMBERS, OUTSIDER_MEMBER, image(Visibility.PRIVATE))).isFalse();
  }

  @Test
  void modifyMemberAllowsImageMemberWithMemberRole() {
    Image img = image(Visibility.SHARED);
    assertThat(POLICY.allows(Rules.MODIFY_MEMBER, CONSUMER_MEMBER, ImageTarget.forMember(img, CONSUMER_MEMBER, ProjectId.of(CONSUMER)))).isTrue();
  }

  @Test
  void modifyMemberDeniesOwner() {
    Image img = image(Visibility.SHARED);
    assertThat(POLICY.allows(Rules.MODIFY_MEMBER, OWNER_MEMBER, ImageTarget.forMember(img, OWNER_MEMBER, ProjectId.of(CONSUMER)))).isFalse();
  }

  @Test
  void modifyMemberDeniesReaderOnlyMember() {
    Image img = image(Visibility.SHARED);
    assertThat(POLICY.allows(Rules.MODIFY_MEMBER, CONSUMER_READER, ImageTarget.forMember(img, CONSUMER_READER, ProjectId.of(CONSUMER)))).isFalse();
  }

  @Test
  void modifyMemberAllowsAdmin() {
    Image img = image(Visibility.SHARED);
    assertThat(POLICY.allows(Rules.MODIFY_MEMBER, ADMIN_ELSEWHERE, ImageTarget.forMember(img, ADMIN_ELSEWHERE, ProjectId.of(CONSUMER)))).isTrue();
  }

  @Test
  void modifyMemberPassesPolicyForAnotherMembersRowAsGlanceDoes() {
    // Glance's member_id is the caller's own project; the row lookup, not policy, answers 404.
    Image img = image(Visibility.SHARED);
    assertThat(POLICY.allows(Rules.MODIFY_MEMBER, CONSUMER_MEMBER, ImageTarget.forMember(img, CONSUMER_MEMBER, ProjectId.of(OUTSIDER)))).isTrue();
  }

  // ------------------------------------------------------------ admin-only and open rules

  @Test
  void manageImageCacheNeedsAdmin() {
    assertThat(allowsGlobally(Rules.MANAGE_IMAGE_CACHE, OWNER_MEMBER)).isFalse();
    assertThat(allowsGlobally(Rules.MANAGE_IMAGE_CACHE, ADMIN_ELSEWHERE)).isTrue();
  }

  @Test
  void cacheRulesNeedAdmin() {
    for (String rule : new String[] {Rules.CACHE_IMAGE, Rules.CACHE_LIST, Rules.CACHE_DELETE}) {
      assertThat(allowsGlobally(rule, OWNER_MEMBER)).as(rule).isFalse();
      assertThat(allowsGlobally(rule, ADMIN_ELSEWHERE)).as(rule).isTrue();
    }
  }

  @Test
  void storesInfoDetailNeedsAdmin() {
    assertThat(allowsGlobally(Rules.STORES_INFO_DETAIL, OWNER_MEMBER)).isFalse();
    assertThat(allowsGlobally(Rules.STORES_INFO_DETAIL, ADMIN_ELSEWHERE)).isTrue();
  }

  @Test
  void tasksApiAccessNeedsAdmin() {
    assertThat(allowsGlobally(Rules.TASKS_API_ACCESS, OWNER_MEMBER)).isFalse();
    assertThat(allowsGlobally(Rules.TASKS_API_ACCESS, ADMIN_ELSEWHERE)).isTrue();
  }

  @Test
  void taskRulesFollowTheDefaultRuleWhichAllowsAnyone() {
    for (String rule : new String[] {Rules.GET_TASK, Rules.GET_TASKS, Rules.ADD_TASK, Rules.MODIFY_TASK}) {
      assertThat(allowsGlobally(rule, NO_ROLES)).as(rule).isTrue();
    }
  }

  @Test
  void undefinedRuleIsDenied() {
    assertThat(allowsGlobally("no_such_rule", ADMIN_ELSEWHERE)).isFalse();
    assertThat(POLICY.decide("no_such_rule", ADMIN_ELSEWHERE, PolicyTarget.empty()).allowed()).isFalse();
  }

  @Test
  void everyRuleConstantIsDefined() throws IllegalAccessException {
    for (java.lang.reflect.Field f : Rules.class.getFields()) {
      assertThat(POLICY.ruleNames()).contains((String) f.get(null));
      assertThat(Policy.legacyDefaults().ruleNames()).contains((String) f.get(null));
    }
  }
}
