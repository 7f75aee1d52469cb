package dev.imagegov.walkthrough;

import dev.imagegov.access.AccessExplanation;
import dev.imagegov.access.Action;
import dev.imagegov.access.ActionArgs;
import dev.imagegov.ImageGovernance;
import dev.imagegov.NewImage;
import dev.imagegov.access.Caller;
import dev.imagegov.access.Decision;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.events.GovernanceEvent;
import dev.imagegov.events.ImageCreated;
import dev.imagegov.events.MemberAdded;
import dev.imagegov.events.MemberStatusChanged;
import dev.imagegov.events.VisibilityChanged;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import dev.imagegov.query.ListRequest;
import dev.imagegov.store.memory.MemoryCatalog;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The golden-image story, end to end on the in-memory store: a producer project creates a golden
 * image and shares it with two consumers; one accepts, one rejects; an outsider cannot see it; a
 * non-admin cannot make it public, an admin can. Each decision the story takes is followed by
 * {@code explain}'s account of it: which visibility clause let the caller see the image, and the
 * policy rules that decided. A rule's full trace is printed the first time it appears; later
 * accounts of the same rule name only the checks that decided it. Every event line names the
 * member or change it concerns and who caused it. Run it with {@code mvn -q -ntp -pl walkthrough
 * -am -DskipTests -Pwalkthrough verify}.
 */
public final class GoldenImageWalkthrough {
  private final PrintStream out;
  private final ImageGovernance governance;
  private final Set<String> rulesShownInFull = new HashSet<>();

  private final Caller producer = Caller.member("producer");
  private final Caller accepting = Caller.member("consumer-accepting");
  private final Caller rejecting = Caller.member("consumer-rejecting");
  private final Caller outsider = Caller.member("outsider");
  private final Caller admin = Caller.admin("cloud-admin");

  /**
   * A walkthrough that prints its transcript to {@code out}.
   *
   * @param out where the transcript goes
   */
  public GoldenImageWalkthrough(PrintStream out) {
    this.out = out;
    this.governance =
        ImageGovernance.builder()
            .catalog(new MemoryCatalog())
            .listener(e -> out.println("    event: " + describe(e)))
            .build();
  }

  /**
   * Runs the story on standard output, then its lifecycle chapter ({@link
   * LifecycleWalkthrough}).
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    new GoldenImageWalkthrough(System.out).run();
    new LifecycleWalkthrough(System.out).run();
  }

  /**
   * Plays the story.
   *
   * @return the golden image's id
   */
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
    say("   Why 404? No visibility clause lets the outsider see the image, so no policy rule is");
    say("   even asked, and a caller who may not see an image is never told that it exists:");
    explain(outsider, id, Action.GET);
    say("   The rejecting consumer can still boot it by id (member status governs listing only): "
        + tryDownload(rejecting, id));
    explain(rejecting, id, Action.DOWNLOAD);

    say("5. The producer tries to make it public.");
    attempt(() -> governance.images().setVisibility(producer, id, Visibility.PUBLIC));
    say("   The producer may see the image, so it is told 403, not 404: only admins may publicize.");
    explain(producer, id, Action.PUBLICIZE);

    say("6. The cloud admin makes it public: explain first tells what imagegov will decide.");
    explain(admin, id, Action.PUBLICIZE);
    attempt(() -> governance.images().setVisibility(admin, id, Visibility.PUBLIC));

    say("7. Now that it is public, the outsider sees it too.");
    say("   outsider lists " + listNames(outsider) + "; get by id: " + tryGet(outsider, id));
    explain(outsider, id, Action.GET);
    say("Done.");
    return id;
  }

  private void say(String line) {
    out.println(line);
  }

  private static String name(Caller c) {
    return c.project().map(ProjectId::value).orElse("(no project)");
  }

  /** One line per event: what changed, for which member, and who changed it. */
  private static String describe(GovernanceEvent e) {
    String what;
    if (e instanceof ImageCreated) {
      Image image = ((ImageCreated) e).image();
      what = "ImageCreated " + image.name().orElse(image.id().value());
    } else if (e instanceof MemberAdded) {
      MemberAdded added = (MemberAdded) e;
      what = "MemberAdded " + added.member().project().value() + " ("
          + added.member().status().wireName() + ")";
    } else if (e instanceof MemberStatusChanged) {
      MemberStatusChanged changed = (MemberStatusChanged) e;
      what = "MemberStatusChanged " + changed.member().value() + ": "
          + changed.from().wireName() + " -> " + changed.to().wireName();
    } else if (e instanceof VisibilityChanged) {
      VisibilityChanged changed = (VisibilityChanged) e;
      what = "VisibilityChanged " + changed.from().wireName() + " -> " + changed.to().wireName();
    } else {
      what = e.getClass().getSimpleName();
    }
    return what + ", by " + name(e.caller());
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

  /**
   * Prints explain's account of a decision the story just took: the outcome, the visibility
   * clause, and each policy rule, in full the first time the rule appears and afterwards as the
   * checks that decided it.
   */
  private void explain(Caller c, ImageId id, Action action) {
    explain(c, id, action, ActionArgs.defaults());
  }

  /** As {@link #explain(Caller, ImageId, Action)}, with the request's arguments. */
  private void explain(Caller c, ImageId id, Action action, ActionArgs args) {
    AccessExplanation why = governance.access().explain(c, id, action, args);
    String answer =
        why.errorCode().map(code -> " (" + why.status() + " " + code + ")").orElse("");
    say("   | explain: " + action + " by " + name(c) + " -> " + why.outcome() + answer);
    say("   |   visibility: " + why.visibility().description());
    for (Decision d : why.decisions()) {
      if (rulesShownInFull.add(d.rule())) {
        for (String line : d.render().split("\n")) {
          say("   |   " + line);
        }
      } else {
        say("   |   " + d.rule() + " = " + (d.allowed() ? "ALLOW" : "DENY") + ", decided by "
            + String.join(", ", decidingChecks(d)) + " (full trace above)");
      }
    }
    why.stateCheck().ifPresent(s -> say("   |   state: " + s));
  }

  /**
   * The leaves of a rule's trace that agree with its result: the checks that held for an ALLOW,
   * the checks that failed for a DENY. The trace is {@link Decision#render()}'s tree, one check
   * per line, children indented below their parent.
   */
  private static List<String> decidingChecks(Decision d) {
    String[] lines = d.render().split("\n");
    String wanted = d.allowed() ? "\u2192 true" : "\u2192 false";
    List<String> checks = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      boolean leaf = i + 1 == lines.length || indent(lines[i + 1]) <= indent(lines[i]);
      String check = lines[i].strip();
      if (leaf && check.contains(wanted)) {
        checks.add(check.substring(0, check.indexOf(wanted)).strip());
      }
    }
    return checks;
  }

  private static int indent(String line) {
    return line.length() - line.stripLeading().length();
  }
}
