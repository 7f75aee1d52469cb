package dev.imagegov.bench;

import com.google.common.collect.ImmutableMap;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.Location;
import dev.imagegov.model.Member;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.StoreId;
import dev.imagegov.model.Visibility;
import dev.imagegov.spi.Catalog;
import dev.imagegov.store.memory.MemoryCatalog;
import dev.imagegov.testkit.fixture.CloudMix;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A deterministic catalog of {@code size} images with realistic sharing, the same in every run
 * and every fork: image {@code n} is a pure function of {@code n}, so the benchmarks, their
 * checks and the report all agree on what was measured without storing anything.
 *
 * <p>The mix, per image (independent draws from a hash of {@code n}):
 *
 * <ul>
 *   <li>owner: one of {@link #projects()} projects, uniformly ({@code max(2,000, size / 100)}:
 *       2,000 projects at 10,000 and 100,000 images, 10,000 at 1,000,000);
 *   <li>visibility: 0.5% public, 1% community, 20% shared, 78.5% private;
 *   <li>a shared image has 3 members, distinct projects other than the owner, each accepted
 *       (60%), pending (25%) or rejected (15%);
 *   <li>status: 88% active, 4% queued, 2% deactivated, 1% importing, 1% saving, 2% killed, 2%
 *       deleted (inserted, then deleted, so a tombstone);
 *   <li>1% hidden ({@code os_hidden}); created one second apart in id order.
 * </ul>
 *
 * <p>Every image carries what a real record carries: a unique name, disk and container formats,
 * two custom properties and, when it has data (active, deactivated), a size, a virtual size, an
 * MD5 checksum, a SHA-512 multihash and one location. Ids, names, digests, URLs, project ids
 * and times are distinct objects per image (as a loader that reads them from storage would
 * create them); format names, the hash algorithm and the property vocabulary are shared
 * constants.
 */
final class Dataset {
  static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  private static final StoreId STORE = StoreId.of("file");
  private static final List<String> DISK_FORMATS = List.of("qcow2", "raw", "vmdk", "iso");
  private static final List<String> DISTROS =
      List.of("ubuntu", "debian", "centos", "fedora", "rhel", "windows", "alpine", "rocky");

  private final int size;
  private final int projects;

  private Dataset(int size) {
    this.size = size;
    this.projects = Math.max(2_000, size / 100);
  }

  /** The realistic mix described above. */
  static Dataset realistic(int size) {
    return new Dataset(size);
  }

  int size() {
    return size;
  }

  int projects() {
    return projects;
  }

  /** The id text of project {@code p}: 32 hex digits, as Keystone project ids are. */
  static String projectName(int p) {
    return CloudMix.projectName(p);
  }

  /** A fresh id object for project {@code p}. */
  static ProjectId project(int p) {
    return ProjectId.of(projectName(p));
  }

  static ImageId imageId(int n) {
    return CloudMix.imageId(n);
  }

  int owner(int n) {
    return pick(n, 1, projects);
  }

  Visibility visibility(int n) {
    int roll = pick(n, 2, 1000);
    if (roll < 5) {
      return Visibility.PUBLIC;
    }
    if (roll < 15) {
      return Visibility.COMMUNITY;
    }
    return roll < 215 ? Visibility.SHARED : Visibility.PRIVATE;
  }

  /** The status image {@code n} is inserted with (a deleted one is then deleted). */
  ImageStatus status(int n) {
    int roll = pick(n, 3, 100);
    if (roll < 88) {
      return ImageStatus.ACTIVE;
    }
    if (roll < 92) {
      return ImageStatus.QUEUED;
    }
    if (roll < 94) {
      return ImageStatus.DEACTIVATED;
    }
    if (roll < 95) {
      return ImageStatus.IMPORTING;
    }
    if (roll < 96) {
      return ImageStatus.SAVING;
    }
    return roll < 98 ? ImageStatus.KILLED : ImageStatus.ACTIVE;
  }

  /** Whether image {@code n} is deleted after insertion (2% of the realistic mix). */
  boolean deleted(int n) {
    return pick(n, 3, 100) >= 98;
  }

  boolean hidden(int n) {
    return pick(n, 4, 100) == 0;
  }

  /** The member projects of image {@code n}: 3 distinct projects, none the owner; or none. */
  int[] members(int n) {
    if (visibility(n) != Visibility.SHARED) {
      return new int[0];
    }
    int step = projects / 3 - 1;
    int o1 = 1 + pick(n, 10, step);
    int o2 = o1 + 1 + pick(n, 11, step);
    int o3 = o2 + 1 + pick(n, 12, step);
    int owner = owner(n);
    return new int[] {
      (owner + o1) % projects, (owner + o2) % projects, (owner + o3) % projects
    };
  }

  static MemberStatus memberStatus(int n, int k) {
    int roll = pick(n, 20 + k, 100);
    return roll < 60
        ? MemberStatus.ACCEPTED
        : roll < 85 ? MemberStatus.PENDING : MemberStatus.REJECTED;
  }

  /** Image {@code n} with its members. */
  Image image(int n) {
    return image(n, true);
  }

  /** Image {@code n}; without its members when {@code withMembers} is false. */
  Image image(int n, boolean withMembers) {
    ImageId id = imageId(n);
    Instant created = T0.plusSeconds(n);
    ImageStatus status = status(n);
    var b =
        Image.builder()
            .id(id)
            .name("image-" + n)
            .status(status)
            .visibility(visibility(n))
            .owner(project(owner(n)))
            .osHidden(hidden(n))
            .diskFormat(DISK_FORMATS.get(pick(n, 5, DISK_FORMATS.size())))
            .containerFormat("bare")
            .minDisk(pick(n, 6, 40))
            .properties(
                ImmutableMap.of(
                    "os_distro", DISTROS.get(pick(n, 8, DISTROS.size())),
                    "hw_disk_bus", "virtio"))
            .createdAt(created)
            .updatedAt(created.plusSeconds(1 + pick(n, 9, 3600)));
    if (status == ImageStatus.ACTIVE || status == ImageStatus.DEACTIVATED) {
      long bytes = 50_000_000L + (mix(n, 30) & 0xfffffffL);
      b.size(bytes)
          .virtualSize(bytes * 4)
          .checksum(hex(n, 40, 2))
          .osHashAlgo("sha512")
          .osHashValue(hex(n, 50, 8))
          .addLocations(Location.of(STORE, "file:///var/lib/glance/images/" + id.value()));
    }
    if (withMembers) {
      int[] members = members(n);
      for (int k = 0; k < members.length; k++) {
        ProjectId project = project(members[k]);
        Instant added = created.plusSeconds(60 + k);
        b.putMembers(
            project,
            Member.builder()
                .imageId(id)
                .project(project)
                .status(memberStatus(n, k))
                .createdAt(added)
                .updatedAt(added.plusSeconds(3600))
                .build());
      }
    }
    return b.build();
  }

  /** A (project, image) pair of the dataset: project {@code project} may see image {@code image}. */
  record Pair(int project, int image) {}

  /**
   * {@code count} pairs of a live image and a project that may see it, drawn deterministically:
   * anyone (a random project) for a public or community image, for a shared image one of its
   * members (of any status) every other draw, otherwise its owner.
   */
  List<Pair> visiblePairs(int count) {
    List<Pair> pairs = new ArrayList<>(count);
    for (int k = 0; pairs.size() < count; k++) {
      int n = pick(k, 900, size);
      if (deleted(n)) {
        continue;
      }
      Visibility v = visibility(n);
      int[] members = members(n);
      int project;
      if (v == Visibility.PUBLIC || v == Visibility.COMMUNITY) {
        project = pick(k, 901, projects);
      } else if (members.length > 0 && k % 2 == 0) {
        project = members[pick(k, 902, members.length)];
      } else {
        project = owner(n);
      }
      pairs.add(new Pair(project, n));
    }
    return pairs;
  }

  /** A catalog holding the whole dataset (deleted images as tombstones). */
  MemoryCatalog load() {
    return loadInto(new MemoryCatalog());
  }

  /**
   * Inserts the whole dataset into {@code catalog} in id order, deleting the deleted images
   * right after their insertion (so they end as tombstones); answers {@code catalog}.
   */
  <C extends Catalog> C loadInto(C catalog) {
    for (int n = 0; n < size; n++) {
      Image stored = catalog.insert(image(n));
      if (deleted(n)) {
        catalog.delete(stored.id(), stored.version(), ImageStatus.DELETED, T0.plusSeconds(size));
      }
    }
    return catalog;
  }

  /**
   * How many images project {@code p} finds in its default list (Glance's {@code GET
   * /v2/images} without parameters): listable (neither deleted nor killed), not hidden, and
   * public, owned by {@code p}, or shared with {@code p} as an accepted member.
   */
  int defaultListSize(int p) {
    int count = 0;
    for (int n = 0; n < size; n++) {
      if (deleted(n) || status(n) == ImageStatus.KILLED || hidden(n)) {
        continue;
      }
      Visibility v = visibility(n);
      if (v == Visibility.PUBLIC || owner(n) == p) {
        count++;
        continue;
      }
      int[] members = members(n);
      for (int k = 0; k < members.length; k++) {
        if (members[k] == p && memberStatus(n, k) == MemberStatus.ACCEPTED) {
          count++;
        }
      }
    }
    return count;
  }

  /** {@code digits64} 64-bit words of hex from a hash of {@code n}: a fake but unique digest. */
  private static String hex(int n, int salt, int digits64) {
    StringBuilder s = new StringBuilder(digits64 * 16);
    for (int i = 0; i < digits64; i++) {
      String word = Long.toHexString(mix(n, salt + i));
      s.append("0".repeat(16 - word.length())).append(word);
    }
    return s.toString();
  }

  /** A 64-bit hash of {@code n} and {@code salt}: {@link CloudMix#mix}. */
  static long mix(long n, long salt) {
    return CloudMix.mix(n, salt);
  }

  /** A draw in {@code [0, bound)} from a hash of {@code n} and {@code salt}. */
  static int pick(long n, long salt, int bound) {
    return CloudMix.pick(n, salt, bound);
  }
}
