package dev.imagegov;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import com.google.common.base.Strings;
import dev.imagegov.access.AccessExplanation;
import dev.imagegov.access.Action;
import dev.imagegov.access.ActionArgs;
import dev.imagegov.access.Caller;
import dev.imagegov.error.ErrorCode;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.Member;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import dev.imagegov.patch.ImagePatch;
import dev.imagegov.patch.PatchOperation;
import dev.imagegov.quota.StaticLimits;
import dev.imagegov.quota.UnifiedLimit;
import dev.imagegov.store.memory.MemoryCatalog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Property: for every {@link Action}, over random catalogs (an image in every live status and
 * visibility, owned or unowned, protected or not, with members of every status, under small
 * member quotas, in secure and legacy policy modes), random callers (owner, owner's reader, a
 * member of each status, a reader-only member, an outsider, an admin, a project-less caller, a
 * caller without roles) and random request arguments (well-formed, malformed and absent), and
 * for {@link Action#RESTORE} an image live, pending delete or deleted for good under an image count
 * limit with or without room, {@code explain}'s outcome (HTTP status and error code) is exactly what the operation answers,
 * and an allowed explanation means the operation succeeds.
 *
 * <p>Each sample builds its own governance on a fresh catalog, explains first, then runs the
 * operation, so the probe never changes the catalog under test. Seeds are fixed (one per action,
 * {@link #SEED} plus the action's ordinal), so every run checks the same samples; a failure names
 * the sample's seed. After each action's run the test also requires that both an allowed and a
 * refused answer were seen, so the property cannot hold vacuously.
 */
class ExplainAgreementPropertyTest {
  private static final long SEED = 0x1A6E_60F_11L;
  private static final int EXAMPLES = 300;

  private static final ProjectId OWNER = ProjectId.of("producer");
  private static final List<String> MEMBER_PROJECTS =
      List.of("consumer-a", "consumer-b", "consumer-c");

  @Test
  void explainAnswersExactlyWhatEveryOperationAnswers() {
    Map<Action, Set<Integer>> seen = new EnumMap<>(Action.class);
    for (Action action : Action.values()) {
      Set<Integer> statuses = new java.util.TreeSet<>();
      qt().withFixedSeed(SEED + action.ordinal())
          .withExamples(EXAMPLES)
          .forAll(longs().all())
          .checkAssert(seed -> statuses.add(agree(action, seed)));
      seen.put(action, statuses);
    }
    for (Map.Entry<Action, Set<Integer>> e : seen.entrySet()) {
      assertThat(e.getValue())
          .as("answers seen for %s (fixed seed %d)", e.getKey(), SEED + e.getKey().ordinal())
          .contains(200)
          .anyMatch(s -> s != 200);
    }
  }

  /** One sample: explains, runs the operation, asserts agreement, returns the status. */
  private static int agree(Action action, long seed) {
    Sample s = Sample.draw(action, new Random(seed));
    AccessExplanation why =
        s.defaults
            ? s.governance.access().explain(s.caller, s.image.id(), action)
            : s.governance.access().explain(s.caller, s.image.id(), action, s.args);
    int status;
    Optional<ErrorCode> code;
    try {
      s.run(action);
      status = 200;
      code = Optional.empty();
    } catch (GovernanceException e) {
      status = e.httpStatus();
      code = Optional.of(e.code());
    }
    String description = "seed " + seed + ": " + s + "\n" + why.render();
    assertThat(why.status()).as(description).isEqualTo(status);
    assertThat(why.errorCode()).as(description).isEqualTo(code);
    assertThat(why.allowed()).as(description).isEqualTo(status == 200);
    return status;
  }

  /** A governance holding one image, a caller, and the arguments of one request. */
  private static final class Sample {
    final ImageGovernance governance;
    final Image image;
    final Caller caller;
    final String callerLabel;
    final boolean defaults;
    final ActionArgs args;
    final String member;
    final String status;
    final Optional<Visibility> visibility;

    private Sample(ImageGovernance governance, Image image, Caller caller, String callerLabel,
        boolean defaults, ActionArgs args, String member, String status,
        Optional<Visibility> visibility) {
      this.governance = governance;
      this.image = image;
      this.caller = caller;
      this.callerLabel = callerLabel;
      this.defaults = defaults;
      this.args = args;
      this.member = member;
      this.status = status;
      this.visibility = visibility;
    }

    static Sample draw(Action action, Random r) {
      Instant now = Instant.parse("2026-01-01T00:00:00Z");
      ImageId id = ImageId.of(new UUID(r.nextLong(), r.nextLong()));
      List<ImageStatus> live = new ArrayList<>();
      for (ImageStatus st : ImageStatus.values()) {
        if (!st.isDeleted()) {
          live.add(st);
        }
      }
      Visibility visibility = pick(r, List.of(Visibility.values()));
      Map<ProjectId, Member> members = new LinkedHashMap<>();
      for (String p : MEMBER_PROJECTS) {
        if (r.nextInt(3) > 0) {
          MemberStatus ms = pick(r, List.of(MemberStatus.values()));
          ProjectId project = ProjectId.of(p);
          members.put(project, Member.pending(id, project, now).withStatus(ms, now));
        }
      }
      Image image =
          Image.builder()
              .id(id)
              .name("img")
              .status(pick(r, live))
              .visibility(visibility)
              .owner(r.nextInt(8) == 0 ? Optional.empty() : Optional.of(OWNER))
              .isProtected(r.nextInt(3) == 0)
              .members(members)
              .createdAt(now)
              .updatedAt(now)
              .build();
      boolean legacy = r.nextInt(4) == 0;
      GovernanceConfig.Builder configured =
          GovernanceConfig.builder()
              .from(legacy ? GovernanceConfig.legacyPolicyMode() : GovernanceConfig.defaults())
              .imageMemberQuota(pick(r, List.of(-1, 0, 1, 2, 3, 128)));
      MemoryCatalog catalog = new MemoryCatalog();
      Image stored = catalog.insert(image);
      String deletion = "";
      if (action == Action.RESTORE) {
        // Live (a conflict), pending delete (restorable), or deleted for good (a conflict); the
        // owner's image count limit leaves room for the restored image or not.
        int d = r.nextInt(4);
        if (d > 0) {
          catalog.delete(id, stored.version(), ImageStatus.PENDING_DELETE, now);
          deletion = "; pending delete";
        }
        if (d == 3) {
          catalog.finishDeletion(id);
          deletion = "; deleted";
        }
        int count = r.nextInt(3) - 1;
        configured.unifiedLimits(StaticLimits.builder()
            .registered(UnifiedLimit.IMAGE_COUNT_TOTAL, count)
            .registered(UnifiedLimit.IMAGE_SIZE_TOTAL, -1)
            .registered(UnifiedLimit.IMAGE_COUNT_UPLOADING, -1)
            .registered(UnifiedLimit.IMAGE_STAGE_TOTAL, -1)
            .build());
        deletion += "; image_count_total " + count;
      }
      GovernanceConfig config = configured.build();
      ImageGovernance governance =
          ImageGovernance.builder()
              .catalog(catalog)
              .config(config)
              .clock(new TickingClock())
              .build();

      int c = r.nextInt(10);
      String memberOf = pick(r, MEMBER_PROJECTS);
      Caller caller;
      String label;
      switch (c) {
        case 0: caller = Caller.member("producer"); label = "owner member"; break;
        case 1: caller = Caller.reader("producer"); label = "owner reader"; break;
        case 2: caller = Caller.member(memberOf); label = "member " + memberOf; break;
        case 3: caller = Caller.reader(memberOf); label = "reader-only " + memberOf; break;
        case 4: caller = Caller.member("outsider"); label = "outsider"; break;
        case 5: caller = Caller.admin("admin-project"); label = "admin"; break;
        case 6: caller = Caller.withoutProject("member", "reader"); label = "project-less"; break;
        case 7: caller = Caller.of("producer"); label = "owner without roles"; break;
        case 8: caller = Caller.of(memberOf, "member"); label = "member role only " + memberOf;
          break;
        default: caller = Caller.admin("producer"); label = "owner admin"; break;
      }

      boolean defaults = r.nextInt(4) == 0 && caller.project().isPresent();
      String member;
      if (action == Action.ADD_MEMBER) {
        member = pick(r, List.of("consumer-a", "consumer-b", "consumer-c", "newcomer", "producer",
            "", Strings.repeat("m", 256), "emoji-\uD83D\uDE00"));
      } else {
        member = pick(r, List.of("consumer-a", "consumer-b", "consumer-c", "producer", "outsider"));
      }
      String status = pick(r, List.of("pending", "accepted", "rejected", "bogus", "ACCEPTED"));
      Optional<Visibility> target = Optional.empty();
      if (action == Action.MODIFY && r.nextBoolean()) {
        target = Optional.of(pick(r, List.of(Visibility.PRIVATE, Visibility.SHARED)));
      }
      if (defaults) {
        // The documented defaults of explain(caller, id, action).
        member =
            action == Action.ADD_MEMBER ? "newcomer" : caller.project().orElseThrow().value();
        status = MemberStatus.ACCEPTED.wireName();
        target = Optional.empty();
      }
      ActionArgs args;
      switch (action) {
        case ADD_MEMBER:
          args = ActionArgs.member(member);
          break;
        case REMOVE_MEMBER:
        case GET_MEMBER:
          args = ActionArgs.member(ProjectId.of(member));
          break;
        case UPDATE_MEMBER_STATUS:
          args = ActionArgs.memberStatus(ProjectId.of(member), status);
          break;
        case MODIFY:
          args = target.map(ActionArgs::visibility).orElse(ActionArgs.defaults());
          break;
        default:
          args = ActionArgs.defaults();
      }
      return new Sample(governance, stored, caller, label + deletion, defaults, args, member,
          status, target);
    }

    void run(Action action) {
      ImageId id = image.id();
      switch (action) {
        case GET:
          governance.images().get(caller, id);
          break;
        case DOWNLOAD:
          governance.access().authorizeDownload(caller, id);
          break;
        case MODIFY:
          if (visibility.isPresent()) {
            governance.images().setVisibility(caller, id, visibility.get());
          } else {
            governance.images().update(caller, id,
                ImagePatch.of(new PatchOperation.SetName(Optional.of("renamed"))));
          }
          break;
        case PUBLICIZE:
          governance.images().setVisibility(caller, id, Visibility.PUBLIC);
          break;
        case COMMUNITIZE:
          governance.images().setVisibility(caller, id, Visibility.COMMUNITY);
          break;
        case DELETE:
          governance.images().delete(caller, id);
          break;
        case DEACTIVATE:
          governance.images().deactivate(caller, id);
          break;
        case REACTIVATE:
          governance.images().reactivate(caller, id);
          break;
        case ADD_MEMBER:
          governance.sharing().addMember(caller, id, member);
          break;
        case REMOVE_MEMBER:
          governance.sharing().removeMember(caller, id, ProjectId.of(member));
          break;
        case UPDATE_MEMBER_STATUS:
          governance.sharing().updateMemberStatus(caller, id, ProjectId.of(member), status);
          break;
        case LIST_MEMBERS:
          governance.sharing().listMembers(caller, id);
          break;
        case GET_MEMBER:
          governance.sharing().getMember(caller, id, ProjectId.of(member));
          break;
        case RESTORE:
          governance.lifecycle().restore(caller, id);
          break;
        default:
          throw new AssertionError("no operation for " + action);
      }
    }

    private static <T> T pick(Random r, List<T> from) {
      return from.get(r.nextInt(from.size()));
    }

    @Override
    public String toString() {
      return "image " + image.status().wireName() + " " + image.visibility().wireName()
          + " owner=" + image.owner().map(ProjectId::value).orElse("-")
          + " protected=" + image.isProtected() + " members=" + image.members().values()
          + " legacy=" + governance.config().legacyOwnershipChecks()
          + " memberQuota=" + governance.config().imageMemberQuota()
          + "; caller " + callerLabel + " " + caller
          + (defaults ? "; default arguments" : "; " + args);
    }
  }
}
