package dev.imagegov.access;

import static dev.imagegov.access.Fixtures.CONSUMER;
import static dev.imagegov.access.Fixtures.OUTSIDER;
import static dev.imagegov.access.Fixtures.OWNER;
import static dev.imagegov.access.Fixtures.image;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegov.model.Image;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import org.junit.jupiter.api.Test;

/** Zed's legacy defaults: rules with a deprecated rule are open, the others stay strict. */
class LegacyDefaultsTest {
  private static final Policy LEGACY = Policy.legacyDefaults();
  private static final Caller NO_ROLES = Caller.of(OUTSIDER);

  private static boolean allows(Policy p, String rule, Caller c, Image img) {
    return p.allows(rule, c, ImageTarget.of(img, c));
  }

  @Test
  void legacyGetImageAllowsCallerWithoutRoles() {
    assertThat(allows(LEGACY, Rules.GET_IMAGE, NO_ROLES, image(Visibility.PRIVATE))).isTrue();
  }

  @Test
  void legacyModifyImageIsLeftToTheHardCodedOwnershipChecks() {
    assertThat(allows(LEGACY, Rules.MODIFY_IMAGE, NO_ROLES, image(Visibility.PRIVATE))).isTrue();
  }

  @Test
  void legacyDownloadImageAllowsReaderOnly() {
    assertThat(allows(LEGACY, Rules.DOWNLOAD_IMAGE, Caller.reader(OWNER), image(Visibility.PRIVATE))).isTrue();
  }

  @Test
  void legacyModifyMemberAllowsOwner() {
    Caller owner = Caller.member(OWNER);
    Image img = image(Visibility.SHARED);
    assertThat(LEGACY.allows(Rules.MODIFY_MEMBER, owner, ImageTarget.forMember(img, owner, ProjectId.of(CONSUMER)))).isTrue();
  }

  @Test
  void legacyDeleteImageLocationIsOpenBecauseItHasADeprecatedRule() {
    assertThat(allows(LEGACY, Rules.DELETE_IMAGE_LOCATION, NO_ROLES, image(Visibility.PUBLIC))).isTrue();
  }

  @Test
  void legacyPublicizeImageStillNeedsAdmin() {
    assertThat(allows(LEGACY, Rules.PUBLICIZE_IMAGE, Caller.member(OWNER), image(Visibility.PRIVATE))).isFalse();
    assertThat(allows(LEGACY, Rules.PUBLICIZE_IMAGE, Caller.admin(OUTSIDER), image(Visibility.PRIVATE))).isTrue();
  }

  @Test
  void legacyCopyImageStillNeedsAdmin() {
    assertThat(allows(LEGACY, Rules.COPY_IMAGE, Caller.member(OWNER), image(Visibility.PUBLIC))).isFalse();
  }

  @Test
  void legacyCacheRulesNeedAdminThroughManageImageCache() {
    for (String rule : new String[] {Rules.MANAGE_IMAGE_CACHE, Rules.CACHE_IMAGE, Rules.CACHE_LIST, Rules.CACHE_DELETE}) {
      assertThat(LEGACY.allows(rule, Caller.member(OWNER), PolicyTarget.empty())).as(rule).isFalse();
      assertThat(LEGACY.allows(rule, Caller.admin(OWNER), PolicyTarget.empty())).as(rule).isTrue();
    }
  }

  @Test
  void legacyStoresInfoDetailAndTasksApiAccessNeedAdmin() {
    assertThat(LEGACY.allows(Rules.STORES_INFO_DETAIL, Caller.member(OWNER), PolicyTarget.empty())).isFalse();
    assertThat(LEGACY.allows(Rules.TASKS_API_ACCESS, Caller.member(OWNER), PolicyTarget.empty())).isFalse();
  }

  @Test
  void legacyOverridingDefaultTightensEveryDeprecatedRule() {
    Policy tight = LEGACY.withRule(Rules.DEFAULT, "role:admin");
    assertThat(allows(tight, Rules.GET_IMAGE, NO_ROLES, image(Visibility.PRIVATE))).isFalse();
    assertThat(allows(tight, Rules.GET_IMAGE, Caller.reader(OWNER), image(Visibility.PRIVATE))).isTrue();
  }

  @Test
  void legacyOverriddenRuleStandsAlone() {
    Policy p = LEGACY.withRule(Rules.GET_IMAGE, "role:reader");
    assertThat(allows(p, Rules.GET_IMAGE, NO_ROLES, image(Visibility.PUBLIC))).isFalse();
  }

  @Test
  void legacyRulesKeepTheNewCheckOrTheDeprecatedOne() {
    assertThat(LEGACY.checkString(Rules.GET_IMAGE).orElseThrow())
        .startsWith("(" + Policy.secureDefaults().checkString(Rules.GET_IMAGE).orElseThrow() + ")")
        .endsWith("or (rule:default)");
    assertThat(LEGACY.checkString(Rules.PUBLICIZE_IMAGE)).contains("role:admin");
  }
}
