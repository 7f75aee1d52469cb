package dev.imagegov.walkthrough;

import dev.imagegov.access.AccessExplanation;
import dev.imagegov.access.Action;
import dev.imagegov.access.ActionArgs;
import dev.imagegov.ImageGovernance;
import dev.imagegov.NewImage;
import dev.imagegov.access.Caller;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import dev.imagegov.query.ListRequest;
import dev.imagegov.store.memory.MemoryCatalog;
import java.io.PrintStream;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The golden-image story, end to end on the in-memory store: a producer project creates a golden
 * image and shares it with two consumers; one accepts, one rejects; an outsider cannot see it; a
 * non-admin cannot make it public, an admin can; and {@code explain} shows why each decision was
 * made. Run it with {@code mvn -q -pl walkthrough -am -DskipTests -Pwalkthrough verify}.
 */
public final class GoldenImageWalkthrough {
  private final PrintStream out;
  private final ImageGovernance governance;

  private final Caller producer = Caller.member("producer");
  private final Caller accepting = Caller.member("consumer-accepting");
  private final Caller rejecting = Caller.member("consumer-rejecting");
  private final Caller outsider = Caller.member("outsider");
  private final Caller admin = Caller.admin("cloud-admin");

  /** A walkthrough that prints its transcript to {@code out}. */
  public GoldenImageWalkthrough(PrintStream out) {
    this.out = out;
    this.governance =
        ImageGovernance.builder()
            .catalog(new MemoryCatalog())
            .listener(e -> out.println("    event: " + e.getClass().getSimpleName()))
            .build();
  }

  /** Runs the story on standard output. */
  public static void main(String[] args) {
    new GoldenImageWalkthrough(System.out).run();
  }

  /** Plays the story; returns the golden image's id. */
  public ImageId run() {
    say("1. The producer project creates a golden image (Glance's default visibility: shared).");
    Image golden =
        governance
            .images()
            .create(
                producer,
                NewImage.builder()
                    .name("ubuntu-24.04-golden")
                    .diskFormat("qcow2")
                    .containerFormat("bare")
                    .addTags("golden", "lts")
                    .putProperties("os_distro", "ubuntu")
                    .build());
    ImageId id = golden.id();
    say("   created " + id + " visibility=" + golden.visibility().wireName()
        + " status=" + golden.status().wireName());

    say("2. The producer shares it with two consumer projects.");
    governance.sharing().addMember(producer, id, "consumer-accepting");
    governance.sharing().addMember(producer, id, "consumer-rejecting");

    say("3. One consumer accepts, the other rejects.");
    governance.sharing().updateMemberStatus(
        accepting, id, ProjectId.of("consumer-accepting"), MemberStatus.ACCEPTED);
    governance.sharing().updateMemberStatus(
        rejecting, id, ProjectId.of("consumer-rejecting"), MemberStatus.REJECTED);
    say("   the producer may not answer for a consumer, and explain says which check refused:");
    ActionArgs answer = ActionArgs.memberStatus(ProjectId.of("consumer-rejecting"), "accepted");
    attempt(() -> governance.sharing().updateMemberStatus(
        producer, id, ProjectId.of("consumer-rejecting"), MemberStatus.ACCEPTED));
    explain(producer, id, Action.UPDATE_MEMBER_STATUS, answer);

    say("4. What each project sees.");
    for (Caller c : List.of(producer, accepting, rejecting, outsider)) {
      say("   " + name(c) + " lists " + listNames(c) + "; get by id: " + tryGet(c, id));
    }
    say("   the rejecting consumer can still boot it by id (status governs listing only): "
        + tryDownload(rejecting, id));

    say("5. The producer tries to make it public.");
    attempt(() -> governance.images().setVisibility(producer, id, Visibility.PUBLIC));
    explain(producer, id, Action.PUBLICIZE);

    say("6. The cloud admin makes it public.");
    attempt(() -> governance.images().setVisibility(admin, id, Visibility.PUBLIC));
    say("   the outsider now lists " + listNames(outsider) + "; get by id: " + tryGet(outsider, id));

    say("7. Why? explain() answers for each decision.");
    explain(outsider, id, Action.GET);
    explain(accepting, id, Action.DOWNLOAD);
    explain(outsider, id, Action.DELETE);
    say("Done.");
    return id;
  }

  private void say(String line) {
    out.println(line);
  }

  private static String name(Caller c) {
    return c.project().map(ProjectId::value).orElse("(no project)");
  }

  private List<String> listNames(Caller c) {
    return governance.images().list(c, ListRequest.empty()).images().stream()
        .map(i -> i.name().orElse(i.id().value()))
        .collect(Collectors.toList());
  }

  private String tryGet(Caller c, ImageId id) {
    try {
      governance.images().get(c, id);
      return "ok";
    } catch (GovernanceException e) {
      return e.httpStatus() + " " + e.getMessage();
    }
  }

  private String tryDownload(Caller c, ImageId id) {
    try {
      governance.access().authorizeDownload(c, id);
      return "allowed";
    } catch (GovernanceException e) {
      return e.httpStatus() + " " + e.getMessage();
    }
  }

  private void attempt(Runnable action) {
    try {
      action.run();
      say("   -> done");
    } catch (GovernanceException e) {
      say("   -> refused: " + e.httpStatus() + " " + e.code() + ": " + e.getMessage());
    }
  }

  private void explain(Caller c, ImageId id, Action action) {
    explain(c, id, action, ActionArgs.defaults());
  }

  private void explain(Caller c, ImageId id, Action action, ActionArgs args) {
    AccessExplanation why = governance.access().explain(c, id, action, args);
    for (String line : why.render().split("\n")) {
      say("   | " + line);
    }
  }
}
