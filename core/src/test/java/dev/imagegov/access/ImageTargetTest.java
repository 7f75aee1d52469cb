package dev.imagegov.access;

import static dev.imagegov.access.Fixtures.CONSUMER;
import static dev.imagegov.access.Fixtures.OWNER;
import static dev.imagegov.access.Fixtures.image;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegov.model.Image;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ImageTargetTest {
  @Test
  void projectIdIsAnAliasOfOwner() {
    ImageTarget t = ImageTarget.of(image(Visibility.PRIVATE), Caller.member(CONSUMER));
    assertThat(t.get("owner")).contains(OWNER);
    assertThat(t.get("project_id")).contains(OWNER);
  }

  @Test
  void idAndImageIdAreTheImageId() {
    Image img = image(Visibility.PUBLIC);
    ImageTarget t = ImageTarget.of(img, Caller.member(CONSUMER));
    assertThat(t.get("id")).contains(img.id().value());
    assertThat(t.get("image_id")).contains(img.id().value());
  }

  @Test
  void memberIsTheCallersProjectOnSharedImagesItDoesNotOwn() {
    ImageTarget t = ImageTarget.of(image(Visibility.SHARED), Caller.member(CONSUMER));
    assertThat(t.get("member")).contains(CONSUMER);
    assertThat(t.get("member_id")).contains(CONSUMER);
  }

  @Test
  void memberIsAbsentForTheOwner() {
    assertThat(ImageTarget.of(image(Visibility.SHARED), Caller.member(OWNER)).get("member_id"))
        .isEmpty();
  }

  @Test
  void memberIsAbsentWhenTheImageIsNotShared() {
    for (Visibility v : new Visibility[] {Visibility.PUBLIC, Visibility.PRIVATE, Visibility.COMMUNITY}) {
      assertThat(ImageTarget.of(image(v), Caller.member(CONSUMER)).get("member")).isEmpty();
    }
  }

  @Test
  void memberIsAbsentForACallerWithoutProject() {
    assertThat(ImageTarget.of(image(Visibility.SHARED), Caller.withoutProject("admin")).get("member"))
        .isEmpty();
  }

  @Test
  void forMemberKeepsGlancesMemberAliasAndExposesTheMembership() {
    ImageTarget t =
        ImageTarget.forMember(image(Visibility.SHARED), Caller.member(CONSUMER), ProjectId.of("p-x"));
    assertThat(t.get("member_id")).contains(CONSUMER);
    assertThat(t.get(ImageTarget.MEMBER_PROJECT_KEY)).contains("p-x");
  }

  @Test
  void attributesAreRenderedAsPythonWould() {
    ImageTarget t = ImageTarget.of(image(Visibility.COMMUNITY), Caller.member(OWNER));
    assertThat(t.get("visibility")).contains("community");
    assertThat(t.get("status")).contains("queued");
    assertThat(t.get("protected")).contains("False");
    assertThat(t.get("min_disk")).contains("0");
    assertThat(t.get("size")).isEmpty();
  }

  @Test
  void customPropertiesAreTargetValuesButAttributesWin() {
    Image img = image(Visibility.PUBLIC).toBuilder().putProperties("name", "shadow").build();
    ImageTarget t = ImageTarget.of(img, Caller.member(OWNER));
    assertThat(t.get("os_distro")).contains("cirros");
    assertThat(t.get("name")).contains("cirros");
    assertThat(t.get("no_such_key")).isEmpty();
  }

  @Test
  void unownedImagesHaveNoOwner() {
    assertThat(ImageTarget.of(Fixtures.unowned(Visibility.PRIVATE), Caller.member(OWNER)).get("owner"))
        .isEmpty();
  }

  @Test
  void forNewImageHasOwnerProjectIdAndVisibility() {
    PolicyTarget t = ImageTarget.forNewImage(Optional.of(ProjectId.of(OWNER)), Visibility.PUBLIC);
    assertThat(t.get("owner")).contains(OWNER);
    assertThat(t.get("project_id")).contains(OWNER);
    assertThat(t.get("visibility")).contains("public");
    assertThat(ImageTarget.forNewImage(Optional.empty(), Visibility.SHARED).get("owner")).isEmpty();
  }

  @Test
  void emptyTargetHasNothing() {
    assertThat(PolicyTarget.empty().get("owner")).isEmpty();
  }
}
