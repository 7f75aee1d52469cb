package dev.imagegov;

import static dev.imagegov.Fixtures.CONSUMER_A;
import static dev.imagegov.Fixtures.OUTSIDER;
import static dev.imagegov.Fixtures.PRODUCER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagegov.error.GovernanceException;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import dev.imagegov.query.ListExplanation;
import dev.imagegov.query.ListExplanation.Clause;
import dev.imagegov.query.ListRequest;
import org.junit.jupiter.api.Test;

/**
 * {@code images().explainList}: for a caller, an image and a list request, whether the image is
 * on the page and the clause that decides it, named the way the list applies it.
 */
final class ListExplainRulesTest {
  private final Fixtures f = new Fixtures();

  private ListExplanation explain(dev.imagegov.access.Caller caller, Image image, String q) {
    return f.images().explainList(caller, image.id(), ListRequest.parse(q));
  }

  @Test
  void aPendingMemberIsToldItsStatusIsNotTheOneAskedFor() {
    Image image = f.create(PRODUCER, "s", Visibility.SHARED);
    f.sharing().addMember(PRODUCER, image.id(), "consumer-a");
    ListExplanation e = explain(CONSUMER_A, image, "");
    assertThat(e.appears()).isFalse();
    assertThat(e.clause()).isEqualTo(Clause.MEMBER_STATUS);
    assertThat(e.detail()).contains("pending", "member_status=accepted");
    assertThat(explain(CONSUMER_A, image, "member_status=pending").clause())
        .isEqualTo(Clause.LISTED);
    f.sharing().updateMemberStatus(CONSUMER_A, image.id(), ProjectId.of("consumer-a"),
        MemberStatus.ACCEPTED);
    assertThat(explain(CONSUMER_A, image, "").appears()).isTrue();
  }

  @Test
  void aCommunityImageIsListedOnlyWhenAskedFor() {
    Image image = f.create(PRODUCER, "c", Visibility.COMMUNITY);
    assertThat(explain(OUTSIDER, image, "").clause()).isEqualTo(Clause.COMMUNITY_NOT_ASKED);
    assertThat(explain(OUTSIDER, image, "visibility=community").clause())
        .isEqualTo(Clause.LISTED);
    assertThat(explain(OUTSIDER, image, "visibility=public").clause())
        .isEqualTo(Clause.VISIBILITY_FILTER);
    assertThat(explain(PRODUCER, image, "").clause()).isEqualTo(Clause.LISTED);
  }

  @Test
  void aHiddenImageNamesOsHiddenAndAFilterNamesItself() {
    Image hidden = f.images().create(PRODUCER,
        NewImage.builder().name("h").osHidden(true).build());
    assertThat(explain(PRODUCER, hidden, "").clause()).isEqualTo(Clause.OS_HIDDEN);
    assertThat(explain(PRODUCER, hidden, "os_hidden=true").clause()).isEqualTo(Clause.LISTED);
    ListExplanation byName = explain(PRODUCER, hidden, "os_hidden=true&name=other");
    assertThat(byName.clause()).isEqualTo(Clause.FILTER);
    assertThat(byName.detail()).contains("name");
  }

  @Test
  void aPageBoundaryIsToldApartFromAMismatch() {
    Image first = f.create(PRODUCER, "a", Visibility.PRIVATE);
    Image second = f.create(PRODUCER, "b", Visibility.PRIVATE);
    // Newest first: the second image fills a page of one.
    assertThat(explain(PRODUCER, second, "limit=1").clause()).isEqualTo(Clause.LISTED);
    assertThat(explain(PRODUCER, first, "limit=1").clause()).isEqualTo(Clause.OUTSIDE_PAGE);
  }

  @Test
  void aProtectedPropertyFilterIsNamed() {
    Fixtures p = new Fixtures(PropertyProtectionRulesTest.protectedConfig());
    Image image = p.create(PRODUCER, "s", Visibility.PRIVATE);
    ListExplanation e = p.images().explainList(PRODUCER, image.id(),
        ListRequest.parse("x_none_read=v"));
    assertThat(e.clause()).isEqualTo(Clause.PROTECTED_PROPERTY_FILTER);
  }

  @Test
  void anImageTheCallerCannotSeeIsAnsweredAsOneThatDoesNotExist() {
    Image image = f.create(PRODUCER, "p", Visibility.PRIVATE);
    ListExplanation hidden = explain(OUTSIDER, image, "");
    ListExplanation none = f.images().explainList(OUTSIDER,
        ImageId.of("00000000-0000-4000-8000-0000000000ff"), ListRequest.parse(""));
    assertThat(hidden.clause()).isEqualTo(Clause.NOT_VISIBLE).isEqualTo(none.clause());
    assertThat(hidden.detail().replace(image.id().value(), "X"))
        .isEqualTo(none.detail().replace("00000000-0000-4000-8000-0000000000ff", "X"));
  }

  @Test
  void aBadRequestIsRefusedExactlyAsTheList() {
    Image image = f.create(PRODUCER, "p", Visibility.PRIVATE);
    assertThatThrownBy(() -> explain(PRODUCER, image, "limit=-1"))
        .isInstanceOfSatisfying(GovernanceException.class,
            e -> assertThat(e.httpStatus()).isEqualTo(400));
  }
}
