package dev.imagegov;

import static dev.imagegov.DataFixtures.CHEAP;
import static dev.imagegov.DataFixtures.FAST;
import static dev.imagegov.Fixtures.ADMIN;
import static dev.imagegov.Fixtures.CONSUMER_A;
import static dev.imagegov.Fixtures.PRODUCER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegov.access.Caller;
import dev.imagegov.access.Policy;
import dev.imagegov.access.Rules;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.Location;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.StoreId;
import dev.imagegov.patch.ImagePatch;
import dev.imagegov.query.ListRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Locations are hidden unless configured (Glance's {@code ResponseSerializer._format_image}):
 * an image shown to a caller carries its locations only with {@code show_multiple_locations},
 * and with {@code show_image_direct_url} alone only the first (Glance's {@code direct_url}); in
 * both cases only for a caller {@code get_image_location} allows. Each case is checked on every
 * result that returns an image (get, list, patch, upload) for the owner, a member and an admin.
 */
class LocationVisibilityRulesTest {
  private static final List<Caller> CALLERS = List.of(PRODUCER, CONSUMER_A, ADMIN);

  /** A shared image of PRODUCER with data in both stores, CONSUMER_A an accepted member. */
  private static ImageId sharedInTwoStores(DataFixtures f) {
    Image image = f.active(PRODUCER, "abcdefghij");
    f.data().copyToStores(ADMIN, image.id(), List.of(CHEAP));
    f.governance.sharing().addMember(PRODUCER, image.id(), "consumer-a");
    f.governance.sharing()
        .updateMemberStatus(CONSUMER_A, image.id(), ProjectId.of("consumer-a"),
            MemberStatus.ACCEPTED);
    assertThat(stores(f.stored(image.id()))).containsExactly(FAST, CHEAP);
    return image.id();
  }

  /** What {@code caller} is shown of the image by get, list and a (no-op free) patch. */
  private static List<Image> shownTo(DataFixtures f, Caller caller, ImageId id) {
    List<Image> shown = new ArrayList<>();
    shown.add(f.governance.images().get(caller, id));
    shown.add(f.governance.images().list(caller, ListRequest.parse("member_status=all"))
        .images().stream().filter(i -> i.id().equals(id)).findFirst().orElseThrow());
    if (caller != CONSUMER_A) { // a member may not modify the image
      shown.add(f.governance.images().update(caller, id,
          ImagePatch.builder().setName("named by " + caller.project().orElseThrow()).build()));
    }
    return shown;
  }

  private static List<StoreId> stores(Image image) {
    return image.locations().stream().map(Location::store).toList();
  }

  @Test
  void locationsAreHiddenFromEveryCallerWithoutTheOptions() {
    DataFixtures f = new DataFixtures();
    ImageId id = sharedInTwoStores(f);
    for (Caller caller : CALLERS) {
      assertThat(shownTo(f, caller, id)).as("%s", caller).allSatisfy(
          image -> assertThat(image.locations()).isEmpty());
    }
    Image uploaded = f.active(PRODUCER, "xyz");
    assertThat(uploaded.locations()).isEmpty();
    assertThat(stores(f.stored(uploaded.id()))).containsExactly(FAST);
  }

  @Test
  void showMultipleLocationsShowsEveryLocationToTheOwnerAMemberAndAnAdmin() {
    DataFixtures f =
        new DataFixtures(GovernanceConfig.builder().showMultipleLocations(true).build());
    ImageId id = sharedInTwoStores(f);
    for (Caller caller : CALLERS) {
      assertThat(shownTo(f, caller, id)).as("%s", caller).allSatisfy(
          image -> assertThat(stores(image)).containsExactly(FAST, CHEAP));
    }
    assertThat(stores(f.active(PRODUCER, "xyz"))).containsExactly(FAST);
  }

  @Test
  void showImageDirectUrlAloneShowsOnlyTheFirstLocation() {
    DataFixtures f =
        new DataFixtures(GovernanceConfig.builder().showImageDirectUrl(true).build());
    ImageId id = sharedInTwoStores(f);
    for (Caller caller : CALLERS) {
      assertThat(shownTo(f, caller, id)).as("%s", caller).allSatisfy(
          image -> assertThat(stores(image)).containsExactly(FAST));
    }
    assertThat(stores(f.active(PRODUCER, "xyz"))).containsExactly(FAST);
  }

  @Test
  void getImageLocationDeniedHidesLocationsDespiteTheOptions() {
    GovernanceConfig config =
        GovernanceConfig.builder()
            .showMultipleLocations(true)
            .showImageDirectUrl(true)
            .policy(Policy.secureDefaults().withRule(Rules.GET_IMAGE_LOCATION, "role:admin"))
            .build();
    DataFixtures f = new DataFixtures(config);
    ImageId id = sharedInTwoStores(f);
    for (Caller caller : List.of(PRODUCER, CONSUMER_A)) {
      assertThat(shownTo(f, caller, id)).as("%s", caller).allSatisfy(
          image -> assertThat(image.locations()).isEmpty());
    }
    assertThat(shownTo(f, ADMIN, id)).allSatisfy(
        image -> assertThat(stores(image)).containsExactly(FAST, CHEAP));
    assertThat(f.active(PRODUCER, "xyz").locations()).isEmpty();
  }

  @Test
  void aDeactivatedImageShowsItsLocationsOnlyToAnAdmin() {
    DataFixtures f =
        new DataFixtures(GovernanceConfig.builder().showMultipleLocations(true).build());
    ImageId id = sharedInTwoStores(f);
    f.governance.images().deactivate(PRODUCER, id);
    assertThat(f.governance.images().get(PRODUCER, id).locations()).isEmpty();
    assertThat(f.governance.images().get(CONSUMER_A, id).locations()).isEmpty();
    assertThat(stores(f.governance.images().get(ADMIN, id))).containsExactly(FAST, CHEAP);
  }

  @Test
  void fromGlanceConfigReadsTheLocationOptions(@TempDir Path dir) throws IOException {
    Path conf = dir.resolve("glance-api.conf");
    Files.writeString(conf,
        "[DEFAULT]\nshow_multiple_locations = True\nshow_image_direct_url = true\n",
        StandardCharsets.UTF_8);
    GovernanceConfig config = GovernanceConfig.fromGlanceConfig(conf).build();
    assertThat(config.showMultipleLocations()).isTrue();
    assertThat(config.showImageDirectUrl()).isTrue();
    GovernanceConfig defaults = GovernanceConfig.defaults();
    assertThat(defaults.showMultipleLocations()).isFalse();
    assertThat(defaults.showImageDirectUrl()).isFalse();
  }
}
