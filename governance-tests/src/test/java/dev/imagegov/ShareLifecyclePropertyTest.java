package dev.imagegov;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.imagegov.access.Caller;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.exposure.ExposureGuardrail;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.Member;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import dev.imagegov.patch.JsonPatchParser;
import dev.imagegov.query.ListExplanation;
import dev.imagegov.query.ListRequest;
import dev.imagegov.store.memory.MemoryCatalog;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Properties of the share lifecycle, the list explanation and the exposure guardrail, over random
 * catalogs and operation sequences. Seeds are fixed (each test's own constant), so every run
 * checks the same samples; a failure names the sample's seed. Each test also requires that the
 * interesting outcomes were seen, so no property holds vacuously.
 */
final class ShareLifecyclePropertyTest {
  private static final int EXAMPLES = 150;
  private static final Instant START = Instant.parse("2026-03-01T00:00:00Z");
  private static final List<String> PROJECTS =
      List.of("producer", "consumer-a", "consumer-b", "consumer-c", "outsider");

  private static List<Caller> callers() {
    List<Caller> callers = new ArrayList<>();
    for (String p : PROJECTS) {
      callers.add(Caller.member(p));
    }
    callers.add(Caller.reader("consumer-a"));
    callers.add(Caller.admin("admin-project"));
    callers.add(Caller.withoutProject("member", "reader"));
    return callers;
  }

  private static ImageGovernance governance(GovernanceConfig config, ManualClock clock) {
    return ImageGovernance.builder().catalog(new MemoryCatalog()).config(config).clock(clock)
        .build();
  }

  /** The answer of an operation: its value's projection, or the refusal's status and code. */
  private static String outcome(Supplier<Object> call) {
    try {
      return "ok " + call.get();
    } catch (GovernanceException e) {
      return e.httpStatus() + " " + e.code();
    }
  }

  private static String members(List<Member> members) {
    return members.stream().map(m -> m.project() + ":" + m.status().wireName())
        .collect(Collectors.joining(","));
  }

  private static final List<String> LIST_REQUESTS = List.of("", "member_status=all",
      "member_status=pending", "member_status=rejected", "visibility=shared",
      "visibility=all", "visibility=community", "os_hidden=true", "limit=2", "sort=name:asc");

  // ------------------------------------------------------------------ expiry as removal

  /**
   * Two catalogs built alike: in one, some members were given an expiry that has now passed; in
   * the other those members were never added. Every caller gets the same answers from both for
   * get, download, list (several requests), member list, one membership, and then accepting.
   */
  @Test
  void expiredMembersBehaveExactlyAsRemovedOnes() {
    long seed0 = 0x5EA7_E1L;
    int[] expiredSeen = {0};
    qt().withFixedSeed(seed0).withExamples(EXAMPLES).forAll(longs().all()).checkAssert(seed -> {
      Random r = new Random(seed);
      ManualClock clockA = new ManualClock(START);
      ManualClock clockB = new ManualClock(START);
      GovernanceConfig config = GovernanceConfig.builder().strictConsent(r.nextBoolean()).build();
      ImageGovernance expiring = governance(config, clockA);
      ImageGovernance removed = governance(config, clockB);
      int images = 1 + r.nextInt(3);
      List<ImageId> ids = new ArrayList<>();
      for (int i = 0; i < images; i++) {
        Visibility v = r.nextInt(4) == 0 ? Visibility.PRIVATE : Visibility.SHARED;
        String id = new java.util.UUID(seed, i).toString();
        NewImage draft = NewImage.builder().id(id).name("img" + i).visibility(Visibility.SHARED)
            .build();
        expiring.images().create(Caller.member("producer"), draft);
        removed.images().create(Caller.member("producer"), draft);
        ImageId imageId = ImageId.of(id);
        ids.add(imageId);
        for (String p : PROJECTS.subList(1, PROJECTS.size())) {
          int kind = r.nextInt(4); // 0 none, 1 forever, 2 expires later, 3 expires before now
          if (kind == 0) {
            continue;
          }
          MemberStatus status = MemberStatus.values()[r.nextInt(3)];
          Caller member = Caller.member(p);
          ProjectId project = ProjectId.of(p);
          Instant end = START.plusSeconds(kind == 3 ? 1 + r.nextInt(50) : 101 + r.nextInt(50));
          if (kind == 1) {
            expiring.sharing().addMember(Caller.member("producer"), imageId, p);
          } else {
            expiring.sharing().addMember(Caller.member("producer"), imageId, project, end);
          }
          expiring.sharing().updateMemberStatus(member, imageId, project, status);
          if (kind != 3) {
            removed.sharing().addMember(Caller.member("producer"), imageId, p);
            removed.sharing().updateMemberStatus(member, imageId, project, status);
          } else {
            expiredSeen[0]++;
          }
        }
        if (v == Visibility.PRIVATE) {
          expiring.images().setVisibility(Caller.member("producer"), imageId, v);
          removed.images().setVisibility(Caller.member("producer"), imageId, v);
        }
      }
      clockA.advance(Duration.ofSeconds(100));
      clockB.advance(Duration.ofSeconds(100));
      for (Caller c : callers()) {
        for (String q : LIST_REQUESTS) {
          assertThat(listed(expiring, c, q)).as("seed %d, %s lists %s", seed, c, q)
              .isEqualTo(listed(removed, c, q));
        }
        for (ImageId id : ids) {
          for (ImageGovernance[] pair : new ImageGovernance[][] {{expiring, removed}}) {
            assertThat(answers(pair[0], c, id)).as("seed %d, %s on %s", seed, c, id)
                .isEqualTo(answers(pair[1], c, id));
          }
        }
      }
      for (Caller c : callers()) {
        for (ImageId id : ids) {
          ProjectId own = c.project().orElse(ProjectId.of("nobody"));
          assertThat(outcome(() -> expiring.sharing().updateMemberStatus(c, id, own,
                  MemberStatus.ACCEPTED).status()))
              .as("seed %d, %s accepts %s", seed, c, id)
              .isEqualTo(outcome(() -> removed.sharing().updateMemberStatus(c, id, own,
                  MemberStatus.ACCEPTED).status()));
        }
      }
    });
    assertThat(expiredSeen[0]).as("expired memberships drawn (seed %d)", seed0).isPositive();
  }

  private static String listed(ImageGovernance g, Caller c, String q) {
    return outcome(() -> g.images().list(c, ListRequest.parse(q)).images().stream()
        .map(i -> i.id() + "/" + members(List.copyOf(i.members().values())))
        .collect(Collectors.toList()));
  }

  private static List<String> answers(ImageGovernance g, Caller c, ImageId id) {
    return List.of(
        outcome(() -> members(List.copyOf(g.images().get(c, id).members().values()))),
        outcome(() -> g.access().authorizeDownload(c, id).id()),
        outcome(() -> members(g.sharing().listMembers(c, id))),
        outcome(() -> g.sharing().getMember(c, id, c.project().orElse(ProjectId.of("nobody")))
            .status()),
        outcome(() -> g.sharing().getMember(c, id, ProjectId.of("consumer-b")).status()));
  }

  // ------------------------------------------------------------------ strict consent

  /**
   * Random sequences of member and visibility changes, additions with expiries and clock moves
   * under strict consent: after every step, a project that is only a member of an image can
   * download it exactly when its stored membership is accepted and unexpired; every other project
   * is not concerned (owner, public, community) or cannot see the image.
   */
  @Test
  void strictConsentNeverLetsANonAcceptedMemberBoot() {
    long seed0 = 0xC0_5E_47L;
    int[] refusedSeen = {0};
    int[] acceptedBoots = {0};
    GovernanceConfig config = GovernanceConfig.builder().strictConsent(true).build();
    qt().withFixedSeed(seed0).withExamples(EXAMPLES).forAll(longs().all()).checkAssert(seed -> {
      Random r = new Random(seed);
      ManualClock clock = new ManualClock(START);
      ImageGovernance g = governance(config, clock);
      Caller producer = Caller.member("producer");
      ImageId id = g.images().create(producer,
          NewImage.builder().name("golden").visibility(Visibility.SHARED).build()).id();
      for (int step = 0; step < 20; step++) {
        String p = PROJECTS.get(1 + r.nextInt(PROJECTS.size() - 1));
        ProjectId project = ProjectId.of(p);
        int op = r.nextInt(7);
        outcome(() -> {
          switch (op) {
            case 0:
              return g.sharing().addMember(producer, id, p);
            case 1:
              return g.sharing().addMember(producer, id, project,
                  clock.instant().plusSeconds(1 + r.nextInt(20)));
            case 2:
              return g.sharing().updateMemberStatus(Caller.member(p), id, project,
                  MemberStatus.values()[r.nextInt(3)]);
            case 3:
              g.sharing().removeMember(producer, id, project);
              return "removed";
            case 4:
              clock.advance(Duration.ofSeconds(r.nextInt(15)));
              return "tick";
            case 5:
              return g.images().setVisibility(producer, id,
                  List.of(Visibility.SHARED, Visibility.PRIVATE, Visibility.COMMUNITY)
                      .get(r.nextInt(3)));
            default:
              return g.sharing().setMemberExpiry(producer, id, project, Optional.empty());
          }
        });
        Image stored = g.catalog().find(id).orElseThrow();
        for (String q : PROJECTS.subList(1, PROJECTS.size())) {
          Member row = stored.members().get(ProjectId.of(q));
          boolean onlyMember = stored.visibility() == Visibility.SHARED && row != null
              && !row.isExpiredAt(clock.instant());
          String boot = outcome(() -> g.access().authorizeDownload(Caller.member(q), id).id());
          if (stored.visibility() == Visibility.COMMUNITY) {
            assertThat(boot).as("seed %d step %d %s", seed, step, q).startsWith("ok");
          } else if (onlyMember && row.status() == MemberStatus.ACCEPTED) {
            acceptedBoots[0]++;
            assertThat(boot).as("seed %d step %d %s", seed, step, q).startsWith("ok");
          } else if (onlyMember) {
            refusedSeen[0]++;
            assertThat(boot).as("seed %d step %d %s (%s)", seed, step, q, row.status())
                .isEqualTo("403 CONSENT_REQUIRED");
          } else {
            assertThat(boot).as("seed %d step %d %s", seed, step, q).startsWith("404");
          }
        }
      }
    });
    assertThat(refusedSeen[0]).as("non-accepted members refused (seed %d)", seed0).isPositive();
    assertThat(acceptedBoots[0]).as("accepted members booting (seed %d)", seed0).isPositive();
  }

  // ------------------------------------------------------------------ the guardrail

  /**
   * Model-based: random sequences of creates (with every visibility, by producers, other
   * projects and admins, for themselves or for another owner), visibility changes and JSON
   * patches (a visibility operation alone, among others, added or replaced) under a random
   * guardrail. After every step, any image that became public or community in that step was
   * exposed by a caller the guardrail allows, and a refused step changed nothing.
   */
  @Test
  void theGuardrailCannotBeBypassedThroughCreatePatchOrVisibilityChange() {
    long seed0 = 0x6A_4D_4A11L;
    int[] refused = {0};
    int[] exposedByAllowed = {0};
    qt().withFixedSeed(seed0).withExamples(EXAMPLES).forAll(longs().all()).checkAssert(seed -> {
      Random r = new Random(seed);
      ExposureGuardrail guardrail = r.nextBoolean()
          ? ExposureGuardrail.blocked()
          : ExposureGuardrail.producersOnly(List.of(ProjectId.of("producer")));
      ImageGovernance g = governance(GovernanceConfig.builder().exposure(guardrail).build(),
          new ManualClock(START));
      List<Caller> actors = List.of(Caller.member("producer"), Caller.member("consumer-a"),
          Caller.member("outsider"), Caller.admin("admin-project"));
      List<ImageId> ids = new ArrayList<>();
      for (int step = 0; step < 15; step++) {
        Caller actor = actors.get(r.nextInt(actors.size()));
        Visibility target = Visibility.values()[r.nextInt(Visibility.values().length)];
        Map<ImageId, Image> before = snapshot(g);
        int op = ids.isEmpty() ? 0 : r.nextInt(4);
        ImageId on = ids.isEmpty() ? null : ids.get(r.nextInt(ids.size()));
        String answer = outcome(() -> {
          switch (op) {
            case 0: {
              NewImage.Builder b = NewImage.builder().name("n").visibility(target);
              if (actor.project().equals(Optional.of(ProjectId.of("admin-project")))
                  && r.nextBoolean()) {
                b.owner(PROJECTS.get(r.nextInt(PROJECTS.size())));
              }
              Image created = g.images().create(actor, b.build());
              ids.add(created.id());
              return created.id();
            }
            case 1:
              return g.images().setVisibility(actor, on, target).id();
            case 2:
              return g.images().patch(actor, on, JsonPatchParser.V2_1, "[{\"op\":\""
                  + (r.nextBoolean() ? "replace" : "add") + "\",\"path\":\"/visibility\","
                  + "\"value\":\"" + target.wireName() + "\"}]").id();
            default:
              return g.images().patch(actor, on, JsonPatchParser.V2_1,
                  "[{\"op\":\"add\",\"path\":\"/k\",\"value\":\"v\"},"
                      + "{\"op\":\"replace\",\"path\":\"/visibility\",\"value\":\""
                      + target.wireName() + "\"},"
                      + "{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"m\"}]").id();
          }
        });
        Map<ImageId, Image> after = snapshot(g);
        boolean allowed = guardrail.refusal(
            actor.project().equals(Optional.of(ProjectId.of("admin-project"))),
            actor.project(), target).isEmpty();
        if (answer.contains("EXPOSURE_GUARDRAIL")) {
          refused[0]++;
          assertThat(allowed).as("seed %d step %d: refused an allowed caller", seed, step)
              .isFalse();
          assertThat(after).as("seed %d step %d: a refusal changed nothing", seed, step)
              .isEqualTo(before);
        }
        for (Image image : after.values()) {
          Image old = before.get(image.id());
          boolean exposed = isExposed(image.visibility());
          if (exposed && (old == null || !isExposed(old.visibility())
              || old.visibility() != image.visibility())) {
            exposedByAllowed[0]++;
            assertThat(allowed).as("seed %d step %d: %s exposed %s as %s under %s", seed, step,
                actor, image.id(), image.visibility(), guardrail.mode()).isTrue();
          }
        }
      }
    });
    assertThat(refused[0]).as("guardrail refusals (seed %d)", seed0).isPositive();
    assertThat(exposedByAllowed[0]).as("allowed exposures (seed %d)", seed0).isPositive();
  }

  private static boolean isExposed(Visibility v) {
    return v == Visibility.PUBLIC || v == Visibility.COMMUNITY;
  }

  private static Map<ImageId, Image> snapshot(ImageGovernance g) {
    Map<ImageId, Image> all = new HashMap<>();
    g.catalog().forEach(i -> all.put(i.id(), i));
    return all;
  }

  // ------------------------------------------------------------------ list explanation

  /**
   * Random catalogs (every visibility, hidden or not, tagged or not, members of every status,
   * some images deleted) and random callers and list requests: {@code explainList} says an image
   * appears exactly when {@code list} returns it, for every image of the catalog (and an id that
   * names none), and refuses a request exactly as the list does.
   */
  @Test
  void explainListAgreesWithListForRandomCatalogsAndRequests() {
    long seed0 = 0xE4_91_157L;
    Set<ListExplanation.Clause> clauses = EnumSet.noneOf(ListExplanation.Clause.class);
    qt().withFixedSeed(seed0).withExamples(EXAMPLES).forAll(longs().all()).checkAssert(seed -> {
      Random r = new Random(seed);
      ImageGovernance g = governance(GovernanceConfig.defaults(), new ManualClock(START));
      List<ImageId> ids = new ArrayList<>();
      int n = 2 + r.nextInt(6);
      for (int i = 0; i < n; i++) {
        String owner = PROJECTS.get(r.nextInt(3));
        Visibility v = Visibility.values()[r.nextInt(Visibility.values().length)];
        List<String> tags = r.nextBoolean() ? List.of("gold") : List.of();
        Image image = g.images().create(Caller.admin("admin-project"), NewImage.builder()
            .name("img" + r.nextInt(4)).owner(owner).visibility(Visibility.SHARED)
            .osHidden(r.nextInt(4) == 0).tags(tags).build());
        ids.add(image.id());
        for (String p : PROJECTS) {
          if (!p.equals(owner) && r.nextInt(3) == 0) {
            g.sharing().addMember(Caller.member(owner), image.id(), p);
            g.sharing().updateMemberStatus(Caller.member(p), image.id(), ProjectId.of(p),
                MemberStatus.values()[r.nextInt(3)]);
          }
        }
        if (v != Visibility.SHARED) {
          g.images().setVisibility(Caller.admin("admin-project"), image.id(), v);
        }
        if (r.nextInt(6) == 0) {
          g.images().delete(Caller.admin("admin-project"), image.id());
        }
      }
      ids.add(ImageId.of(new java.util.UUID(seed, -1).toString()));
      List<Caller> callers = callers();
      for (int k = 0; k < 6; k++) {
        Caller caller = callers.get(r.nextInt(callers.size()));
        String request = randomRequest(r, ids);
        ListRequest lr = ListRequest.parse(request);
        ListRequest unpaged = lr.without("marker").without("limit").with("limit", "1000");
        Set<ImageId> anywhere = new java.util.HashSet<>();
        try {
          g.images().list(caller, unpaged).images().forEach(i -> anywhere.add(i.id()));
        } catch (GovernanceException e) {
          // the paged request's answer below is compared instead
        }
        String listAnswer;
        Set<ImageId> listedIds = new TreeSet<>(java.util.Comparator.comparing(ImageId::value));
        try {
          g.images().list(caller, lr).images().forEach(i -> listedIds.add(i.id()));
          listAnswer = "ok";
        } catch (GovernanceException e) {
          listAnswer = e.httpStatus() + " " + e.code();
        }
        for (ImageId id : ids) {
          String explainAnswer;
          try {
            ListExplanation e = g.images().explainList(caller, id, lr);
            clauses.add(e.clause());
            explainAnswer = "ok";
            assertThat(e.appears()).as("seed %d, %s lists '%s': %s (%s)", seed, caller,
                request, id, e.detail()).isEqualTo(listedIds.contains(id));
            // The clause is the real reason: only a page boundary leaves out an image the
            // unpaged list shows.
            assertThat(e.clause() == ListExplanation.Clause.OUTSIDE_PAGE
                    || e.clause() == ListExplanation.Clause.LISTED)
                .as("seed %d, %s lists '%s': %s is %s (%s)", seed, caller, request, id,
                    e.clause(), e.detail())
                .isEqualTo(anywhere.contains(id));
          } catch (GovernanceException e) {
            explainAnswer = e.httpStatus() + " " + e.code();
          }
          assertThat(explainAnswer).as("seed %d, %s lists '%s'", seed, caller, request)
              .isEqualTo(listAnswer);
        }
      }
    });
    assertThat(clauses).as("clauses seen (seed %d)", seed0).contains(
        ListExplanation.Clause.LISTED, ListExplanation.Clause.NOT_VISIBLE,
        ListExplanation.Clause.MEMBER_STATUS, ListExplanation.Clause.COMMUNITY_NOT_ASKED,
        ListExplanation.Clause.OS_HIDDEN, ListExplanation.Clause.FILTER,
        ListExplanation.Clause.VISIBILITY_FILTER, ListExplanation.Clause.OUTSIDE_PAGE);
  }

  private static String randomRequest(Random r, List<ImageId> ids) {
    Map<String, String> params = new LinkedHashMap<>();
    if (r.nextBoolean()) {
      params.put("visibility", List.of("all", "shared", "public", "private", "community")
          .get(r.nextInt(5)));
    }
    if (r.nextBoolean()) {
      params.put("member_status", List.of("all", "pending", "accepted", "rejected")
          .get(r.nextInt(4)));
    }
    if (r.nextInt(3) == 0) {
      params.put("os_hidden", r.nextBoolean() ? "true" : "false");
    }
    if (r.nextInt(3) == 0) {
      params.put("tag", "gold");
    }
    if (r.nextInt(3) == 0) {
      params.put("name", "img" + r.nextInt(4));
    }
    if (r.nextInt(3) == 0) {
      params.put("limit", String.valueOf(r.nextInt(4)));
    }
    if (r.nextInt(4) == 0) {
      params.put("marker", ids.get(r.nextInt(ids.size())).value());
    }
    if (r.nextInt(3) == 0) {
      params.put("sort", r.nextBoolean() ? "name:asc" : "created_at:desc");
    }
    return params.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining("&"));
  }
}
