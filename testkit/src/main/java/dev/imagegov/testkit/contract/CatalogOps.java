package dev.imagegov.testkit.contract;

import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.imagegov.error.ErrorCode;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.Member;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import dev.imagegov.spi.Catalog;
import dev.imagegov.testkit.gen.Catalogs;
import dev.imagegov.testkit.gen.Ids;
import dev.imagegov.testkit.gen.Images;
import dev.imagegov.testkit.gen.Projects;
import dev.imagegov.testkit.gen.Tags;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Random changes to a loaded catalog, successful and failing ones: updates of owner, size,
 * visibility, members and tags, deletes, inserts, and operations that must be refused (stale
 * compare-and-set, stale delete, duplicate insert, updates and deletes of deleted images).
 */
final class CatalogOps {
  private CatalogOps() {}

  enum Kind {
    SET_OWNER,
    SET_SIZE,
    SET_VISIBILITY,
    SET_MEMBER,
    SET_TAGS,
    DELETE,
    INSERT,
    STALE_UPDATE,
    STALE_DELETE,
    DUPLICATE_INSERT,
    UPDATE_DELETED
  }

  /** One change: a kind, a target (an index into the ids ever inserted) and values. */
  record Op(
      Kind kind,
      int target,
      ProjectId project,
      long number,
      Visibility visibility,
      MemberStatus status,
      Set<String> tags) {
    @Override
    public String toString() {
      String t = "#" + (target + 1);
      switch (kind) {
        case SET_OWNER:
          return "owner of " + t + " := " + project;
        case SET_SIZE:
          return "size of " + t + " := " + number;
        case SET_VISIBILITY:
          return "visibility of " + t + " := " + visibility.wireName();
        case SET_MEMBER:
          return "member " + project + " of " + t + " := " + status.wireName();
        case SET_TAGS:
          return "tags of " + t + " := " + tags;
        case DELETE:
          return "delete " + t;
        case INSERT:
          return "insert a new image owned by " + project + " of size " + number;
        case STALE_UPDATE:
          return "stale compare-and-set of " + t + " (owner " + project + ", size " + number + ")";
        case STALE_DELETE:
          return "stale delete of " + t;
        case DUPLICATE_INSERT:
          return "duplicate insert of " + t + " owned by " + project;
        default:
          return "update of " + t + " after its delete";
      }
    }
  }

  static Gen<Op> ops() {
    return Generate.enumValues(Kind.class)
        .zip(
            integers().between(0, 15),
            Projects.from(Catalogs.PROJECTS),
            longs().between(0, 1000),
            (k, t, p, n) -> new Object[] {k, t, p, n})
        .zip(
            Generate.enumValues(Visibility.class),
            Generate.enumValues(MemberStatus.class),
            Tags.tags(2),
            (a, v, s, tags) ->
                new Op((Kind) a[0], (Integer) a[1], (ProjectId) a[2], (Long) a[3], v, s, tags));
  }

  /**
   * Applies {@code op} to {@code catalog}, whose known ids are {@code ids} (live or deleted, in
   * insertion order; new inserts are appended). An operation that must fail is checked to fail with
   * the right code.
   */
  static void apply(Catalog catalog, List<ImageId> ids, Op op) {
    if (op.kind() == Kind.INSERT) {
      ImageId id = Ids.imageId(1000 + ids.size());
      catalog.insert(image(id, op.project(), op.number()));
      ids.add(id);
      return;
    }
    if (ids.isEmpty()) {
      return;
    }
    ImageId id = ids.get(op.target() % ids.size());
    Optional<Image> found = catalog.find(id);
    if (op.kind() == Kind.UPDATE_DELETED || op.kind() == Kind.DUPLICATE_INSERT) {
      if (op.kind() == Kind.DUPLICATE_INSERT) {
        expect(
            StoreErrorCode.DUPLICATE_IMAGE_ID,
            "Insert: an id that is live or was deleted is refused",
            () -> catalog.insert(image(id, op.project(), op.number())));
      } else if (found.isEmpty()) {
        expect(
            StoreErrorCode.IMAGE_NOT_FOUND,
            "Compare-and-set: a deleted image cannot be updated",
            () -> catalog.compareAndSet(1, image(id, op.project(), op.number())).orElseThrow());
      }
      return;
    }
    if (found.isEmpty()) {
      return;
    }
    Image current = found.get();
    long v = current.version();
    switch (op.kind()) {
      case SET_OWNER:
        catalog.compareAndSet(v, current.toBuilder().owner(op.project()).build()).orElseThrow();
        break;
      case SET_SIZE:
        catalog.compareAndSet(v, current.toBuilder().size(op.number()).build()).orElseThrow();
        break;
      case SET_VISIBILITY:
        catalog.compareAndSet(v, current.toBuilder().visibility(op.visibility()).build()).orElseThrow();
        break;
      case SET_MEMBER:
        {
          Map<ProjectId, Member> members = new LinkedHashMap<>(current.members());
          Instant at = current.updatedAt();
          members.put(
              op.project(), Member.pending(id, op.project(), at).withStatus(op.status(), at));
          catalog.compareAndSet(v, current.toBuilder().members(members).build()).orElseThrow();
          break;
        }
      case SET_TAGS:
        catalog.compareAndSet(v, current.toBuilder().tags(new LinkedHashSet<>(op.tags())).build()).orElseThrow();
        break;
      case DELETE:
        catalog.delete(id, v, ImageStatus.DELETED, current.updatedAt());
        break;
      case STALE_UPDATE:
        expect(
            StoreErrorCode.STALE_VERSION,
            "Compare-and-set: a stale version is refused",
            () ->
                catalog
                    .compareAndSet(
                        v + 1 + op.target(),
                        current.toBuilder().owner(op.project()).size(op.number()).build())
                    .orElseThrow());
        break;
      case STALE_DELETE:
        expect(
            StoreErrorCode.STALE_VERSION,
            "Delete: a stale version is refused",
            () -> catalog.delete(id, v + 1, ImageStatus.DELETED, current.updatedAt()));
        break;
      default:
        throw new AssertionError(op.kind());
    }
  }

  /** A private active image for {@link Kind#INSERT} and failing inserts. */
  static Image image(ImageId id, ProjectId owner, long size) {
    return Image.builder()
        .id(id)
        .owner(owner)
        .status(ImageStatus.ACTIVE)
        .visibility(Visibility.PRIVATE)
        .size(OptionalLong.of(size))
        .createdAt(Images.T0.plusSeconds(size % 20))
        .updatedAt(Images.T0.plusSeconds(size % 20))
        .build();
  }

  private static void expect(ErrorCode code, String guarantee, Runnable call) {
    try {
      call.run();
    } catch (GovernanceException e) {
      if (e.code() != code) {
        throw new AssertionError(guarantee + ": expected " + code + " but got " + e, e);
      }
      return;
    }
    throw new AssertionError(guarantee + ": expected " + code + " but the operation succeeded");
  }

  /** The live images of {@code catalog}, read with forEach. */
  static List<Image> liveImages(Catalog catalog) {
    List<Image> images = new ArrayList<>();
    catalog.forEach(images::add);
    return images;
  }
}
