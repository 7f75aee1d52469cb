package dev.imagegov.walkthrough;

import dev.imagegov.ImageGovernance;
import dev.imagegov.NewImage;
import dev.imagegov.access.Caller;
import dev.imagegov.model.Image;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.query.ListRequest;
import dev.imagegov.store.memory.MemoryCatalog;
import java.util.List;

/** The README's quick start, kept compiling (and its text kept in the README) by a test. */
public final class QuickStart {
  private QuickStart() {}

  /** Runs the quick start and returns what the consumer lists. */
  public static List<Image> run() {
    // quick-start:begin
    ImageGovernance governance =
        ImageGovernance.builder().catalog(new MemoryCatalog()).build();

    Caller producer = Caller.member("producer");
    Caller consumer = Caller.member("consumer");

    Image golden = governance.images().create(producer,
        NewImage.builder().name("golden").diskFormat("qcow2").containerFormat("bare").build());
    governance.sharing().addMember(producer, golden.id(), "consumer");
    governance.sharing().updateMemberStatus(
        consumer, golden.id(), ProjectId.of("consumer"), MemberStatus.ACCEPTED);

    List<Image> seen = governance.images().list(consumer, ListRequest.empty()).images();
    // quick-start:end
    return seen;
  }
}
