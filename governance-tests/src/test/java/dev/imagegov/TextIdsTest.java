package dev.imagegov;

import static dev.imagegov.DataFixtures.FAST;
import static dev.imagegov.Fixtures.CONSUMER_A;
import static dev.imagegov.Fixtures.PRODUCER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.imagegov.data.ByteRange;
import dev.imagegov.data.imports.ImportRequest;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.model.Image;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.Visibility;
import dev.imagegov.patch.ImagePatch;
import java.io.ByteArrayInputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * Ids taken as text everywhere a request path carries them: each text overload answers a
 * malformed image id with Glance's 404, word for word the answer for an existing image the caller
 * may not see, and otherwise acts as its typed sibling.
 */
class TextIdsTest {
  private final DataFixtures f = new DataFixtures();

  /** Every text overload, called with {@code id} as the image id. */
  private Map<String, ThrowingCallable> operations(String id) {
    Map<String, ThrowingCallable> ops = new LinkedHashMap<>();
    ImageGovernance g = f.governance;
    ops.put("images.get", () -> g.images().get(PRODUCER, id));
    ops.put("images.storesOf", () -> g.images().storesOf(PRODUCER, id));
    ops.put("images.delete", () -> g.images().delete(PRODUCER, id));
    ops.put("images.deactivate", () -> g.images().deactivate(PRODUCER, id));
    ops.put("images.reactivate", () -> g.images().reactivate(PRODUCER, id));
    ops.put("images.setVisibility",
        () -> g.images().setVisibility(PRODUCER, id, Visibility.PRIVATE));
    ops.put("images.update", () -> g.images().update(PRODUCER, id, ImagePatch.empty()));
    ops.put("images.addTag", () -> g.images().addTag(PRODUCER, id, "t"));
    ops.put("images.removeTag", () -> g.images().removeTag(PRODUCER, id, "t"));
    ops.put("data.upload", () -> g.data().upload(PRODUCER, id,
        new ByteArrayInputStream(new byte[1]), OptionalLong.of(1)));
    ops.put("data.upload(store)", () -> g.data().upload(PRODUCER, id,
        new ByteArrayInputStream(new byte[1]), OptionalLong.of(1), FAST));
    ops.put("data.download", () -> g.data().download(PRODUCER, id));
    ops.put("data.download(range)", () -> g.data().download(PRODUCER, id, ByteRange.of(0, 0)));
    ops.put("data.deleteFromStore", () -> g.data().deleteFromStore(PRODUCER, id, FAST));
    ops.put("sharing.addMember", () -> g.sharing().addMember(PRODUCER, id, "consumer-a"));
    ops.put("sharing.updateMemberStatus",
        () -> g.sharing().updateMemberStatus(PRODUCER, id, "producer", "accepted"));
    ops.put("sharing.removeMember", () -> g.sharing().removeMember(PRODUCER, id, "consumer-a"));
    ops.put("sharing.listMembers", () -> g.sharing().listMembers(PRODUCER, id));
    ops.put("sharing.getMember", () -> g.sharing().getMember(PRODUCER, id, "consumer-a"));
    ops.put("imports.stage", () -> g.imports().stage(PRODUCER, id,
        new ByteArrayInputStream(new byte[1]), OptionalLong.of(1)));
    ops.put("imports.importImage",
        () -> g.imports().importImage(PRODUCER, id, ImportRequest.glanceDirect()));
    ops.put("imports.tasks", () -> g.imports().tasks(PRODUCER, id));
    return ops;
  }

  @Test
  void aMalformedImageIdInAPathIsGlancesNotFoundLikeAHiddenImage() {
    Image hidden = f.queued(CONSUMER_A, Visibility.PRIVATE);
    Map<String, ThrowingCallable> malformed = operations("../etc/passwd");
    Map<String, ThrowingCallable> invisible = operations(hidden.id().toString());
    java.util.List<String> differ = new java.util.ArrayList<>();
    for (String op : malformed.keySet()) {
      GovernanceException bad =
          catchThrowableOfType(GovernanceException.class, malformed.get(op));
      GovernanceException notSeen =
          catchThrowableOfType(GovernanceException.class, invisible.get(op));
      assertThat(bad).as(op + " with a malformed id").isNotNull();
      assertThat(bad.httpStatus()).as(op).isEqualTo(404);
      assertThat(notSeen).as(op + " on a hidden image").isNotNull();
      String expected =
          notSeen.code() + " " + notSeen.getMessage().replace(hidden.id().toString(), "<id>");
      String got = bad.code() + " " + bad.getMessage().replace("../etc/passwd", "<id>");
      if (!got.equals(expected)) {
        differ.add(op + ": " + got + " instead of " + expected);
      }
    }
    assertThat(differ).as("malformed-id answers that differ from a hidden image's").isEmpty();
    assertThat(f.catalog.find(hidden.id()).orElseThrow()).isEqualTo(
        f.stored(hidden.id()));
  }

  @Test
  void anImageAndAMemberNamedAsTextActAsTheirTypedSiblings() {
    Image image = f.queued(PRODUCER, Visibility.SHARED);
    String id = image.id().toString();
    assertThat(f.governance.images().addTag(PRODUCER, id, "golden").tags()).contains("golden");
    f.governance.sharing().addMember(PRODUCER, id, "consumer-a");
    assertThat(f.governance.sharing().updateMemberStatus(CONSUMER_A, id, "consumer-a", "accepted")
        .status()).isEqualTo(MemberStatus.ACCEPTED);
    assertThat(f.governance.sharing().getMember(PRODUCER, id, "consumer-a").status())
        .isEqualTo(MemberStatus.ACCEPTED);
    Expect.fails(RuleCode.MEMBER_NOT_FOUND,
        () -> f.governance.sharing().getMember(PRODUCER, id, ""));
    f.governance.sharing().removeMember(PRODUCER, id, "consumer-a");
    assertThat(f.governance.sharing().listMembers(PRODUCER, id)).isEmpty();
    assertThat(f.upload(PRODUCER, image.id(), "data").status())
        .isEqualTo(dev.imagegov.model.ImageStatus.ACTIVE);
    assertThat(f.governance.data().download(PRODUCER, id).contentLength()).isEqualTo(4);
  }
}
