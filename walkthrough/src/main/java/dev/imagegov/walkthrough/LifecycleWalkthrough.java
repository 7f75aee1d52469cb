package dev.imagegov.walkthrough;

import dev.imagegov.ImageGovernance;
import dev.imagegov.NewImage;
import dev.imagegov.access.AccessExplanation;
import dev.imagegov.access.Action;
import dev.imagegov.access.ActionArgs;
import dev.imagegov.access.Caller;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.events.LifecycleChanged;
import dev.imagegov.lifecycle.Family;
import dev.imagegov.lifecycle.ImageUse;
import dev.imagegov.lifecycle.LifecyclePlan;
import dev.imagegov.lifecycle.MemoryImageUsage;
import dev.imagegov.lifecycle.RetentionPolicy;
import dev.imagegov.lifecycle.Use;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.query.ListRequest;
import dev.imagegov.store.memory.MemoryBlobStore;
import dev.imagegov.store.memory.MemoryCatalog;
import java.io.ByteArrayInputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * The lifecycle chapter of the golden-image story: the producer publishes v1 and v2 of a family,
 * deprecates v1 with v2 as its replacement, a consumer's running instance keeps booting v1 after
 * it becomes obsolete while a new launch of it is refused (and {@code explain} says why), {@code
 * latest} resolves v2 (asked by family, or by v1's id), a retention plan leaves the in-use v1
 * alone, and the recorded last use tells the unused v2 from the rebooted v1. Run with the walkthrough
 * ({@link GoldenImageWalkthrough#main}).
 */
public final class LifecycleWalkthrough {
  private static final Family FAMILY = Family.of("producer", "ubuntu-24.04");

  private final PrintStream out;
  private final MemoryImageUsage usage = new MemoryImageUsage();
  private final ImageGovernance governance;
  private final Caller producer = Caller.member("producer");
  private final Caller consumer = Caller.member("consumer");

  /**
   * A walkthrough that prints its transcript to {@code out}.
   *
   * @param out where the transcript goes
   */
  public LifecycleWalkthrough(PrintStream out) {
    this.out = out;
    this.governance = ImageGovernance.builder()
        .catalog(new MemoryCatalog())
        .blobStore(MemoryBlobStore.create("local"))
        .imageUsage(usage)
        .clock(new TickingClock())
        .listener(e -> {
          if (e instanceof LifecycleChanged c) {
            out.println("    event: LifecycleChanged " + c.from().wireName() + " -> "
                + c.to().wireName() + " (" + c.cause() + ")");
          }
        })
        .build();
  }

  /**
   * Plays the chapter.
   *
   * @return the id of v1, the retired version
   */
  public ImageId run() {
    say("L1. The producer publishes v1 of family ubuntu-24.04 and shares it with a consumer.");
    Image v1 = publish("ubuntu-24.04-v1", "1");
    say("    latest for the consumer: " + latest());

    say("L2. The consumer launches an instance from v1 (the application reports the use).");
    usage.start(v1.id(), new ImageUse(ProjectId.of("consumer"), "vm-1", governance.catalog()
        .find(v1.id()).orElseThrow().updatedAt()));

    say("L3. The producer publishes v2; latest now resolves v2.");
    Image v2 = publish("ubuntu-24.04-v2", "2");
    say("    latest for the consumer: " + latest());

    say("L4. The producer deprecates v1 with v2 as its replacement: still listed and bootable,");
    say("    flagged for every client by imagegov_lifecycle_state.");
    governance.lifecycle().deprecate(producer, v1.id(), v2.id());
    say("    the consumer lists " + listed() + "; v1's state: "
        + governance.images().get(consumer, v1.id()).properties()
            .get("imagegov_lifecycle_state"));

    say("L5. v1 becomes obsolete: hidden from lists, no new launch, the running instance keeps it.");
    governance.lifecycle().obsolete(producer, v1.id());
    say("    the consumer lists " + listed());
    say("    new launch of v1: " + tryUse(v1.id(), Use.NEW_LAUNCH));
    say("    vm-1 reboots from v1: " + tryUse(v1.id(), Use.EXISTING_INSTANCE));
    explain(v1.id(), ActionArgs.defaults());
    explain(v1.id(), ActionArgs.use(Use.EXISTING_INSTANCE));

    say("L6. latest resolves v2, the replacement.");
    say("    latest for the consumer: " + latest());
    say("    asked by v1's id (an image the consumer pinned): "
        + governance.lifecycle().latest(consumer, v1.id()).name().orElse("?"));

    say("L7. A retention plan would delete obsolete versions, but v1 is in use: it is left alone.");
    LifecyclePlan plan = governance.lifecycle().plan(producer, FAMILY,
        RetentionPolicy.keepNewest(1).obsoleteAfter(Duration.ZERO).deleteAfter(Duration.ZERO),
        governance.catalog().find(v2.id()).orElseThrow().updatedAt().plus(Duration.ofDays(1)));
    for (String line : plan.toMarkdown().split("\n")) {
      say("    " + line.replace(v1.id().value(), "v1").replace(v2.id().value(), "v2"));
    }
    say("L8. Every authorized download records the image's last use in its");
    say("    imagegov_lifecycle_last_used property (at most one write per image per hour; the");
    say("    write bumps the image's version like any compare-and-set).");
    java.util.Optional<java.time.Instant> v1Used =
        governance.lifecycle().info(producer, v1.id()).lastUsed();
    say("    v1, rebooted by vm-1: last use " + (v1Used.isPresent() ? "recorded" : "none")
        + "; v2, never downloaded: last use "
        + governance.lifecycle().info(producer, v2.id()).lastUsed().map(t -> "recorded")
            .orElse("none"));
    say("    versions not used since v1's last use: " + governance.lifecycle()
        .unusedSince(producer, v1Used.orElseThrow()).stream()
        .map(i -> i.name().orElse("?")).collect(Collectors.toList()));
    say("Done.");
    return v1.id();
  }

  /** A shared, uploaded version of the family, accepted by the consumer. */
  private Image publish(String name, String version) {
    Image image = governance.images().create(producer,
        NewImage.builder().name(name).diskFormat("raw").containerFormat("bare").build());
    byte[] data = ("disk of " + name).getBytes(StandardCharsets.UTF_8);
    governance.data().upload(producer, image.id(), new ByteArrayInputStream(data),
        OptionalLong.of(data.length));
    governance.sharing().addMember(producer, image.id(), "consumer");
    governance.sharing().updateMemberStatus(consumer, image.id(), ProjectId.of("consumer"),
        MemberStatus.ACCEPTED);
    return governance.lifecycle().join(producer, image.id(), FAMILY.name(), version);
  }

  private String latest() {
    try {
      return governance.lifecycle().latest(consumer, FAMILY).name().orElse("?");
    } catch (GovernanceException e) {
      return e.httpStatus() + " " + e.getMessage();
    }
  }

  private String listed() {
    return governance.images().list(consumer, ListRequest.empty()).images().stream()
        .map(i -> i.name().orElse(i.id().value()))
        .collect(Collectors.toList())
        .toString();
  }

  private String tryUse(ImageId id, Use use) {
    try {
      governance.access().authorizeDownload(consumer, id, use);
      return "allowed";
    } catch (GovernanceException e) {
      return "refused: " + e.httpStatus() + " " + e.code() + ": " + named(e.getMessage(), id);
    }
  }

  private void explain(ImageId id, ActionArgs args) {
    AccessExplanation why = governance.access().explain(consumer, id, Action.DOWNLOAD, args);
    String answer =
        why.errorCode().map(code -> " (" + why.status() + " " + code + ")").orElse("");
    say("   | explain: DOWNLOAD by consumer " + args + " -> " + why.outcome() + answer);
    String last = why.steps().get(why.steps().size() - 1).detail();
    say("   |   last step: " + why.steps().get(why.steps().size() - 1).check() + ": "
        + named(last, id));
  }

  /** {@code text} with v1's id as "v1" and any other image id (the replacement) as "v2". */
  private static String named(String text, ImageId v1) {
    return text.replace(v1.value(), "v1")
        .replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "v2");
  }

  private void say(String line) {
    out.println(line);
  }

  /** A clock one second further at every reading, so the transcript's order of times is fixed. */
  private static final class TickingClock extends java.time.Clock {
    private final java.util.concurrent.atomic.AtomicLong seconds =
        new java.util.concurrent.atomic.AtomicLong(
            java.time.Instant.parse("2026-12-01T00:00:00Z").getEpochSecond());

    @Override
    public java.time.ZoneId getZone() {
      return java.time.ZoneOffset.UTC;
    }

    @Override
    public java.time.Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public java.time.Instant instant() {
      return java.time.Instant.ofEpochSecond(seconds.getAndIncrement());
    }
  }
}
