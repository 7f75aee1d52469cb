package dev.imagegov;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.imagegov.access.Caller;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import dev.imagegov.query.ListRequest;
import dev.imagegov.store.memory.MemoryCatalog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Stateful property: random sequences of create, visibility change, member add, status change,
 * member removal and delete by random callers (owners, members, readers, outsiders, an admin).
 * A deliberately simple model predicts every answer (success, 403, 404, 409); after each step,
 * for every caller and every image ever created, get by id and two lists must agree with the
 * model's plain predicates. QuickTheories shrinks a failure to a short command list.
 */
class GovernanceModelPropertyTest {

  /** A caller and what the model needs to know about it. */
  record Persona(String label, Caller caller, String project, boolean admin, boolean member, boolean reader) {
    @Override
    public String toString() {
      return label;
    }
  }

  static final List<Persona> PERSONAS =
      List.of(
          new Persona("p1.member", Caller.member("p1"), "p1", false, true, true),
          new Persona("p2.member", Caller.member("p2"), "p2", false, true, true),
          new Persona("p3.member", Caller.member("p3"), "p3", false, true, true),
          new Persona("p1.reader", Caller.reader("p1"), "p1", false, false, true),
          new Persona("p3.reader", Caller.reader("p3"), "p3", false, false, true),
          new Persona("admin", Caller.admin("adm"), "adm", true, true, true));

  static final List<String> PROJECTS = List.of("p1", "p2", "p3", "adm");

  enum Kind { CREATE, SET_VISIBILITY, ADD_MEMBER, UPDATE_MEMBER, REMOVE_MEMBER, DELETE }

  /** One generated step; {@code image} indexes the images created so far (modulo their count). */
  record Step(Kind kind, Persona who, int image, Visibility visibility, String project, MemberStatus status) {
    @Override
    public String toString() {
      switch (kind) {
        case CREATE:
          return who + " creates " + visibility.wireName();
        case SET_VISIBILITY:
          return who + " sets #" + image + " " + visibility.wireName();
        case ADD_MEMBER:
          return who + " adds " + project + " to #" + image;
        case UPDATE_MEMBER:
          return who + " sets " + project + " on #" + image + " " + status.wireName();
        case REMOVE_MEMBER:
          return who + " removes " + project + " from #" + image;
        default:
          return who + " deletes #" + image;
      }
    }
  }

  static Gen<Step> steps() {
    return Generate.enumValues(Kind.class)
        .zip(
            Generate.pick(PERSONAS),
            Generate.range(0, 7),
            Generate.enumValues(Visibility.class),
            (k, p, i, v) -> new Object[] {k, p, i, v})
        .zip(
            Generate.pick(PROJECTS),
            Generate.enumValues(MemberStatus.class),
            (a, project, status) ->
                new Step((Kind) a[0], (Persona) a[1], (Integer) a[2], (Visibility) a[3], project, status));
  }

  // ---- the model -------------------------------------------------------------------------

  static final class ModelImage {
    final ImageId id;
    final String owner;
    Visibility visibility;
    final Map<String, MemberStatus> members = new LinkedHashMap<>();
    boolean deleted;

    ModelImage(ImageId id, String owner, Visibility visibility) {
      this.id = id;
      this.owner = owner;
      this.visibility = visibility;
    }
  }

  /** 200 for success, else the HTTP status the model expects. */
  static final int OK = 200;

  static boolean visibleById(Persona p, ModelImage i) {
    return !i.deleted
        && (p.admin
            || i.visibility == Visibility.PUBLIC
            || i.visibility == Visibility.COMMUNITY
            || i.owner.equals(p.project)
            || (i.visibility == Visibility.SHARED && i.members.containsKey(p.project)));
  }

  static boolean getImageRule(Persona p, ModelImage i) {
    return p.admin || (p.reader && (i.owner.equals(p.project) || i.visibility != Visibility.PRIVATE));
  }

  static boolean canGet(Persona p, ModelImage i) {
    return visibleById(p, i) && getImageRule(p, i);
  }

  static boolean ownerMember(Persona p, ModelImage i) {
    return p.admin || (p.member && i.owner.equals(p.project));
  }

  /** Glance's enforcement of a rule on a visible image: 404 when get_image fails too, else 403. */
  static int enforce(boolean allowed, Persona p, ModelImage i) {
    return allowed ? OK : (getImageRule(p, i) ? 403 : 404);
  }

  static boolean listedByDefault(Persona p, ModelImage i) {
    if (i.deleted || !getImageRule(p, i)) {
      return false;
    }
    if (i.visibility == Visibility.COMMUNITY) {
      return i.owner.equals(p.project);
    }
    return p.admin
        || i.visibility == Visibility.PUBLIC
        || i.owner.equals(p.project)
        || (i.visibility == Visibility.SHARED && i.members.get(p.project) == MemberStatus.ACCEPTED);
  }

  static boolean listedWithAll(Persona p, ModelImage i) {
    if (i.deleted || !getImageRule(p, i)) {
      return false;
    }
    return p.admin
        || i.visibility == Visibility.PUBLIC
        || i.visibility == Visibility.COMMUNITY
        || i.owner.equals(p.project)
        || (i.visibility == Visibility.SHARED && i.members.containsKey(p.project));
  }

  // ---- the runner ------------------------------------------------------------------------

  @Test
  void governanceAgreesWithTheModelAfterEveryStep() {
    qt().withExamples(120)
        .withShrinkCycles(500)
        .forAll(lists().of(steps()).ofSizeBetween(1, 24))
        .checkAssert(GovernanceModelPropertyTest::run);
  }

  static void run(List<Step> steps) {
    ImageGovernance g =
        ImageGovernance.builder().catalog(new MemoryCatalog()).clock(new TickingClock()).build();
    List<ModelImage> model = new ArrayList<>();
    int created = 0;
    for (int n = 0; n < steps.size(); n++) {
      Step s = steps.get(n);
      String where = "step " + (n + 1) + " of " + steps + ": " + s;
      ModelImage target = model.isEmpty() ? null : model.get(s.image() % model.size());
      int expected;
      Runnable action;
      Runnable effect = () -> {};
      Persona p = s.who();
      switch (s.kind()) {
        case CREATE: {
          ImageId id = ImageId.of(new UUID(0, ++created));
          boolean allowed = ownerMember(p, new ModelImage(id, p.project, s.visibility()))
              && (s.visibility() != Visibility.PUBLIC || p.admin);
          expected = allowed ? OK : 403;
          action = () -> g.images().create(p.caller(),
              NewImage.builder().id(id.value()).name("img" + id.value().substring(30)).visibility(s.visibility()).build());
          effect = () -> model.add(new ModelImage(id, p.project, s.visibility()));
          break;
        }
        case SET_VISIBILITY: {
          if (target == null || !visibleById(p, target)) {
            expected = 404;
          } else {
            boolean rule =
                s.visibility() == Visibility.PUBLIC ? p.admin
                    : s.visibility() == Visibility.COMMUNITY ? ownerMember(p, target) : true;
            expected = enforce(rule, p, target);
            if (expected == OK) {
              expected = enforce(ownerMember(p, target), p, target);
            }
            if (expected == OK && !(p.admin || target.owner.equals(p.project))) {
              expected = 403;
            }
          }
          ModelImage t = target;
          action = () -> g.images().setVisibility(p.caller(), idOf(t), s.visibility());
          effect = () -> t.visibility = s.visibility();
          break;
        }
        case ADD_MEMBER: {
          if (target == null || !visibleById(p, target)) {
            expected = 404;
          } else if (target.visibility != Visibility.SHARED) {
            expected = 403;
          } else if (!getImageRule(p, target)) {
            expected = 404;
          } else if (!ownerMember(p, target)) {
            expected = 403;
          } else if (target.members.containsKey(s.project())) {
            expected = 409;
          } else {
            expected = OK;
          }
          ModelImage t = target;
          action = () -> g.sharing().addMember(p.caller(), idOf(t), s.project());
          effect = () -> t.members.put(s.project(), MemberStatus.PENDING);
          break;
        }
        case UPDATE_MEMBER: {
          if (target == null || !visibleById(p, target)) {
            expected = 404;
          } else if (target.visibility != Visibility.SHARED) {
            expected = 403;
          } else if (!getImageRule(p, target)) {
            expected = 404;
          } else if (!(p.admin || (p.member && !target.owner.equals(p.project)))) {
            expected = 403;
          } else if (!target.members.containsKey(s.project())
              || !(p.admin || target.owner.equals(p.project) || s.project().equals(p.project))) {
            expected = 404;
          } else {
            expected = OK;
          }
          ModelImage t = target;
          action = () -> g.sharing().updateMemberStatus(p.caller(), idOf(t), ProjectId.of(s.project()), s.status());
          effect = () -> t.members.put(s.project(), s.status());
          break;
        }
        case REMOVE_MEMBER: {
          if (target == null || !visibleById(p, target)) {
            expected = 404;
          } else if (target.visibility != Visibility.SHARED) {
            expected = 403;
          } else if (!getImageRule(p, target)) {
            expected = 404;
          } else if (!ownerMember(p, target)) {
            expected = 403;
          } else if (!target.members.containsKey(s.project())) {
            expected = 404;
          } else {
            expected = OK;
          }
          ModelImage t = target;
          action = () -> g.sharing().removeMember(p.caller(), idOf(t), ProjectId.of(s.project()));
          effect = () -> t.members.remove(s.project());
          break;
        }
        default: {
          if (target == null || !visibleById(p, target)) {
            expected = 404;
          } else {
            expected = enforce(ownerMember(p, target), p, target);
          }
          ModelImage t = target;
          action = () -> g.images().delete(p.caller(), idOf(t));
          effect = () -> t.deleted = true;
          break;
        }
      }
      int actual = outcome(action);
      assertThat(actual).as("answer at %s", where).isEqualTo(expected);
      if (actual == OK) {
        effect.run();
      }
      checkViews(g, model, where);
    }
  }

  /** An id no image has, for steps that name an image before any exists. */
  private static final ImageId NOWHERE = ImageId.of(new UUID(1, 1));

  private static ImageId idOf(ModelImage image) {
    return image == null ? NOWHERE : image.id;
  }

  private static int outcome(Runnable action) {
    try {
      action.run();
      return OK;
    } catch (GovernanceException e) {
      return e.httpStatus();
    }
  }

  private static void checkViews(ImageGovernance g, List<ModelImage> model, String where) {
    for (Persona p : PERSONAS) {
      for (ModelImage i : model) {
        int got = outcome(() -> g.images().get(p.caller(), i.id));
        assertThat(got == OK).as("%s get #%s at %s", p, i.id, where).isEqualTo(canGet(p, i));
      }
      assertThat(listed(g, p, "limit=100"))
          .as("%s default list at %s", p, where)
          .isEqualTo(expected(model, i -> listedByDefault(p, i)));
      assertThat(listed(g, p, "limit=100&visibility=all&member_status=all"))
          .as("%s list of everything at %s", p, where)
          .isEqualTo(expected(model, i -> listedWithAll(p, i)));
    }
  }

  private static Set<String> listed(ImageGovernance g, Persona p, String query) {
    return g.images().list(p.caller(), ListRequest.parse(query)).images().stream()
        .map(Image::id)
        .map(ImageId::value)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static Set<String> expected(List<ModelImage> model, java.util.function.Predicate<ModelImage> listed) {
    return model.stream()
        .filter(listed)
        .map(i -> i.id.value())
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
