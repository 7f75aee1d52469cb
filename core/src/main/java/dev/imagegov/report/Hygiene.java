package dev.imagegov.report;

import com.google.common.collect.ImmutableMap;
import dev.imagegov.GovernanceConfig;
import dev.imagegov.internal.Engine;
import dev.imagegov.internal.Stores;
import dev.imagegov.lifecycle.ImageUsage;
import dev.imagegov.lifecycle.LifecycleInfo;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.Location;
import dev.imagegov.model.Member;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.StoreId;
import dev.imagegov.model.Tombstone;
import dev.imagegov.model.Visibility;
import dev.imagegov.spi.blob.BlobKey;
import dev.imagegov.spi.blob.BlobStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The hygiene rules, each stated once: the catalog scan (one pass through {@link
 * Engine#forEach}, keeping per image at most its id under its hash, a small duplicate candidate
 * only for the images of a hash seen twice, and for the whole catalog the 16 bytes of each key
 * it saw referenced or being written, never the image), then the stores' and the staging store's
 * keys, each one the scan did not account for looked up by id. The cleanup's re-checks call the
 * same classification ({@link #blobFinding}, {@link #stagedFinding}) the scan does.
 */
final class Hygiene {
  /** The statuses an image should only pass through. */
  private static final Set<ImageStatus> TRANSIENT = EnumSet.of(ImageStatus.QUEUED,
      ImageStatus.SAVING, ImageStatus.UPLOADING, ImageStatus.IMPORTING, ImageStatus.KILLED);
  /** The property naming the stores an import or copy is writing to. */
  private static final String IMPORTING_TO_STORES = "os_glance_importing_to_stores";

  private final Engine engine;
  private final GovernanceConfig config;
  private final Stores stores;
  private final BlobStore staging;
  private final ImageUsage usage;

  Hygiene(Engine engine, GovernanceConfig config, Stores stores, BlobStore staging) {
    this.engine = engine;
    this.config = config;
    this.stores = stores;
    this.staging = staging;
    this.usage = engine.imageUsage();
  }

  /** The report of {@code request} at {@code now}. */
  HygieneReport report(HygieneRequest request, Instant now) {
    List<Finding> findings = new ArrayList<>();
    Map<String, Object> byHash = new HashMap<>();
    List<List<Candidate>> groups = new ArrayList<>();
    Optional<ProjectId> scope = request.owner();
    Set<ProjectId> producers = request.producers().isPresent()
        ? request.producers().get() : engine.exposure().producers();
    Scan scan = new Scan(request, producers, now);
    Expected expected = new Expected();
    engine.forEach(image -> {
      if (hasData(image)) {
        image.osHashValue().ifPresent(h -> remember(byHash, groups, h, image));
      }
      if (scope.isEmpty()) {
        expected.add(image);
        imageFindings(image, scan, findings);
      } else if (scope.equals(image.owner())) {
        imageFindings(image, scan, findings);
      }
    });
    duplicates(groups, scope, findings);
    if (scope.isEmpty()) {
      // Only a key the scan did not see referenced or being written is looked up: a key pass
      // over a store of a million blobs costs no look-up per image.
      for (BlobStore store : stores.all()) {
        for (BlobKey key : store.keys()) {
          if (!expected.inStore(store.id(), key)) {
            blobFinding(store, key, now).ifPresent(findings::add);
          }
        }
      }
      for (BlobKey key : staging.keys()) {
        if (!expected.staged.contains(key.value())) {
          stagedFinding(key).ifPresent(findings::add);
        }
      }
    }
    return new HygieneReport(now, scope, findings);
  }

  /**
   * The stored data the scan saw accounted for: per store, the keys of the images with a
   * location there or being written to it ({@link #blobFinding} finds nothing for those), and
   * the keys of the images that may hold staged data ({@link #stagedFinding} finds nothing for
   * those). At most one entry per location and image in progress, 16 bytes each ({@link KeySet}).
   */
  private static final class Expected {
    private final Map<String, KeySet> byStore = new HashMap<>();
    private final KeySet writingAnywhere = new KeySet();
    final KeySet staged = new KeySet();

    void add(Image image) {
      String key = image.id().value();
      List<Location> locations = image.locations();
      for (int i = 0; i < locations.size(); i++) {
        byStore.computeIfAbsent(locations.get(i).store().value(), s -> new KeySet()).add(key);
      }
      if (isWritingEverywhere(image)) {
        writingAnywhere.add(key);
      }
      for (String store : importingTo(image)) {
        byStore.computeIfAbsent(store, s -> new KeySet()).add(key);
      }
      if (isStaging(image)) {
        staged.add(key);
      }
    }

    boolean inStore(StoreId store, BlobKey key) {
      KeySet held = byStore.get(store.value());
      return held != null && held.contains(key.value()) || writingAnywhere.contains(key.value());
    }
  }

  // ------------------------------------------------------------------------- one image

  /**
   * What one report's per-image rules read, worked out once per report rather than per image:
   * the periods' cut-off instants, and each owner's standing (known to the tenancy directory, a
   * producer), asked of the directory once per owner (at most one entry per owner the catalog
   * names).
   */
  private static final class Scan {
    private static final int KNOWN = 1;
    private static final int PRODUCER = 2;

    final HygieneRequest request;
    final Instant pendingBefore;
    final Instant stuckBefore;
    final Instant staleBefore;
    private final Set<ProjectId> producers;
    private final Map<ProjectId, Integer> owners = new HashMap<>();

    Scan(HygieneRequest request, Set<ProjectId> producers, Instant now) {
      this.request = request;
      this.producers = producers;
      this.pendingBefore = now.minus(request.pendingPeriod());
      this.stuckBefore = now.minus(request.stuckPeriod());
      this.staleBefore = now.minus(request.stalePeriod());
    }

    private int standing(ProjectId owner) {
      Integer known = owners.get(owner);
      if (known == null) {
        known = (request.tenancy().knows(owner) ? KNOWN : 0)
            | (producers.contains(owner) ? PRODUCER : 0);
        owners.put(owner, known);
      }
      return known;
    }

    boolean knows(ProjectId owner) {
      return (standing(owner) & KNOWN) != 0;
    }

    boolean isProducer(ProjectId owner) {
      return (standing(owner) & PRODUCER) != 0;
    }
  }

  private void imageFindings(Image image, Scan scan, List<Finding> out) {
    Optional<ProjectId> owner = image.owner();
    Visibility visibility = image.visibility();
    ImageStatus status = image.status();
    if (owner.isPresent() && !scan.knows(owner.get())) {
      out.add(of(FindingKind.ORPHANED, image, null,
          "owner " + owner.get() + " is unknown to the tenancy directory"));
    }
    if (owner.isPresent() && (visibility == Visibility.PUBLIC
        || visibility == Visibility.COMMUNITY) && !scan.isProducer(owner.get())) {
      out.add(of(FindingKind.PUBLIC_NOT_PRODUCER, image, null,
          visibility.name().toLowerCase(java.util.Locale.ROOT) + " image of " + owner.get()
              + ", which is not a producer"));
    }
    Map<ProjectId, Member> members = image.members();
    if (visibility == Visibility.SHARED && members.isEmpty()) {
      out.add(of(FindingKind.SHARED_WITHOUT_MEMBERS, image, null, "shared with no member"));
    }
    if (!members.isEmpty()) {
      for (Member m : members.values()) {
        if (m.status() == MemberStatus.PENDING && !m.updatedAt().isAfter(scan.pendingBefore)) {
          out.add(of(FindingKind.MEMBER_PENDING, image, null,
              "member " + m.project() + " pending since " + m.updatedAt()));
        }
      }
    }
    if (TRANSIENT.contains(status) && !image.updatedAt().isAfter(scan.stuckBefore)) {
      out.add(of(FindingKind.STUCK, image, null,
          status.wireName() + " since " + image.updatedAt()));
    }
    if (status == ImageStatus.ACTIVE) {
      stale(image, scan).ifPresent(out::add);
    }
    List<Location> locations = image.locations();
    for (int i = 0; i < locations.size(); i++) {
      StoreId in = locations.get(i).store();
      Optional<BlobStore> store = stores.find(in);
      if (store.isEmpty()) {
        out.add(of(FindingKind.MISSING_BLOB, image, in,
            "location in store " + in + ", which is not enabled"));
      } else if (!store.get().exists(BlobKey.of(image.id()))) {
        out.add(of(FindingKind.MISSING_BLOB, image, in,
            "location in store " + in + ", which holds no blob for it"));
      }
    }
  }

  /** The stale rule, of an active image. */
  private Optional<Finding> stale(Image image, Scan scan) {
    if (hasAcceptedMember(image) || usage.inUse(image.id())) {
      return Optional.empty();
    }
    // The latest known use: the one the catalog recorded (downloads and download
    // authorizations, LifecycleInfo.lastUsed) or the one the request's LastUse reports.
    Optional<Instant> recorded = LifecycleInfo.lastUsedOf(image);
    Optional<Instant> reported = scan.request.lastUse().lastUsedAt(image.id());
    Optional<Instant> last = recorded.isPresent() && reported.isPresent()
        ? Optional.of(recorded.get().isAfter(reported.get()) ? recorded.get() : reported.get())
        : recorded.or(() -> reported);
    Instant since = last.orElse(image.createdAt());
    if (since.isAfter(scan.staleBefore)) {
      return Optional.empty();
    }
    return Optional.of(of(FindingKind.STALE, image, null, last.isPresent()
        ? "not in use; last used at " + since
        : "not in use; no use known since its creation at " + since));
  }

  private static boolean hasAcceptedMember(Image image) {
    for (Member m : image.members().values()) {
      if (m.status() == MemberStatus.ACCEPTED) {
        return true;
      }
    }
    return false;
  }

  private static Finding of(FindingKind kind, Image image, @Nullable StoreId store,
      String evidence) {
    return new Finding(kind, image.id().value(), Optional.of(image.id()), image.owner(),
        Optional.ofNullable(store), evidence, ImmutableMap.of());
  }

  // ------------------------------------------------------------------------- duplicates

  /** What the duplicate rule keeps of an image: never the image itself. */
  private record Candidate(ImageId id, @Nullable ProjectId owner, Instant created,
      boolean untouchable, long size, StoreId[] stores) {
    ImmutableMap<StoreId, Long> bytes() {
      Map<StoreId, Long> bytes = new TreeMap<>();
      for (StoreId s : stores) {
        bytes.merge(s, size, Long::sum);
      }
      return ImmutableMap.copyOf(bytes);
    }
  }

  /** The one kept of a group: protected or in-use images first, then the oldest, then by id. */
  private static final Comparator<Candidate> KEEP_FIRST =
      Comparator.comparing((Candidate c) -> !c.untouchable())
          .thenComparing(Candidate::created)
          .thenComparing(c -> c.id().value());

  private Candidate candidate(Image image) {
    List<Location> locations = image.locations();
    StoreId[] in = new StoreId[locations.size()];
    for (int i = 0; i < in.length; i++) {
      in[i] = locations.get(i).store();
    }
    return new Candidate(image.id(), image.owner().orElse(null), image.createdAt(),
        untouchable(image, usage) != null, image.size().orElse(0), in);
  }

  /**
   * Why no cleanup may act on the image (it is protected, or the usage port says it is in use),
   * or null if one may.
   */
  static @Nullable String untouchable(Image image, ImageUsage usage) {
    if (image.isProtected()) {
      return "image " + image.id() + " is protected: no cleanup acts on it";
    }
    if (usage.inUse(image.id())) {
      return "image " + image.id() + " is in use: no cleanup acts on it";
    }
    return null;
  }

  /** Whether the duplicate rule looks at the image: it holds data (active or deactivated). */
  private static boolean hasData(Image image) {
    return image.status() == ImageStatus.ACTIVE || image.status() == ImageStatus.DEACTIVATED;
  }

  /**
   * Adds {@code image} to the images seen with {@code hash}: the first one of a hash is kept as
   * its id alone (most hashes are unique, so most images cost the scan no object); a second one
   * turns the entry into a list of candidates (also added to {@code groups}, so that the
   * duplicate rule reads the groups alone, not every hash), the first one's read again by id
   * (left out if it no longer has data of that hash: the scan is a snapshot of a changing
   * catalog, see {@link Reports}).
   */
  @SuppressWarnings("unchecked")
  private void remember(Map<String, Object> byHash, List<List<Candidate>> groups, String hash,
      Image image) {
    Object seen = byHash.putIfAbsent(hash, image.id());
    if (seen instanceof ImageId firstId) {
      List<Candidate> group = new ArrayList<>();
      engine.lookup(firstId)
          .filter(first -> hasData(first) && first.osHashValue().equals(Optional.of(hash)))
          .ifPresent(first -> group.add(candidate(first)));
      group.add(candidate(image));
      byHash.put(hash, group);
      groups.add(group);
    } else if (seen != null) {
      ((List<Candidate>) seen).add(candidate(image));
    }
  }

  private static void duplicates(List<List<Candidate>> groups, Optional<ProjectId> scope,
      List<Finding> out) {
    for (List<Candidate> value : groups) {
      Map<Optional<ProjectId>, List<Candidate>> byOwner = new LinkedHashMap<>();
      for (Candidate c : value) {
        byOwner.computeIfAbsent(Optional.ofNullable(c.owner()), o -> new ArrayList<>()).add(c);
      }
      List<Candidate> keepers = new ArrayList<>();
      for (List<Candidate> group : byOwner.values()) {
        group.sort(KEEP_FIRST);
        Candidate keep = group.get(0);
        keepers.add(keep);
        for (Candidate d : group.subList(1, group.size())) {
          add(out, scope, FindingKind.DUPLICATE_IN_OWNER, d,
              "same os_hash_value as " + keep.id() + " of the same owner");
        }
      }
      keepers.sort(KEEP_FIRST);
      Candidate first = keepers.get(0);
      for (Candidate d : keepers.subList(1, keepers.size())) {
        add(out, scope, FindingKind.DUPLICATE_ACROSS_OWNERS, d, "same os_hash_value as "
            + first.id() + " of " + (first.owner() == null ? "no owner" : first.owner()));
      }
    }
  }

  private static void add(List<Finding> out, Optional<ProjectId> scope, FindingKind kind,
      Candidate d, String evidence) {
    Optional<ProjectId> owner = Optional.ofNullable(d.owner());
    if (scope.isEmpty() || scope.equals(owner)) {
      out.add(new Finding(kind, d.id().value(), Optional.of(d.id()), owner, Optional.empty(),
          evidence, d.bytes()));
    }
  }

  // ------------------------------------------------------------------------- stored data

  /**
   * What the blob under {@code key} in {@code store} is, if it is a finding: referenced by its
   * image's location, or being written by it, is none; data of a {@code pending_delete} image is
   * awaiting the scrubber; anything else is unreferenced.
   */
  Optional<Finding> blobFinding(BlobStore store, BlobKey key, Instant now) {
    OptionalLong size = store.size(key);
    if (size.isEmpty()) {
      return Optional.empty();
    }
    ImmutableMap<StoreId, Long> bytes = ImmutableMap.of(store.id(), size.getAsLong());
    if (!ImageId.isValid(key.value())) {
      return Optional.of(blob(FindingKind.UNREFERENCED_BLOB, key, null, Optional.empty(), store,
          "no image can have this key", bytes));
    }
    ImageId id = ImageId.of(key.value());
    Optional<Image> live = engine.lookup(id);
    if (live.isPresent()) {
      Image image = live.get();
      if (image.locations().stream().anyMatch(l -> l.store().equals(store.id()))
          || isWriting(image, store.id())) {
        return Optional.empty();
      }
      return Optional.of(blob(FindingKind.UNREFERENCED_BLOB, key, id, image.owner(), store,
          "image " + id + " (" + image.status().wireName() + ") has no location in this store",
          bytes));
    }
    Optional<Tombstone> t = engine.tombstone(id);
    if (t.isPresent() && t.get().status() == ImageStatus.PENDING_DELETE) {
      Instant due = t.get().deletedAt().plus(config.scrubTime());
      return Optional.of(blob(FindingKind.AWAITING_SCRUB, key, id, t.get().owner(), store,
          "pending_delete since " + t.get().deletedAt() + "; scrub "
              + (due.isAfter(now) ? "due at " + due : "overdue since " + due), bytes));
    }
    return Optional.of(blob(FindingKind.UNREFERENCED_BLOB, key, id,
        t.flatMap(Tombstone::owner), store, t.isPresent()
            ? "image deleted at " + t.get().deletedAt() + "; its data stayed"
            : "no image has this id", bytes));
  }

  /** Staged data is a leftover unless its image is uploading, importing or being copied. */
  Optional<Finding> stagedFinding(BlobKey key) {
    OptionalLong size = staging.size(key);
    if (size.isEmpty()) {
      return Optional.empty();
    }
    Optional<Image> live = ImageId.isValid(key.value())
        ? engine.lookup(ImageId.of(key.value()))
        : Optional.empty();
    if (live.isPresent() && isStaging(live.get())) {
      return Optional.empty();
    }
    ImmutableMap<StoreId, Long> bytes = ImmutableMap.of(staging.id(), size.getAsLong());
    return Optional.of(blob(FindingKind.STAGING_LEFTOVER, key, live.map(Image::id).orElse(null),
        live.flatMap(Image::owner), staging, live.isPresent()
            ? "image " + key + " is " + live.get().status().wireName() + ", not importing"
            : "no live image has this id", bytes));
  }

  private static Finding blob(FindingKind kind, BlobKey key, @Nullable ImageId image,
      Optional<ProjectId> owner, BlobStore store, String evidence,
      ImmutableMap<StoreId, Long> bytes) {
    return new Finding(kind, key.value(), Optional.ofNullable(image), owner,
        Optional.of(store.id()), evidence, bytes);
  }

  /**
   * Whether work on the image may hold a reservation in the usage port: it is {@code saving} (a
   * classic upload), or uploading, importing or being copied.
   */
  static boolean isInProgress(Image image) {
    return image.status() == ImageStatus.SAVING || isStaging(image);
  }

  /** Whether the image's data is being written to {@code store} (an upload, import or copy). */
  private static boolean isWriting(Image image, StoreId store) {
    return isWritingEverywhere(image) || importingTo(image).contains(store.value());
  }

  /** Whether an upload or import may be writing the image's data to any store. */
  private static boolean isWritingEverywhere(Image image) {
    return image.status() == ImageStatus.SAVING || image.status() == ImageStatus.IMPORTING;
  }

  /** The stores an import or copy is writing the image's data to, as named. */
  private static List<String> importingTo(Image image) {
    String stores = image.properties().get(IMPORTING_TO_STORES);
    return stores == null ? List.of() : List.of(stores.split(","));
  }

  /** Whether the image may hold staged data: uploading, importing, or being copied. */
  static boolean isStaging(Image image) {
    return image.status() == ImageStatus.UPLOADING || image.status() == ImageStatus.IMPORTING
        || !image.properties().getOrDefault(IMPORTING_TO_STORES, "").isEmpty();
  }
}
