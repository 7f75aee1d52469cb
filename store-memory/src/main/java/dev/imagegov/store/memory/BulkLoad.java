package dev.imagegov.store.memory;

import dev.imagegov.model.Image;
import dev.imagegov.model.Member;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntBinaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * The shared work of a bulk load ({@link ListingIndexes#load}), done once for every family of
 * indexes: which indexes each image belongs to ({@link Groups}: found with one hash lookup per
 * owner and membership, instead of one per family), and the order of positions a family reads
 * the images in ({@link #sortedPositions}).
 */
final class BulkLoad {
  private static final Visibility[] VISIBILITIES = Visibility.values();
  private static final MemberStatus[] STATUSES = MemberStatus.values();
  /** Runs this short are sorted by insertion. */
  private static final int INSERTION = 24;

  private BulkLoad() {}

  /**
   * The positions of {@code slots} (which are in the default order) sorted by {@code order}:
   * a stable merge sort by the order's field alone ({@link Order#valuesAt}), which the default
   * order breaks ties of, as every order does. Linear when the slots are in that order already.
   *
   * @param slots slots in the default order
   * @param order the order to sort by
   * @return a permutation of {@code 0 .. slots.length - 1}: the positions in {@code order}
   */
  static int[] sortedPositions(Slot[] slots, Order order) {
    IntBinaryOperator values = order.valuesAt(slots);
    int[] positions = new int[slots.length];
    for (int i = 0; i < positions.length; i++) {
      positions[i] = i;
    }
    sort(positions, new int[positions.length], 0, positions.length, values);
    return positions;
  }

  /** Sorts {@code a[from .. to)} stably; recursion depth is bounded by log2 of the length. */
  private static void sort(int[] a, int[] spare, int from, int to, IntBinaryOperator values) {
    if (to - from <= INSERTION) {
      for (int i = from + 1; i < to; i++) {
        int x = a[i];
        int j = i - 1;
        while (j >= from && values.applyAsInt(a[j], x) > 0) {
          a[j + 1] = a[j];
          j--;
        }
        a[j + 1] = x;
      }
      return;
    }
    int mid = (from + to) >>> 1;
    sort(a, spare, from, mid, values);
    sort(a, spare, mid, to, values);
    if (values.applyAsInt(a[mid - 1], a[mid]) <= 0) {
      return;
    }
    System.arraycopy(a, from, spare, from, mid - from);
    int i = from;
    int j = mid;
    int k = from;
    while (i < mid && j < to) {
      a[k++] = values.applyAsInt(spare[i], a[j]) <= 0 ? spare[i++] : a[j++];
    }
    while (i < mid) {
      a[k++] = spare[i++];
    }
  }

  /**
   * The indexes of one family each image of a bulk load belongs to, as group numbers: groups
   * {@code 0 .. } {@link Visibility#values()}{@code .length - 1} are the visibilities (by
   * ordinal), then one group per owner and one per (member project, member status) of shared
   * images. The same for every family: only the order of each group's run differs.
   */
  static final class Groups {
    /** Where the groups of the image at each position start in {@link #ids}; one past the end. */
    final int[] start;
    /** The group numbers of every image, position after position. */
    final int[] ids;
    /** How many images each group holds. */
    final int[] sizes;
    /** The owner or member project of each group; null for a visibility. */
    final @Nullable ProjectId[] projects;
    /** The member status of each membership group; null for a visibility or an owner. */
    final @Nullable MemberStatus[] statuses;

    private Groups(int[] start, int[] ids, int[] sizes, List<ProjectId> projects,
        List<MemberStatus> statuses) {
      this.start = start;
      this.ids = ids;
      this.sizes = sizes;
      this.projects = projects.toArray(new ProjectId[0]);
      this.statuses = statuses.toArray(new MemberStatus[0]);
    }

    /** How many groups there are. */
    int count() {
      return sizes.length;
    }

    /**
     * The groups of the listable images of {@code slots}.
     *
     * @param slots the slots of a bulk load, in any order
     * @return each position's groups
     */
    static Groups of(Slot[] slots) {
      int[] start = new int[slots.length + 1];
      int[] ids = new int[slots.length * 2 + 16];
      int count = 0;
      List<ProjectId> projects = new ArrayList<>();
      List<MemberStatus> statuses = new ArrayList<>();
      for (int v = 0; v < VISIBILITIES.length; v++) {
        projects.add(null);
        statuses.add(null);
      }
      // Per project: its owner group (slot 0) and membership groups by status; -1 for none yet.
      Map<ProjectId, int[]> byProject = new HashMap<>();
      int[] sizes = new int[64];
      for (int i = 0; i < slots.length; i++) {
        start[i] = count;
        Image image = slots[i].image();
        Visibility visibility = image.visibility();
        int members = visibility == Visibility.SHARED ? image.members().size() : 0;
        if (count + 2 + members > ids.length) {
          ids = Arrays.copyOf(ids, Math.max(ids.length * 2, count + 2 + members));
        }
        ids[count++] = visibility.ordinal();
        Optional<ProjectId> owner = image.owner();
        if (owner.isPresent()) {
          int[] known = known(byProject, owner.get());
          if (known[0] < 0) {
            known[0] = projects.size();
            projects.add(owner.get());
            statuses.add(null);
          }
          ids[count++] = known[0];
        }
        if (members > 0) {
          for (Member member : image.members().values()) {
            int[] known = known(byProject, member.project());
            int status = 1 + member.status().ordinal();
            if (known[status] < 0) {
              known[status] = projects.size();
              projects.add(member.project());
              statuses.add(member.status());
            }
            ids[count++] = known[status];
          }
        }
        if (projects.size() > sizes.length) {
          sizes = Arrays.copyOf(sizes, Math.max(sizes.length * 2, projects.size()));
        }
        for (int k = start[i]; k < count; k++) {
          sizes[ids[k]]++;
        }
      }
      start[slots.length] = count;
      return new Groups(start, ids, Arrays.copyOf(sizes, projects.size()), projects, statuses);
    }

    private static int[] known(Map<ProjectId, int[]> byProject, ProjectId project) {
      int[] known = byProject.get(project);
      if (known == null) {
        known = new int[1 + STATUSES.length];
        Arrays.fill(known, -1);
        byProject.put(project, known);
      }
      return known;
    }
  }
}
