package dev.imagegov.testkit.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.imagegov.ImageGovernance;
import dev.imagegov.NewImage;
import dev.imagegov.access.Action;
import dev.imagegov.access.ActionArgs;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import dev.imagegov.query.ListRequest;
import dev.imagegov.testkit.model.ReferenceModel.ModelImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * A stateful, model-based property over any {@link ImageGovernance}: QuickTheories generates
 * sequences of {@link Step}s (create, set visibility, add, update and remove members, delete,
 * upload) by {@link Persona}s (owners, members, readers, outsiders, an admin), runs each sequence
 * on a fresh governance and on a {@link ReferenceModel}, and after every step compares the answer
 * (success or HTTP status), get by id for every persona and image, two lists for every persona (the
 * default one and {@code visibility=all&member_status=all}) and the stored bytes of every persona's
 * project ({@code quotas().usage}). A failure shrinks, by delta debugging over the steps, to the
 * few steps that matter, and is reported with the failing step marked and the governance's {@code
 * access().explain} of it.
 *
 * <pre>{@code
 * GovernanceModelCheck.against(() -> ImageGovernance.builder().catalog(new MyCatalog()).build())
 *     .run();
 * }</pre>
 *
 * <p>The governance must start empty and use the default policy (secure RBAC) without legacy
 * ownership checks; its member quota and {@code user_storage_quota} are read from its configuration
 * (unified limits are not modelled and are refused). Upload steps run only on a governance with a
 * default blob store (they are skipped otherwise). Immutable: each {@code withX} returns a new
 * check.
 */
public final class GovernanceModelCheck {
  /** The member projects steps name: the personas' projects and one nobody is in. */
  static final List<String> PROJECTS = List.of("p1", "p2", "p3", "adm", "p9");

  /** The sizes upload steps draw from. */
  static final List<Integer> SIZES = List.of(0, 1, 100, 400, 1000);

  /** An id no image has, for steps that name an image before any exists. */
  private static final ImageId NOWHERE = ImageId.of(new UUID(1, 1));

  private final Supplier<ImageGovernance> governances;
  private final List<Persona> personas;
  private final int examples;
  private final int maxSteps;
  private final int shrinkCycles;
  private final OptionalLong seed;

  private GovernanceModelCheck(
      Supplier<ImageGovernance> governances,
      List<Persona> personas,
      int examples,
      int maxSteps,
      int shrinkCycles,
      OptionalLong seed) {
    this.governances = governances;
    this.personas = List.copyOf(personas);
    this.examples = examples;
    this.maxSteps = maxSteps;
    this.shrinkCycles = shrinkCycles;
    this.seed = seed;
  }

  /**
   * {@return a check of the governances {@code governances} makes (a fresh, empty one per call)}
   *
   * @param governances makes a fresh, empty governance for each sequence
   */
  public static GovernanceModelCheck against(Supplier<ImageGovernance> governances) {
    return new GovernanceModelCheck(
        Objects.requireNonNull(governances, "governances"), Persona.defaults(), 120, 24, 500,
        OptionalLong.empty());
  }

  /**
   * Tries {@code examples} generated sequences (120 by default).
   *
   * @param examples how many sequences to try
   * @return a copy of this check with that count
   */
  public GovernanceModelCheck withExamples(int examples) {
    return new GovernanceModelCheck(
        governances, personas, examples, maxSteps, shrinkCycles, seed);
  }

  /**
   * Sequences of 1 to {@code maxSteps} steps (24 by default).
   *
   * @param maxSteps the longest sequence
   * @return a copy of this check with that length
   */
  public GovernanceModelCheck withMaxSteps(int maxSteps) {
    return new GovernanceModelCheck(
        governances, personas, examples, maxSteps, shrinkCycles, seed);
  }

  /**
   * Gives shrinking {@code cycles} attempts (500 by default): the most re-runs of shorter
   * sequences delta debugging makes before it reports the shortest failing one found.
   *
   * @param cycles the most shrinking attempts
   * @return a copy of this check with that budget
   */
  public GovernanceModelCheck withShrinkCycles(int cycles) {
    return new GovernanceModelCheck(governances, personas, examples, maxSteps, cycles, seed);
  }

  /**
   * Generates the sequences from {@code seed}: the same ones every run, for a check whose outcome
   * must be certain (a test that a defect is caught, say). By default each run draws a new seed,
   * which a failure names ({@code Seed was ...}; QuickTheories' {@code -DQT_SEED} replays it).
   *
   * @param seed the seed; the same seed gives the same values
   * @return a copy of this check with that seed
   */
  public GovernanceModelCheck withSeed(long seed) {
    return new GovernanceModelCheck(
        governances, personas, examples, maxSteps, shrinkCycles, OptionalLong.of(seed));
  }

  /**
   * Steps by these personas instead of {@link Persona#defaults()}.
   *
   * @param personas the callers the steps are taken by
   * @return a copy of this check with those personas
   */
  public GovernanceModelCheck withPersonas(List<Persona> personas) {
    if (personas.isEmpty()) {
      throw new IllegalArgumentException("at least one persona is needed");
    }
    return new GovernanceModelCheck(
        governances, personas, examples, maxSteps, shrinkCycles, seed);
  }

  /** {@return the generated steps: any kind, by any persona, on any of the first 8 images} */
  public Gen<Step> steps() {
    return Generate.enumValues(Step.Kind.class)
        .zip(
            Generate.pick(personas),
            Generate.range(0, 7),
            Generate.enumValues(Visibility.class),
            (k, p, i, v) -> new Object[] {k, p, i, v})
        .zip(
            Generate.pick(PROJECTS),
            Generate.enumValues(MemberStatus.class),
            Generate.pick(SIZES),
            (a, project, status, size) ->
                new Step(
                    (Step.Kind) a[0],
                    (Persona) a[1],
                    (Integer) a[2],
                    (Visibility) a[3],
                    project,
                    status,
                    size));
  }

  /**
   * Runs the property. A failing sequence is shrunk by delta debugging over its steps (at most
   * {@link #withShrinkCycles} re-runs, deterministic) to the steps that matter, and reported with
   * the failing step marked and the governance's {@code access().explain} of it.
   *
   * @throws AssertionError naming the shortest failing sequence found, the failing step with its
   *     explanation, and the view that disagreed
   */
  public void run() {
    // QuickTheories' own shrinking is replaced by delta debugging over the steps (see check).
    (seed.isPresent() ? qt().withFixedSeed(seed.getAsLong()) : qt())
        .withExamples(examples)
        .withShrinkCycles(0)
        .forAll(lists().of(steps()).ofSizeBetween(1, maxSteps))
        .checkAssert(this::checkShrinking);
  }

  /** The kinds of view {@link #check} compares, as its failure descriptions name them. */
  static final List<String> VIEWS =
      List.of("answer", "may get", "default list", "list of everything", "stored bytes");

  /**
   * Runs one sequence on a fresh governance and the model; fails at the first disagreement.
   *
   * @param steps the sequence to run
   */
  public void check(List<Step> steps) {
    ModelShrinker.Divergence d = divergence(steps, false);
    if (d != null) {
      throw d;
    }
  }

  /** {@link #check}, shrinking a failing sequence and reporting it with explain. */
  private void checkShrinking(List<Step> steps) {
    ModelShrinker.Divergence d = divergence(steps, false);
    if (d == null) {
      return;
    }
    ModelShrinker.Shrunk<Step> shrunk =
        ModelShrinker.shrink(steps, d, s -> divergence(s, false), shrinkCycles);
    ModelShrinker.Divergence explained = divergence(shrunk.steps(), true);
    ModelShrinker.Shrunk<Step> reported = new ModelShrinker.Shrunk<>(shrunk.steps(),
        explained == null ? shrunk.divergence() : explained, shrunk.runs());
    throw new AssertionError(ModelShrinker.report("GovernanceModelCheck",
        seed.isPresent() ? "seed " + seed.getAsLong() : "a random seed, named below",
        steps.size(), reported), reported.divergence());
  }

  /**
   * Runs {@code steps} on a fresh governance and the model; answers the first disagreement (with
   * the governance's explanation of the failing step when {@code explain}), or null.
   */
  private ModelShrinker.@Nullable Divergence divergence(List<Step> steps, boolean explain) {
    ImageGovernance g = governances.get();
    if (g.config().legacyOwnershipChecks()) {
      throw new IllegalArgumentException("the reference model knows secure-RBAC rules only");
    }
    if (g.config().unifiedLimits().isPresent()) {
      throw new IllegalArgumentException("the reference model knows user_storage_quota only");
    }
    ReferenceModel model =
        new ReferenceModel(
            g.config().imageMemberQuota(), g.config().userStorageQuotaBytes().orElse(-1));
    boolean uploads = g.data().defaultStore().isPresent();
    int created = 0;
    for (int n = 0; n < steps.size(); n++) {
      Step s = steps.get(n);
      if (s.kind() == Step.Kind.UPLOAD && !uploads) {
        continue;
      }
      String explained = explain ? explain(g, model, s) : "";
      try {
        String where = "step " + (n + 1) + " of " + steps + ": " + s;
        ImageId newId = ImageId.of(new UUID(0, created + 1));
        if (s.kind() == Step.Kind.CREATE) {
          created++;
        }
        ReferenceModel.Prediction expected = model.predict(s, newId);
        int actual = outcome(() -> execute(g, model, s, newId));
        assertThat(actual).as("answer at %s", where).isEqualTo(expected.status());
        if (actual == ReferenceModel.OK) {
          expected.effect().run();
        }
        checkViews(g, model, where);
      } catch (AssertionError | RuntimeException e) {
        return ModelShrinker.divergence(e, n, VIEWS, explained);
      }
    }
    return null;
  }

  /**
   * The governance's {@code access().explain} of step {@code s} before it runs: the action the
   * step asks for, by its persona, on its image.
   */
  static String explain(ImageGovernance g, ReferenceModel model, Step s) {
    Optional<ModelImage> target = model.target(s);
    if (s.kind() == Step.Kind.CREATE || target.isEmpty()) {
      return "explain: none (the step " + (s.kind() == Step.Kind.CREATE ? "creates an image"
          : "names no image, none exists yet") + ")";
    }
    ImageId id = target.get().id();
    Persona who = s.who();
    switch (s.kind()) {
      case SET_VISIBILITY:
        Action change = s.visibility() == Visibility.PUBLIC ? Action.PUBLICIZE
            : s.visibility() == Visibility.COMMUNITY ? Action.COMMUNITIZE : Action.MODIFY;
        return explain(g, who, id, change, ActionArgs.visibility(s.visibility()));
      case ADD_MEMBER:
        return explain(g, who, id, Action.ADD_MEMBER, ActionArgs.member(s.project()));
      case UPDATE_MEMBER:
        return explain(g, who, id, Action.UPDATE_MEMBER_STATUS,
            ActionArgs.memberStatus(ProjectId.of(s.project()), s.status()));
      case REMOVE_MEMBER:
        return explain(g, who, id, Action.REMOVE_MEMBER, ActionArgs.member(s.project()));
      case DELETE:
        return explain(g, who, id, Action.DELETE, ActionArgs.defaults());
      default:
        // An upload: the data is the image's, so its explanation is that of a modification.
        return explain(g, who, id, Action.MODIFY, ActionArgs.defaults());
    }
  }

  /** {@code access().explain} of {@code action} by {@code who} on {@code id}, rendered. */
  static String explain(
      ImageGovernance g, Persona who, ImageId id, Action action, ActionArgs args) {
    String head = "explain(" + who + ", " + id + ", " + action + "):\n";
    try {
      return head + g.access().explain(who.caller(), id, action, args).render();
    } catch (GovernanceException e) {
      return head + "  " + e.code() + " (" + e.httpStatus() + "): " + e.getMessage();
    }
  }

  static void execute(ImageGovernance g, ReferenceModel model, Step s, ImageId newId) {
    Persona p = s.who();
    ImageId id = model.target(s).map(ModelImage::id).orElse(NOWHERE);
    switch (s.kind()) {
      case CREATE:
        g.images()
            .create(
                p.caller(),
                NewImage.builder()
                    .id(newId.value())
                    .name("img" + newId.value().substring(30))
                    .visibility(s.visibility())
                    .diskFormat("raw")
                    .containerFormat("bare")
                    .build());
        break;
      case UPLOAD:
        g.data()
            .upload(
                p.caller(),
                id,
                new java.io.ByteArrayInputStream(new byte[s.size()]),
                OptionalLong.of(s.size()));
        break;
      case SET_VISIBILITY:
        g.images().setVisibility(p.caller(), id, s.visibility());
        break;
      case ADD_MEMBER:
        g.sharing().addMember(p.caller(), id, s.project());
        break;
      case UPDATE_MEMBER:
        g.sharing().updateMemberStatus(p.caller(), id, ProjectId.of(s.project()), s.status());
        break;
      case REMOVE_MEMBER:
        g.sharing().removeMember(p.caller(), id, ProjectId.of(s.project()));
        break;
      default:
        g.images().delete(p.caller(), id);
        break;
    }
  }

  static int outcome(Runnable action) {
    try {
      action.run();
      return ReferenceModel.OK;
    } catch (GovernanceException e) {
      return e.httpStatus();
    }
  }

  private void checkViews(ImageGovernance g, ReferenceModel model, String where) {
    for (Persona p : personas) {
      for (ModelImage i : model.images()) {
        boolean got = outcome(() -> g.images().get(p.caller(), i.id())) == ReferenceModel.OK;
        assertThat(got)
            .as("%s may get %s (model: %s) at %s", p, i.id(), i, where)
            .isEqualTo(model.canGet(p, i));
      }
      assertThat(listed(g, p, "limit=1000"))
          .as("%s default list at %s", p, where)
          .isEqualTo(expected(model, i -> model.listedByDefault(p, i)));
      assertThat(listed(g, p, "limit=1000&visibility=all&member_status=all"))
          .as("%s list of everything at %s", p, where)
          .isEqualTo(expected(model, i -> model.listedWithAll(p, i)));
      assertThat(g.quotas().usage(p.caller(), ProjectId.of(p.project())).storedBytes())
          .as("stored bytes of %s at %s", p.project(), where)
          .isEqualTo(model.storedBytes(p.project()));
    }
  }

  static Set<String> listed(ImageGovernance g, Persona p, String query) {
    return g.images().list(p.caller(), ListRequest.parse(query)).images().stream()
        .map(Image::id)
        .map(ImageId::value)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  static Set<String> expected(ReferenceModel model, Predicate<ModelImage> listed) {
    List<String> ids = new ArrayList<>();
    for (ModelImage i : model.images()) {
      if (listed.test(i)) {
        ids.add(i.id().value());
      }
    }
    return new TreeSet<>(ids);
  }
}
