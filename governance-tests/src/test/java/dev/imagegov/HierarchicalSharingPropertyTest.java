package dev.imagegov;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegov.error.GovernanceException;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import dev.imagegov.query.ListExplanation;
import dev.imagegov.query.ListRequest;
import dev.imagegov.sharing.MemoryTenancy;
import dev.imagegov.sharing.Tenant;
import dev.imagegov.store.memory.MemoryCatalog;
import dev.imagegov.testkit.model.Persona;
import dev.imagegov.testkit.model.ReferenceModel;
import dev.imagegov.testkit.model.ReferenceModel.ModelImage;
import dev.imagegov.testkit.model.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Model-based property of hierarchical sharing, on fixed seeds (each failure names its seed and
 * step): random sequences of creating shared images, adding and removing members (projects, parent
 * projects, a domain), answering as any project, and moving projects in the directory, run on the
 * governance and on the testkit's {@link ReferenceModel} with the same directory. After every step
 * the answers, get by id and both lists of every project agree with the model, and no project
 * outside the subtree of a member ever sees a shared image (a moved project loses access at once).
 * The list explanation agrees with the list and the model for every project and image (for each
 * member status in turn), and names the group through which a membership holds.
 */
class HierarchicalSharingPropertyTest {
  private static final ProjectId DOMAIN = ProjectId.of("d");
  private static final List<String> PROJECTS = List.of("g", "a", "a1", "b", "o", "x", "owner");
  /** The projects a step may move, and the parents it may move them under ("" for the top). */
  private static final List<String> MOVABLE = List.of("a", "a1", "b", "o");
  private static final List<String> PARENTS = List.of("", "g", "a", "b", "o");
  private static final List<String> MEMBERS = List.of("g", "a", "b", "o", "x", "d");
  private static final int SEEDS = 40;
  private static final int STEPS = 30;
  /**
   * The member statuses the list explanation is checked for, one per step in turn: the default
   * (accepted), each, and all.
   */
  private static final List<Optional<MemberStatus>> REQUESTED = List.of(
      Optional.of(MemberStatus.ACCEPTED), Optional.of(MemberStatus.PENDING),
      Optional.of(MemberStatus.REJECTED), Optional.empty());

  private static MemoryTenancy tenancy() {
    return MemoryTenancy.builder()
        .domain(DOMAIN)
        .project(ProjectId.of("g"), null, DOMAIN)
        .project(ProjectId.of("a"), ProjectId.of("g"), DOMAIN)
        .project(ProjectId.of("a1"), ProjectId.of("a"), DOMAIN)
        .project(ProjectId.of("b"), ProjectId.of("g"), DOMAIN)
        .project(ProjectId.of("o"), null, DOMAIN)
        .project(ProjectId.of("x"))
        .project(ProjectId.of("owner"))
        .build();
  }

  @Test
  void governanceAgreesWithTheModelAndNothingLeaksOutsideASharedSubtree() {
    for (long seed = 1; seed <= SEEDS; seed++) {
      for (MemberStatus unanswered : List.of(MemberStatus.PENDING, MemberStatus.ACCEPTED)) {
        run(seed, unanswered);
      }
    }
  }

  private static void run(long seed, MemberStatus unanswered) {
    Random random = new Random(seed);
    MemoryTenancy tenancy = tenancy();
    ImageGovernance g = ImageGovernance.builder()
        .catalog(new MemoryCatalog())
        .config(GovernanceConfig.builder().imageMemberQuota(3)
            .groupMembersAccepted(unanswered == MemberStatus.ACCEPTED).build())
        .clock(new TickingClock())
        .tenancy(tenancy)
        .build();
    ReferenceModel model = new ReferenceModel(3).withTenancy(
        p -> tenancy.lineage(ProjectId.of(p)).stream().map(ProjectId::value)
            .collect(Collectors.toList()),
        unanswered);
    List<Persona> personas = PROJECTS.stream().map(Persona::member).collect(Collectors.toList());
    Persona owner = Persona.member("owner");
    int created = 0;
    List<String> done = new ArrayList<>();
    for (int n = 0; n < STEPS; n++) {
      String where = "seed " + seed + " (unanswered " + unanswered.wireName() + "), step "
          + (n + 1) + " after " + done;
      int kind = random.nextInt(10);
      if (kind == 0 || created == 0) {
        ImageId id = ImageId.of(new UUID(0, ++created));
        Step s = new Step(Step.Kind.CREATE, owner, 0, Visibility.SHARED, "", MemberStatus.PENDING,
            0);
        ReferenceModel.Prediction expected = model.predict(s, id);
        g.images().create(owner.caller(), NewImage.builder().id(id.value())
            .visibility(Visibility.SHARED).build());
        expected.effect().run();
        done.add("create " + created);
      } else if (kind <= 2) {
        String project = MOVABLE.get(random.nextInt(MOVABLE.size()));
        String parent = PARENTS.get(random.nextInt(PARENTS.size()));
        try {
          tenancy.put(new Tenant(ProjectId.of(project),
              parent.isEmpty() ? Optional.empty() : Optional.of(ProjectId.of(parent)),
              Optional.of(DOMAIN)));
          done.add("move " + project + " under " + (parent.isEmpty() ? "top" : parent));
        } catch (IllegalArgumentException belowItself) {
          done.add("no move of " + project + " under " + parent);
        }
      } else {
        Step s = memberStep(kind, random, owner, personas);
        ReferenceModel.Prediction expected = model.predict(s, ImageId.of(new UUID(0, 0)));
        ImageId id = model.target(s).orElseThrow().id();
        int actual = outcome(() -> execute(g, s, id));
        done.add(s.kind() + " " + s.who().project() + " " + s.project() + " " + s.status()
            + " on " + created + " -> " + actual);
        assertThat(actual).as("answer at %s", where).isEqualTo(expected.status());
        if (actual == ReferenceModel.OK) {
          expected.effect().run();
        }
      }
      check(g, model, personas, REQUESTED.get(n % REQUESTED.size()), where);
    }
  }

  /** Adds, answers or removes: the owner adds and removes, any project answers for itself. */
  private static Step memberStep(int kind, Random random, Persona owner, List<Persona> personas) {
    int image = random.nextInt(8);
    String member = MEMBERS.get(random.nextInt(MEMBERS.size()));
    if (kind <= 5) {
      return new Step(Step.Kind.ADD_MEMBER, owner, image, Visibility.SHARED, member,
          MemberStatus.PENDING, 0);
    }
    if (kind <= 8) {
      Persona who = personas.get(random.nextInt(personas.size()));
      MemberStatus status = MemberStatus.values()[random.nextInt(3)];
      return new Step(Step.Kind.UPDATE_MEMBER, who, image, Visibility.SHARED, who.project(),
          status, 0);
    }
    String removed = random.nextBoolean() ? member : PROJECTS.get(random.nextInt(PROJECTS.size()));
    return new Step(Step.Kind.REMOVE_MEMBER, owner, image, Visibility.SHARED, removed,
        MemberStatus.PENDING, 0);
  }

  private static void execute(ImageGovernance g, Step s, ImageId id) {
    switch (s.kind()) {
      case ADD_MEMBER:
        g.sharing().addMember(s.who().caller(), id, s.project());
        break;
      case UPDATE_MEMBER:
        g.sharing().updateMemberStatus(s.who().caller(), id, ProjectId.of(s.project()), s.status());
        break;
      default:
        g.sharing().removeMember(s.who().caller(), id, ProjectId.of(s.project()));
    }
  }

  private static int outcome(Runnable action) {
    try {
      action.run();
      return ReferenceModel.OK;
    } catch (GovernanceException e) {
      return e.httpStatus();
    }
  }

  /**
   * Checks every project against the model after a step; the list explanation for one member
   * status of {@link #REQUESTED} ({@code wanted}, each in turn from step to step).
   */
  private static void check(ImageGovernance g, ReferenceModel model, List<Persona> personas,
      Optional<MemberStatus> wanted, String where) {
    for (Persona p : personas) {
      for (ModelImage i : model.images()) {
        boolean got = outcome(() -> g.images().get(p.caller(), i.id())) == ReferenceModel.OK;
        assertThat(got).as("%s may get %s (model: %s) at %s", p, i.id(), i, where)
            .isEqualTo(model.canGet(p, i));
        if (got && !i.owner().equals(p.project())) {
          assertThat(model.status(i, p.project()))
              .as("%s sees %s only as a member, directly or below a member, at %s", p, i, where)
              .isPresent();
        }
      }
      assertThat(listed(g, p, "limit=1000"))
          .as("%s default list at %s", p, where)
          .isEqualTo(expected(model, i -> model.listedByDefault(p, i)));
      assertThat(listed(g, p, "limit=1000&visibility=all&member_status=all"))
          .as("%s list of everything at %s", p, where)
          .isEqualTo(expected(model, i -> model.listedWithAll(p, i)));
      explainListAgrees(g, model, p, wanted, where);
    }
  }

  /**
   * {@code explainList} agrees with {@code list} for {@code p} and every image, and with the
   * model: the clause (not visible, member status, listed), and the group through which the
   * membership holds, named by {@code via} and by the detail.
   */
  private static void explainListAgrees(ImageGovernance g, ReferenceModel model, Persona p,
      Optional<MemberStatus> wanted, String where) {
    String query = wanted.isEmpty() ? "limit=1000&visibility=all&member_status=all"
        : wanted.get() == MemberStatus.ACCEPTED ? "limit=1000"
        : "limit=1000&member_status=" + wanted.get().wireName();
    Set<String> listed = listed(g, p, query);
    for (ModelImage i : model.images()) {
      ListExplanation e = g.images().explainList(p.caller(), i.id(), ListRequest.parse(query));
      String as = p + " lists '" + query + "': " + i + " (" + e.clause() + ", " + e.detail()
          + ") at " + where;
      assertThat(e.appears()).as(as).isEqualTo(listed.contains(i.id().value()));
      boolean owner = i.owner().equals(p.project());
      Optional<MemberStatus> status = owner ? Optional.empty() : model.status(i, p.project());
      ListExplanation.Clause clause = !model.canGet(p, i) ? ListExplanation.Clause.NOT_VISIBLE
          : status.isPresent() && wanted.isPresent() && !wanted.equals(status)
          ? ListExplanation.Clause.MEMBER_STATUS
          : ListExplanation.Clause.LISTED;
      assertThat(e.clause()).as(as).isEqualTo(clause);
      Optional<String> via = status.isPresent() ? model.via(i, p.project()) : Optional.empty();
      assertThat(e.via().map(ProjectId::value)).as("the group named, %s", as).isEqualTo(via);
      via.ifPresent(group -> assertThat(e.detail()).as(as).contains("through " + group));
    }
  }

  private static Set<String> listed(ImageGovernance g, Persona p, String query) {
    return g.images().list(p.caller(), ListRequest.parse(query)).images().stream()
        .map(Image::id).map(ImageId::value).collect(Collectors.toCollection(TreeSet::new));
  }

  private static Set<String> expected(
      ReferenceModel model, java.util.function.Predicate<ModelImage> listed) {
    return model.images().stream().filter(listed).map(i -> i.id().value())
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
