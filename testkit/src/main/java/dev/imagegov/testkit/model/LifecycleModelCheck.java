package dev.imagegov.testkit.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.imagegov.ImageGovernance;
import dev.imagegov.access.Action;
import dev.imagegov.access.ActionArgs;
import dev.imagegov.lifecycle.Family;
import dev.imagegov.lifecycle.LifecycleInfo;
import dev.imagegov.lifecycle.LifecycleState;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ProjectId;
import dev.imagegov.testkit.model.ReferenceModel.LifecycleOp;
import dev.imagegov.testkit.model.ReferenceModel.ModelImage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * A stateful, model-based property of the lifecycle over any {@link ImageGovernance}: sequences
 * mix the {@link GovernanceModelCheck}'s steps (create, upload, visibility, members, delete) with
 * lifecycle operations ({@link LifecycleOp}: join a family, deprecate, reinstate, obsolete,
 * exclude from and include in {@code latest}), run on a fresh governance and on a {@link
 * ReferenceModel}; after every step it compares the answer, every image's lifecycle state and
 * {@code latest} for every persona, by family (each persona project's two families) and by the id
 * of every image. So {@code latest} never answers a version the caller may not use or that is
 * deprecated, obsolete or excluded, and no step changes a lifecycle it may not; a download
 * authorization ({@link LifecycleOp#USE}) records a last use exactly when the model says it
 * succeeds. It compares every persona's lists too: the model's default list and its list of
 * everything ({@code visibility=all&member_status=all}) without the obsolete images, which a list
 * leaves out unless it filters on the lifecycle state, and the list of everything filtered on
 * {@code imagegov_lifecycle_state=obsolete}, which shows exactly the obsolete images the persona
 * may get. A failing sequence is shrunk by delta debugging over its moves (at most 500 re-runs)
 * and reported with the failing move marked and the governance's {@code explain} of it (a
 * lifecycle operation is explained as {@link dev.imagegov.access.Action#MODIFY}).
 *
 * <p>{@link #acrossRestarts} runs the same sequences on a governance over durable stores and
 * restarts it after some moves (a quarter of them, drawn with the sequence): it closes the
 * governance and its stores and opens them again on the same state. After each restart every
 * image reads back exactly as before it (as an admin gets it: status, size, checksum, members,
 * properties, lifecycle state, version and last use; a deleted one stays not found) and every
 * project's usage is the same; the sequence then goes on against the model on the reopened
 * governance, so every later answer, state, last use and {@code latest} is checked too.
 *
 * <p>The sequences come from a fixed seed ({@link #withSeed}; 15 by default), so the check is
 * certain: the same sequences every run. The governance must start empty, use the default policy
 * and a default blob store, and give later creations later creation times (any clock that does not
 * stand still).
 */
public final class LifecycleModelCheck {
  /** The family names lifecycle steps draw from. */
  static final List<String> FAMILIES = List.of("f1", "f2");

  private final Supplier<Restartable> governances;
  private final boolean restarts;
  private final int examples;
  private final int maxSteps;
  private final long seed;

  private LifecycleModelCheck(Supplier<Restartable> governances, boolean restarts,
      int examples, int maxSteps, long seed) {
    this.governances = governances;
    this.restarts = restarts;
    this.examples = examples;
    this.maxSteps = maxSteps;
    this.seed = seed;
  }

  /**
   * A governance over durable stores that the check can restart mid-sequence, the way a process
   * that embeds it is stopped and started again. Made fresh and empty for each sequence (by the
   * supplier given to {@link #acrossRestarts}), closed when the sequence ends, pass or fail. The
   * check calls it from its own thread only, one call at a time, and never after {@link #close()};
   * an implementation need not be thread-safe. An unchecked exception it throws (a store that does
   * not reopen) fails the check as a disagreement does: {@link #run()} reports the shortest
   * sequence that throws it and the seed, with the exception as the cause.
   */
  public interface Restartable extends AutoCloseable {
    /**
     * The governance in use now: the same one until the next {@link #restart()}.
     *
     * @return the governance in use now, never null
     */
    ImageGovernance governance();

    /**
     * Closes the governance in use and its stores, and opens new ones on the same durable state
     * (the same directories, the same database), with the same configuration, clock and stores'
     * ids. The governance in use before is not used again.
     *
     * @return the governance over the reopened stores, in use from now on, never null
     * @throws RuntimeException any unchecked exception if the stores cannot be reopened (the check
     *     fails with it)
     */
    ImageGovernance restart();

    /** Closes the governance in use and its stores; called once, at the end of the sequence. */
    @Override
    void close();
  }

  /**
   * {@return a check of the governances {@code governances} makes (a fresh, empty one per call)}
   *
   * @param governances makes a fresh, empty governance for each sequence
   */
  public static LifecycleModelCheck against(Supplier<ImageGovernance> governances) {
    Objects.requireNonNull(governances, "governances");
    return new LifecycleModelCheck(() -> fixed(governances.get()), false, 80, 30, 15);
  }

  /**
   * {@return a check of the governances {@code governances} makes, restarted after some moves}
   *
   * @param governances makes a fresh, empty, restartable governance for each sequence
   */
  public static LifecycleModelCheck acrossRestarts(Supplier<Restartable> governances) {
    return new LifecycleModelCheck(
        Objects.requireNonNull(governances, "governances"), true, 80, 30, 15);
  }

  /** A governance that is never restarted (closing it closes nothing: its maker owns it). */
  private static Restartable fixed(ImageGovernance g) {
    return new Restartable() {
      @Override
      public ImageGovernance governance() {
        return g;
      }

      @Override
      public ImageGovernance restart() {
        throw new UnsupportedOperationException("this governance is not restarted");
      }

      @Override
      public void close() {}
    };
  }

  /**
   * Tries {@code examples} sequences (80 by default).
   *
   * @param examples how many sequences to try
   * @return a copy of this check with that count
   */
  public LifecycleModelCheck withExamples(int examples) {
    return new LifecycleModelCheck(governances, restarts, examples, maxSteps, seed);
  }

  /**
   * Generates the sequences from {@code seed} (15 by default); a failure names it.
   *
   * @param seed the seed; the same seed gives the same sequences
   * @return a copy of this check with that seed
   */
  public LifecycleModelCheck withSeed(long seed) {
    return new LifecycleModelCheck(governances, restarts, examples, maxSteps, seed);
  }

  /**
   * One step of a sequence: a base step of the {@link GovernanceModelCheck}, or (when {@code op}
   * is present) the lifecycle operation {@code op} by the base step's persona on its image.
   *
   * @param base the base step (its persona and image are the lifecycle operation's)
   * @param op the lifecycle operation, or null for the base step itself
   * @param family the family a {@link LifecycleOp#JOIN} names
   * @param byOwner whether a member of the image's owner project takes the step instead of the
   *     base step's persona (so that more steps are allowed)
   * @param restart whether the governance is restarted after the step ({@link #acrossRestarts})
   */
  public record Move(Step base, @Nullable LifecycleOp op, String family, boolean byOwner,
      boolean restart) {
    /**
     * A move after which the governance is not restarted.
     *
     * @param base the base step (its persona and image are the lifecycle operation's)
     * @param op the lifecycle operation, or null for the base step itself
     * @param family the family a {@link LifecycleOp#JOIN} names
     * @param byOwner whether a member of the image's owner project takes the step instead
     */
    public Move(Step base, @Nullable LifecycleOp op, String family, boolean byOwner) {
      this(base, op, family, byOwner, false);
    }

    @Override
    public String toString() {
      String who = byOwner ? "the owner" : base.who().toString();
      return (op == null ? (byOwner ? "(by the owner) " : "") + base
          : who + " " + op.name().toLowerCase(java.util.Locale.ROOT) + "s #" + base.image()
              + (op == LifecycleOp.JOIN ? " into " + family : ""))
          + (restart ? ", then a restart" : "");
    }

    /** The step as taken, by a member of the image's owner project when {@code byOwner}. */
    Step resolved(ReferenceModel model) {
      if (!byOwner || model.target(base).isEmpty()) {
        return base;
      }
      return new Step(base.kind(), Persona.member(model.target(base).get().owner()), base.image(),
          base.visibility(), base.project(), base.status(), base.size());
    }
  }

  /** The lifecycle operations drawn, by weight: joins twice as often as the others. */
  private static final List<LifecycleOp> OPS = List.of(LifecycleOp.JOIN, LifecycleOp.JOIN,
      LifecycleOp.DEPRECATE, LifecycleOp.REINSTATE, LifecycleOp.OBSOLETE, LifecycleOp.EXCLUDE,
      LifecycleOp.INCLUDE, LifecycleOp.PATCH_NAMESPACE, LifecycleOp.USE);

  /**
   * {@return the generated moves: half lifecycle operations (joins twice as often as the others),
   * an eighth uploads, the rest base steps of any kind; across restarts, a quarter of them
   * followed by a restart} (without the bias towards joins and uploads, few images would ever be
   * usable versions of a family)
   */
  public Gen<Move> moves() {
    GovernanceModelCheck base =
        GovernanceModelCheck.against(() -> governances.get().governance());
    Gen<Move> moves = base.steps().zip(
        Generate.range(0, 2 * OPS.size() - 1),
        Generate.pick(FAMILIES),
        Generate.booleans(),
        (step, n, family, byOwner) -> {
          if (n < OPS.size()) {
            return new Move(step, OPS.get(n), family, byOwner);
          }
          if (n < OPS.size() + 2) {
            return new Move(new Step(Step.Kind.UPLOAD, step.who(), step.image(),
                step.visibility(), step.project(), step.status(), step.size()), null, family,
                byOwner);
          }
          return new Move(step, null, family,
              byOwner && step.kind() == Step.Kind.ADD_MEMBER);
        });
    return !restarts ? moves : moves.zip(Generate.range(0, 3),
        (m, r) -> new Move(m.base(), m.op(), m.family(), m.byOwner(), r == 0));
  }

  /**
   * Runs the property.
   *
   * @throws AssertionError naming the shortest failing sequence found, the seed, and the step
   *     and view that disagreed
   */
  public void run() {
    // QuickTheories' own shrinking is replaced by delta debugging over the moves.
    qt().withFixedSeed(seed)
        .withExamples(examples)
        .withShrinkCycles(0)
        .forAll(lists().of(moves()).ofSizeBetween(1, maxSteps))
        .checkAssert(this::checkShrinking);
  }

  /** The kinds of view {@link #check} compares, as its failure descriptions name them. */
  private static final List<String> VIEWS =
      List.of("answer", "lifecycle state", "recorded last use", "default list",
          "list of everything obsolete", "list of everything", "latest of", "latest by the id",
          "every image and usage after the restart");

  /** How many re-runs delta debugging may make to shrink a failing sequence. */
  private static final int SHRINK_RUNS = 500;

  /**
   * {@link #check}, shrinking a failing sequence by delta debugging over its moves and reporting
   * it with the failing move marked and the governance's {@code explain} of it.
   */
  private void checkShrinking(List<Move> moves) {
    ModelShrinker.Divergence d = divergence(moves, -1);
    if (d == null) {
      return;
    }
    ModelShrinker.Shrunk<Move> shrunk =
        ModelShrinker.shrink(moves, d, m -> divergence(m, -1), SHRINK_RUNS);
    ModelShrinker.Divergence explained = divergence(shrunk.steps(), shrunk.divergence().step);
    ModelShrinker.Shrunk<Move> reported = new ModelShrinker.Shrunk<>(shrunk.steps(),
        explained == null ? shrunk.divergence() : explained, shrunk.runs());
    throw new AssertionError(ModelShrinker.report("LifecycleModelCheck", "seed " + seed,
        moves.size(), reported), reported.divergence());
  }

  /** The move a failure names ("at move N of"), counted from 0. */
  private static final java.util.regex.Pattern MOVE =
      java.util.regex.Pattern.compile("at move (\\d+) of");

  /**
   * Runs {@code moves}; answers the first disagreement, with the governance's explanation of move
   * {@code explainAt} (counted from 0; none if negative), or null.
   */
  private ModelShrinker.@Nullable Divergence divergence(List<Move> moves, int explainAt) {
    StringBuilder explained = new StringBuilder();
    try {
      check(moves, explainAt, explained);
      return null;
    } catch (AssertionError | RuntimeException e) {
      java.util.regex.Matcher m = MOVE.matcher(String.valueOf(e.getMessage()));
      int step = m.find() ? Integer.parseInt(m.group(1)) - 1 : moves.size() - 1;
      return ModelShrinker.divergence(e, step, VIEWS, explained.toString());
    }
  }

  /**
   * Runs one sequence on a fresh governance and the model; fails at the first disagreement.
   *
   * @param moves the sequence to run
   */
  public void check(List<Move> moves) {
    check(moves, -1, new StringBuilder());
  }

  private void check(List<Move> moves, int explainAt, StringBuilder explained) {
    try (Restartable restartable = governances.get()) {
      check(restartable, moves, explainAt, explained);
    }
  }

  private void check(Restartable restartable, List<Move> moves, int explainAt,
      StringBuilder explained) {
    ImageGovernance g = restartable.governance();
    if (g.config().legacyOwnershipChecks() || g.config().unifiedLimits().isPresent()
        || g.data().defaultStore().isEmpty()) {
      throw new IllegalArgumentException(
          "the lifecycle model needs secure-RBAC rules, no unified limits and a default store");
    }
    ReferenceModel model = new ReferenceModel(
        g.config().imageMemberQuota(), g.config().userStorageQuotaBytes().orElse(-1));
    List<Persona> personas = Persona.defaults();
    int created = 0;
    for (int n = 0; n < moves.size(); n++) {
      Move m = moves.get(n);
      String where = "move " + (n + 1) + " of " + moves + " (seed " + seed + "): " + m;
      Step s = m.resolved(model);
      if (n == explainAt) {
        explained.append(explain(g, model, s, m));
      }
      ImageGovernance current = g;
      ReferenceModel.Prediction expected;
      int actual;
      if (m.op() == null) {
        ImageId newId = ImageId.of(new UUID(0, created + 1));
        if (s.kind() == Step.Kind.CREATE) {
          created++;
        }
        expected = model.predict(s, newId);
        actual = GovernanceModelCheck.outcome(
            () -> GovernanceModelCheck.execute(current, model, s, newId));
      } else {
        expected = model.predictLifecycle(s.who(), s.image(), m.op(), m.family());
        actual = GovernanceModelCheck.outcome(() -> lifecycle(current, model, s, m));
      }
      assertThat(actual).as("answer at %s", where).isEqualTo(expected.status());
      if (actual == ReferenceModel.OK) {
        expected.effect().run();
      }
      checkViews(g, model, personas, where);
      if (restarts && m.restart()) {
        Map<String, Object> before = durable(g, model, personas);
        g = restartable.restart();
        assertThat(durable(g, model, personas))
            .as("every image and usage after the restart that follows %s", where)
            .isEqualTo(before);
        checkViews(g, model, personas, "the restart after " + where);
      }
    }
  }

  /** The governance's explanation of move {@code m} (as step {@code s}) before it runs. */
  private static String explain(ImageGovernance g, ReferenceModel model, Step s, Move m) {
    if (m.op() == null) {
      return GovernanceModelCheck.explain(g, model, s);
    }
    return model.target(s)
        .map(i -> GovernanceModelCheck.explain(g, s.who(), i.id(), Action.MODIFY,
            ActionArgs.defaults()))
        .orElse("explain: none (the move names no image, none exists yet)");
  }

  /**
   * What a restart must keep: every image as an admin gets it (or its refusal's status), and
   * every persona project's usage.
   */
  private static Map<String, Object> durable(ImageGovernance g, ReferenceModel model,
      List<Persona> personas) {
    Persona admin = admin(personas);
    Map<String, Object> state = new LinkedHashMap<>();
    for (ModelImage i : model.images()) {
      Object read;
      try {
        read = g.images().get(admin.caller(), i.id());
      } catch (dev.imagegov.error.GovernanceException e) {
        read = e.httpStatus();
      }
      state.put("image " + i.id(), read);
    }
    for (Persona p : personas) {
      state.put("usage of " + p.project(), g.quotas().usage(admin.caller(), ProjectId.of(p.project())));
    }
    return state;
  }

  private static Persona admin(List<Persona> personas) {
    return personas.stream().filter(Persona::admin).findFirst().orElseThrow();
  }

  private static void lifecycle(ImageGovernance g, ReferenceModel model, Step s, Move m) {
    ImageId id = model.target(s).map(ModelImage::id).orElse(ImageId.of(new UUID(1, 1)));
    switch (Objects.requireNonNull(m.op())) {
      case JOIN:
        g.lifecycle().join(s.who().caller(), id, m.family(), null);
        break;
      case DEPRECATE:
        g.lifecycle().deprecate(s.who().caller(), id);
        break;
      case REINSTATE:
        g.lifecycle().reinstate(s.who().caller(), id);
        break;
      case OBSOLETE:
        g.lifecycle().obsolete(s.who().caller(), id);
        break;
      case EXCLUDE:
        g.lifecycle().excludeFromLatest(s.who().caller(), id, true);
        break;
      case INCLUDE:
        g.lifecycle().excludeFromLatest(s.who().caller(), id, false);
        break;
      case USE:
        g.access().authorizeDownload(s.who().caller(), id);
        break;
      default:
        // A patch of a lifecycle property; the family's name tells which one (and its value).
        boolean state = m.family().hashCode() % 2 == 0;
        g.images().patch(s.who().caller(), id, dev.imagegov.patch.JsonPatchParser.V2_1,
            "[{\"op\":\"add\",\"path\":\"/imagegov_lifecycle_"
                + (state ? "state\",\"value\":\"active" : "family\",\"value\":\"" + m.family())
                + "\"}]");
        break;
    }
  }

  private static void checkViews(ImageGovernance g, ReferenceModel model, List<Persona> personas,
      String where) {
    Persona admin = admin(personas);
    for (ModelImage i : model.images()) {
      if (!i.deleted()) {
        LifecycleInfo info = g.lifecycle().info(admin.caller(), i.id());
        assertThat(info.state())
            .as("lifecycle state of %s at %s", i, where)
            .isEqualTo(i.lifecycleState());
        assertThat(info.lastUsed().isPresent())
            .as("whether %s has a recorded last use (%s) at %s", i, info.lastUsed(), where)
            .isEqualTo(i.used());
      }
    }
    for (Persona p : personas) {
      Predicate<ModelImage> obsolete = i -> i.lifecycleState() == LifecycleState.OBSOLETE;
      assertThat(GovernanceModelCheck.listed(g, p, "limit=1000"))
          .as("%s default list (model: %s) at %s", p, model.images(), where)
          .isEqualTo(GovernanceModelCheck.expected(model,
              obsolete.negate().and(i -> model.listedByDefault(p, i))));
      assertThat(GovernanceModelCheck.listed(g, p, "limit=1000&visibility=all&member_status=all"))
          .as("%s list of everything (model: %s) at %s", p, model.images(), where)
          .isEqualTo(GovernanceModelCheck.expected(model,
              obsolete.negate().and(i -> model.listedWithAll(p, i))));
      assertThat(GovernanceModelCheck.listed(g, p,
              "limit=1000&visibility=all&member_status=all&imagegov_lifecycle_state=obsolete"))
          .as("%s list of everything obsolete (model: %s) at %s", p, model.images(), where)
          .isEqualTo(GovernanceModelCheck.expected(model,
              obsolete.and(i -> model.listedWithAll(p, i))));
      for (Persona owner : personas) {
        for (String family : FAMILIES) {
          Optional<ImageId> expected =
              model.latest(p, owner.project(), family, false).map(ModelImage::id);
          assertThat(latest(() -> g.lifecycle().latest(p.caller(),
                  Family.of(owner.project(), family))))
              .as("latest of %s/%s for %s (model: %s) at %s", owner.project(), family, p,
                  model.images(), where)
              .isEqualTo(expected);
        }
      }
      for (ModelImage i : model.images()) {
        assertThat(latest(() -> g.lifecycle().latest(p.caller(), i.id())))
            .as("latest by the id of %s for %s (model: %s) at %s", i, p, model.images(), where)
            .isEqualTo(model.latestById(p, i).map(ModelImage::id));
      }
    }
  }

  /** The image {@code latest} answers, or empty for a 404 (any other refusal fails the check). */
  private static Optional<ImageId> latest(Supplier<Image> call) {
    try {
      return Optional.of(call.get().id());
    } catch (dev.imagegov.error.GovernanceException e) {
      if (e.httpStatus() != 404) {
        throw e;
      }
      return Optional.empty();
    }
  }
}
