package dev.imagegov.model;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.immutables.value.Value;

/**
 * An image with its members, tags and custom properties: the aggregate the catalog stores and
 * versions as one unit.
 *
 * <p>Absent values are {@code Optional}s, never nulls. {@link #tags()} is a set that keeps
 * insertion order; {@link #members()} is keyed by member project. {@link #version()} is the
 * optimistic-concurrency version, assigned by the catalog: 1 on insert, plus one on each
 * compare-and-set.
 */
@Value.Immutable
@ImageStyle
public abstract class Image {
  /** {@return the image id} */
  public abstract ImageId id();

  /** {@return the display name; not unique} */
  public abstract Optional<String> name();

  /** {@return the status} */
  @Value.Default
  public ImageStatus status() {
    return ImageStatus.QUEUED;
  }

  /** {@return the visibility; Glance's default is {@code shared}} */
  @Value.Default
  public Visibility visibility() {
    return Visibility.SHARED;
  }

  /** {@return the owning project; an unowned image is visible to everyone by id} */
  public abstract Optional<ProjectId> owner();

  /** {@return whether delete is refused} */
  @Value.Default
  public boolean isProtected() {
    return false;
  }

  /** {@return whether the image is left out of default lists} */
  @Value.Default
  public boolean osHidden() {
    return false;
  }

  /**
   * The disk format, e.g. {@code qcow2}.
   *
   * @return the disk format, e.g
   */
  public abstract Optional<String> diskFormat();

  /**
   * The container format, e.g. {@code bare}.
   *
   * @return the container format, e.g
   */
  public abstract Optional<String> containerFormat();

  /** {@return data size in bytes, once data is present} */
  public abstract OptionalLong size();

  /** {@return virtual disk size in bytes, from format inspection} */
  public abstract OptionalLong virtualSize();

  /** {@return MD5 hex digest of the data} */
  public abstract Optional<String> checksum();

  /**
   * The multihash algorithm, e.g. {@code sha512}.
   *
   * @return the multihash algorithm, e.g
   */
  public abstract Optional<String> osHashAlgo();

  /** {@return the multihash hex digest} */
  public abstract Optional<String> osHashValue();

  /** {@return minimum disk in GB} */
  @Value.Default
  public int minDisk() {
    return 0;
  }

  /** {@return minimum RAM in MB} */
  @Value.Default
  public int minRam() {
    return 0;
  }

  /** {@return tags, a set in insertion order} */
  public abstract ImmutableSet<String> tags();

  /** {@return custom (extra) properties} */
  public abstract ImmutableMap<String, String> properties();

  /** {@return data locations, one or more per store} */
  public abstract List<Location> locations();

  /** {@return members by project; meaningful only while the image is shared} */
  public abstract ImmutableMap<ProjectId, Member> members();

  /** {@return creation time} */
  public abstract Instant createdAt();

  /** {@return last metadata change} */
  public abstract Instant updatedAt();

  /** {@return optimistic-concurrency version; the catalog assigns it} */
  @Value.Default
  public long version() {
    return 0;
  }

  /**
   * {@return the membership of {@code project}, if it has one (of any status)}
   *
   * @param project the member project to look up
   */
  public Optional<Member> member(ProjectId project) {
    return Optional.ofNullable(members().get(project));
  }

  /**
   * The membership {@code project} has, hierarchical sharing included: the rule every store and
   * core apply, stated once here. In this order:
   *
   * <ol>
   *   <li>a direct row of {@code project} ({@link Member#isDirect()}): that row;
   *   <li>a group answer of {@code project} whose group is in {@code lineage} and is a direct
   *       member: that answer (the project's own status for the group's offer);
   *   <li>else the first id of {@code lineage} (nearest first) that is a direct member: a
   *       membership of {@code project} via that group with status {@code unanswered}, created
   *       when the group's row was;
   *   <li>else none: a group answer whose group left the lineage (the project moved) or stopped
   *       being a member grants nothing.
   * </ol>
   *
   * <p>Meaningful only while the image is shared (other visibilities have no members).
   *
   * @param project the project asked about
   * @param lineage the groups above {@code project}: its ancestors, nearest first, then its
   *     domain (see the tenancy directory); empty for flat sharing
   * @param unanswered the status of a project that has not answered a group's offer
   * @return the membership of {@code project}, if it has one (of any status)
   */
  public Optional<Member> membershipOf(
      ProjectId project, List<ProjectId> lineage, MemberStatus unanswered) {
    return membershipOf(project, lineage, unanswered, Optional.empty());
  }

  /**
   * {@link #membershipOf(ProjectId, List, MemberStatus)} judged at an instant: a row that has
   * expired by {@code at} ({@link Member#isExpiredAt}) counts as absent, a direct row and a
   * group's row alike (an expired share is a removed one).
   *
   * @param project the project asked about
   * @param lineage the groups above {@code project}, nearest first, then its domain
   * @param unanswered the status of a project that has not answered a group's offer
   * @param at when to judge expiry; empty: no row has expired
   * @return the membership of {@code project}, if it has one (of any status)
   */
  public Optional<Member> membershipOf(
      ProjectId project, List<ProjectId> lineage, MemberStatus unanswered,
      Optional<Instant> at) {
    ImmutableMap<ProjectId, Member> rows = members();
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    Member own = live(rows.get(project), at);
    if (own != null && own.isDirect()) {
      return Optional.of(own);
    }
    if (lineage.isEmpty()) {
      return Optional.empty();
    }
    if (own != null && lineage.contains(own.via().get())) {
      Member group = live(rows.get(own.via().get()), at);
      if (group != null && group.isDirect()) {
        return Optional.of(own);
      }
    }
    for (int i = 0, n = lineage.size(); i < n; i++) {
      Member group = live(rows.get(lineage.get(i)), at);
      if (group != null && group.isDirect()) {
        return Optional.of(Member.builder()
            .imageId(id())
            .project(project)
            .status(unanswered)
            .via(group.project())
            .createdAt(group.createdAt())
            .updatedAt(group.createdAt())
            .build());
      }
    }
    return Optional.empty();
  }

  /** {@code row}, or null when it is absent or has expired by {@code at}. */
  private static @org.jspecify.annotations.Nullable Member live(
      @org.jspecify.annotations.Nullable Member row, Optional<Instant> at) {
    return row == null || at.isPresent() && row.isExpiredAt(at.get()) ? null : row;
  }

  /** {@return how many direct members the image has: each group counts once, answers never} */
  public int directMemberCount() {
    int count = 0;
    for (Member m : members().values()) {
      if (m.isDirect()) {
        count++;
      }
    }
    return count;
  }

  /**
   * {@return whether {@code project} owns this image}
   *
   * @param project the project to compare with the owner
   */
  public boolean isOwnedBy(ProjectId project) {
    Optional<ProjectId> owner = owner(); // no lambda: the check stays allocation-free once inlined
    return owner.isPresent() && owner.get().equals(project);
  }

  /**
   * An image from every one of its values at once, without a builder: for a store decoding many
   * images (a snapshot), where a builder and its collection builders per image are garbage at
   * once. It checks what {@code build()} checks (no null, members keyed by their project and
   * belonging to this image); {@link Builder} remains the way to make an image otherwise.
   *
   * @param id the image id
   * @param name the display name, if any
   * @param status the status
   * @param visibility the visibility
   * @param owner the owning project, if any
   * @param isProtected whether delete is refused
   * @param osHidden whether the image is left out of default lists
   * @param diskFormat the disk format, if any
   * @param containerFormat the container format, if any
   * @param size the data size in bytes, if known
   * @param virtualSize the virtual disk size in bytes, if known
   * @param checksum the MD5 hex digest of the data, if any
   * @param osHashAlgo the multihash algorithm, if any
   * @param osHashValue the multihash hex digest, if any
   * @param minDisk the minimum disk in GB
   * @param minRam the minimum RAM in MB
   * @param tags the tags, in insertion order
   * @param properties the custom properties
   * @param locations the data locations
   * @param members the members, by project
   * @param createdAt the creation time
   * @param updatedAt the last metadata change
   * @param version the optimistic-concurrency version
   * @return the image
   * @throws NullPointerException if a value is null
   * @throws IllegalArgumentException if a member is keyed by another project or belongs to
   *     another image
   */
  public static Image of(ImageId id, Optional<String> name, ImageStatus status,
      Visibility visibility, Optional<ProjectId> owner, boolean isProtected, boolean osHidden,
      Optional<String> diskFormat, Optional<String> containerFormat, OptionalLong size,
      OptionalLong virtualSize, Optional<String> checksum, Optional<String> osHashAlgo,
      Optional<String> osHashValue, int minDisk, int minRam, ImmutableSet<String> tags,
      ImmutableMap<String, String> properties, List<Location> locations,
      ImmutableMap<ProjectId, Member> members, Instant createdAt, Instant updatedAt,
      long version) {
    return ImmutableImage.of(id, name, status, visibility, owner, isProtected, osHidden,
        diskFormat, containerFormat, size, virtualSize, checksum, osHashAlgo, osHashValue, minDisk,
        minRam, tags, properties, locations, members, createdAt, updatedAt, version);
  }

  /** {@return a builder} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return a modifiable copy builder of this image} */
  public Builder toBuilder() {
    return builder().from(this);
  }

  /**
   * This image with another version (used by catalogs when they store it): a shallow copy.
   *
   * @param newVersion the version the copy carries
   * @return a copy of this image that differs only in its version
   */
  public Image withVersion(long newVersion) {
    return immutable().withVersion(newVersion);
  }

  /**
   * This image with another update time: a shallow copy, cheaper than a builder round trip (every
   * change stamps one).
   *
   * @param at the update time the copy carries
   * @return a copy of this image that differs only in its update time
   */
  public Image replacingUpdatedAt(Instant at) {
    return immutable().withUpdatedAt(at);
  }

  /**
   * This image with other locations: a shallow copy, cheaper than a builder round trip (the
   * caller's view drops locations on every read).
   *
   * @param newLocations the locations the copy carries
   * @return a copy of this image that differs only in its locations
   */
  public Image replacingLocations(List<Location> newLocations) {
    return immutable().withLocations(newLocations);
  }

  /**
   * This image with other members: a shallow copy, cheaper than a builder round trip.
   *
   * @param newMembers the members the copy carries, by project
   * @return a copy of this image that differs only in its members
   */
  public Image replacingMembers(Map<ProjectId, Member> newMembers) {
    return immutable().withMembers(newMembers);
  }

  /**
   * This image with other custom properties: a shallow copy, cheaper than a builder round trip.
   *
   * @param newProperties the custom properties the copy carries
   * @return a copy of this image that differs only in its custom properties
   */
  public Image replacingProperties(Map<String, String> newProperties) {
    return immutable().withProperties(newProperties);
  }

  /**
   * Whether any membership of this image carries an expiry ({@link Member#expiresAt()}): computed
   * once per stored version, so a read of an image whose shares never expire needs no clock and
   * no scan of its members.
   *
   * @return whether some member row has an expiry
   */
  @Value.Lazy
  public boolean hasExpiringMembers() {
    for (Member m : members().values()) {
      if (m.expiresAt().isPresent()) {
        return true;
      }
    }
    return false;
  }

  /**
   * This image without locations, the form most views show (a location names where the data lives,
   * which is the operator's business): a shallow copy, made the first time it is asked for and
   * then kept with this value, so that every later read of the same stored version (a by-id read,
   * each row of a list page) shows it without copying. The copy shares every field but the
   * locations with this image: it costs about 100 bytes per image that has been read at least once
   * (one million images read: about 100 MB), never more than one per value, and it goes with the
   * value when a write replaces it. It is built once, under the value's lock, and read without it
   * after.
   *
   * @return a copy of this image with no locations, or this image if it has none
   */
  @Value.Lazy
  public Image withoutLocations() {
    return locations().isEmpty() ? this : replacingLocations(ImmutableList.of());
  }

  private ImmutableImage immutable() {
    return this instanceof ImmutableImage i ? i : (ImmutableImage) ImmutableImage.copyOf(this);
  }

  @Value.Check
  void check() {
    for (Map.Entry<ProjectId, Member> e : members().entrySet()) {
      Member m = e.getValue();
      if (!m.imageId().equals(id())) {
        throw new IllegalArgumentException("member " + m.project() + " belongs to another image");
      }
      if (!e.getKey().equals(m.project())) {
        throw new IllegalArgumentException("members must be keyed by their project");
      }
    }
  }

  /**
   * A builder of {@code Image}: set attributes, then {@code build()}, which checks
   * the value. Not thread-safe.
   */
  public static final class Builder extends ImmutableImage.Builder {
    Builder() {}
  }
}
