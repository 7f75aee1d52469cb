package dev.imagegov.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.imagegov.GovernanceConfig;
import dev.imagegov.ImageGovernance;
import dev.imagegov.NewImage;
import dev.imagegov.access.Caller;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.StoreId;
import dev.imagegov.model.Visibility;
import dev.imagegov.query.ListRequest;
import dev.imagegov.spi.blob.BlobStore;
import dev.imagegov.store.memory.MemoryBlobStore;
import dev.imagegov.testkit.model.GovernanceModelCheck;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ImageGovernance} on the PostgreSQL catalog and usage store: the testkit's model check
 * (every caller's answers agree with the reference model after every step; 25 histories, each
 * call a round trip to the server, to keep the module's tests short), and two governances
 * on two stores of one schema, standing for two application nodes, that hold one catalog and one
 * quota together.
 */
class JdbcStoreGovernanceTest {
  private static final Caller PRODUCER = Caller.member("producer");
  private static final Caller CONSUMER = Caller.member("consumer");
  private static final Caller ADMIN = Caller.admin("admin-project");

  private final BlobStore blobs = MemoryBlobStore.builder(StoreId.of("shared")).build();
  private JdbcStore nodeA;
  private JdbcStore nodeB;

  @AfterEach
  void close() {
    if (nodeA != null) {
      nodeA.close();
      nodeB.close();
    }
  }

  private static ImageGovernance governance(JdbcStore store, BlobStore blobs, String quota) {
    return ImageGovernance.builder()
        .catalog(store.catalog())
        .usage(store.usage())
        .blobStore(blobs)
        .config(GovernanceConfig.builder().userStorageQuota(quota).build())
        .clock(MutableClock.ticking(Instant.parse("2026-01-01T00:00:00Z")))
        .build();
  }

  @Test
  void governanceOnPostgresAgreesWithTheReferenceModelAfterEveryStep() {
    JdbcStore store = TestDatabase.store("governance_model");
    GovernanceModelCheck.against(() -> {
      store.catalog().clear();
      store.usage().clear();
      return ImageGovernance.builder()
          .catalog(store.catalog())
          .usage(store.usage())
          .blobStore(MemoryBlobStore.builder(StoreId.of("local")).build())
          .clock(MutableClock.ticking(Instant.parse("2026-01-01T00:00:00Z")))
          .build();
    }).withExamples(25).run();
  }

  private void openTwoNodes(String schema) {
    nodeA = JdbcStore.open(TestDatabase.options(schema).build());
    nodeB = JdbcStore.open(TestDatabase.options(schema).build());
    nodeA.catalog().clear();
    nodeA.usage().clear();
  }

  private static Image queued(ImageGovernance g, Caller caller) {
    return g.images()
        .create(caller, NewImage.builder().diskFormat("raw").containerFormat("bare").build());
  }

  private static Image upload(ImageGovernance g, Image image, int bytes) {
    return g.data().upload(PRODUCER, image.id(), new ByteArrayInputStream(new byte[bytes]),
        OptionalLong.of(bytes));
  }

  @Test
  void twoNodesHoldOneStorageQuota() {
    openTwoNodes("governance_quota");
    ImageGovernance a = governance(nodeA, blobs, "100B");
    ImageGovernance b = governance(nodeB, blobs, "100B");

    upload(a, queued(a, PRODUCER), 60);
    Image refused = queued(b, PRODUCER);
    GovernanceException e =
        catchThrowableOfType(GovernanceException.class, () -> upload(b, refused, 50));
    assertThat(e.code())
        .as("node B counts the 60 bytes node A stored against the same quota")
        .isEqualTo(RuleCode.STORAGE_QUOTA_EXCEEDED);
    upload(b, refused, 40);

    ProjectId producer = ProjectId.of("producer");
    assertThat(a.quotas().usage(ADMIN, producer).storedBytes())
        .as("each node reports what both stored")
        .isEqualTo(100);
    assertThat(b.quotas().usage(ADMIN, producer).imageCount()).isEqualTo(2);
  }

  @Test
  void aChangeOnOneNodeIsSeenOnTheOther() {
    openTwoNodes("governance_share");
    ImageGovernance a = governance(nodeA, blobs, "0");
    ImageGovernance b = governance(nodeB, blobs, "0");
    Image image = a.images().create(PRODUCER,
        NewImage.builder().name("golden").visibility(Visibility.SHARED).build());
    a.sharing().addMember(PRODUCER, image.id(), "consumer");
    b.sharing().updateMemberStatus(CONSUMER, image.id(), ProjectId.of("consumer"),
        MemberStatus.ACCEPTED);

    List<ImageId> listedOnA = a.images().list(CONSUMER, ListRequest.parse("")).images().stream()
        .map(Image::id).toList();
    assertThat(listedOnA)
        .as("node A lists the image for the consumer who accepted it on node B")
        .containsExactly(image.id());
  }
}
