package dev.imagegov;

import static dev.imagegov.Fixtures.ADMIN;
import static dev.imagegov.Fixtures.CONSUMER_A;
import static dev.imagegov.Fixtures.OUTSIDER;
import static dev.imagegov.Fixtures.PRODUCER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagegov.error.GovernanceException;
import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.events.ImageUpdated;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.Visibility;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One test per rule of the reference's tags section (§13). */
class TagRulesTest {
  private final Fixtures f = new Fixtures();

  private ImageId image() {
    return f.create(PRODUCER, "golden", Visibility.PRIVATE).id();
  }

  @Test
  void addTagAddsIt() {
    ImageId id = image();
    assertThat(f.images().addTag(PRODUCER, id, "gabe@example.com").tags())
        .containsExactly("gabe@example.com");
  }

  @Test
  void addingAnExistingTagIsANoOp() {
    ImageId id = image();
    Image once = f.images().addTag(PRODUCER, id, "t");
    int events = f.events.size();
    Image twice = f.images().addTag(PRODUCER, id, "t");
    assertThat(twice.tags()).containsExactly("t");
    assertThat(twice.version()).isEqualTo(once.version());
    assertThat(f.events).hasSize(events);
  }

  @Test
  void tagsAreCaseSensitive() {
    ImageId id = image();
    f.images().addTag(PRODUCER, id, "T");
    assertThat(f.images().addTag(PRODUCER, id, "t").tags()).containsExactly("T", "t");
  }

  @Test
  void addTagUpdatesUpdatedAtAndEmitsImageUpdated() {
    ImageId id = image();
    Image before = f.images().get(PRODUCER, id);
    f.events.clear();
    Image after = f.images().addTag(PRODUCER, id, "t");
    assertThat(after.updatedAt()).isAfter(before.updatedAt());
    assertThat(f.events).singleElement().isInstanceOf(ImageUpdated.class);
  }

  @Test
  void tagLongerThan255Is400() {
    ImageId id = image();
    Expect.fails(StoreErrorCode.INVALID_VALUE, () -> f.images().addTag(PRODUCER, id, "t".repeat(256)));
    assertThat(f.images().addTag(PRODUCER, id, "t".repeat(255)).tags()).hasSize(1);
  }

  @Test
  void tagWithFourByteCharactersIs400() {
    ImageId id = image();
    Expect.fails(StoreErrorCode.INVALID_VALUE, () -> f.images().addTag(PRODUCER, id, "\uD83D\uDE00"));
  }

  @Test
  void tagQuotaIs413AndCountsTheResultingSet() {
    Fixtures q = new Fixtures(GovernanceConfig.builder().imageTagQuota(1).build());
    ImageId id = q.create(PRODUCER, "x", Visibility.PRIVATE).id();
    q.images().addTag(PRODUCER, id, "a");
    q.images().addTag(PRODUCER, id, "a");
    assertThatThrownBy(() -> q.images().addTag(PRODUCER, id, "b"))
        .isInstanceOf(GovernanceException.class)
        .hasMessageContaining("Image tag limit exceeded for image " + id)
        .satisfies(
            e ->
                assertThat(((GovernanceException) e).code())
                    .isEqualTo(RuleCode.TAG_QUOTA_EXCEEDED));
  }

  @Test
  void removalNeverFailsOverQuota() {
    Fixtures q = new Fixtures();
    ImageId id = q.create(PRODUCER, "x", Visibility.PRIVATE).id();
    q.images().addTag(PRODUCER, id, "a");
    q.images().addTag(PRODUCER, id, "b");
    ImageGovernance strict =
        ImageGovernance.builder()
            .catalog(q.governance.catalog())
            .config(GovernanceConfig.builder().imageTagQuota(0).build())
            .build();
    assertThat(strict.images().removeTag(PRODUCER, id, "a").tags()).containsExactly("b");
  }

  @Test
  void removeTagRemovesIt() {
    ImageId id = image();
    f.images().addTag(PRODUCER, id, "a");
    f.images().addTag(PRODUCER, id, "b");
    assertThat(f.images().removeTag(PRODUCER, id, "a").tags()).containsExactly("b");
  }

  @Test
  void removingAMissingTagIs404() {
    ImageId id = image();
    Expect.fails(RuleCode.TAG_NOT_FOUND, () -> f.images().removeTag(PRODUCER, id, "nope"));
  }

  @Test
  void invisibleImageIs404() {
    ImageId id = image();
    Expect.notFound(() -> f.images().addTag(OUTSIDER, id, "t"));
    Expect.notFound(() -> f.images().removeTag(OUTSIDER, id, "t"));
  }

  @Test
  void memberMayNotTagTheImage() {
    ImageId id = f.create(PRODUCER, "s", Visibility.SHARED).id();
    f.sharing().addMember(PRODUCER, id, "consumer-a");
    assertThatThrownBy(() -> f.images().addTag(CONSUMER_A, id, "t"))
        .hasMessage("Not allowed to update tags for image " + id + ".");
    assertThatThrownBy(() -> f.images().removeTag(CONSUMER_A, id, "t"))
        .hasMessage("Not allowed to delete tags for image " + id + ".");
  }

  @Test
  void adminMayTagAnyImage() {
    ImageId id = image();
    assertThat(f.images().addTag(ADMIN, id, "t").tags()).containsExactly("t");
  }

  @Test
  void duplicatesFoldOnCreateAndKeepOrder() {
    Image image =
        f.images().create(PRODUCER, NewImage.builder().tags(List.of("b", "a", "b")).build());
    assertThat(image.tags()).containsExactly("b", "a");
  }
}
