package dev.imagegov.spi.usage;

import com.google.common.collect.ImmutableList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The usage an image change causes, handed to a {@link UsageStore} together with the change so
 * that both commit as one ({@link UsageStore#compareAndSet}, {@link UsageStore#insert}, {@link
 * UsageStore#delete}, {@link UsageStore#undelete}): the committed changes, one per project, and
 * the reservation, if any, that covers them. Each change of the reservation's project is
 * {@linkplain UsageStore.Reservation#settle settled} from it; every other change is {@linkplain
 * UsageStore#record recorded} as is. Core computes it (its rules say what an image contributes);
 * a store only applies it.
 */
public final class UsageCommit {
  private final ImmutableList<UsageDelta> changes;
  private final UsageStore.@Nullable Reservation settling;

  private UsageCommit(
      List<UsageDelta> changes, UsageStore.@Nullable Reservation settling) {
    // One order for every commit, so two transactions lock the same projects' rows in one order.
    this.changes = ImmutableList.sortedCopyOf(
        Comparator.comparing((UsageDelta d) -> d.project().value()), changes);
    this.settling = settling;
  }

  /**
   * {@return the changes recorded as they are, no reservation covering any}
   *
   * @param changes the committed changes, one per project
   */
  public static UsageCommit recorded(List<UsageDelta> changes) {
    return new UsageCommit(Objects.requireNonNull(changes, "changes"), null);
  }

  /**
   * {@return the changes, those of {@code reservation}'s project settled from it}
   *
   * @param reservation the reservation that covers the changes of its project
   * @param changes the committed changes, one per project
   */
  public static UsageCommit settled(UsageStore.Reservation reservation, List<UsageDelta> changes) {
    return new UsageCommit(
        Objects.requireNonNull(changes, "changes"),
        Objects.requireNonNull(reservation, "reservation"));
  }

  /** {@return the committed changes, ordered by project} */
  public ImmutableList<UsageDelta> changes() {
    return changes;
  }

  /** {@return the reservation that covers the changes of its project, if any} */
  public Optional<UsageStore.Reservation> settling() {
    return Optional.ofNullable(settling);
  }

  /**
   * {@return whether {@code change} is settled from the reservation (it is of its project)}
   *
   * @param change one of {@link #changes()}
   */
  public boolean settles(UsageDelta change) {
    return settling != null && settling.project().equals(change.project());
  }

  /** {@return whether this changes no usage} */
  public boolean isEmpty() {
    return changes.isEmpty();
  }

  /**
   * Applies the changes to {@code usage} one by one, outside any image change: each change of the
   * reservation's project settled from it, every other one recorded. This is what the {@link
   * UsageStore}'s default combined calls do after the catalog accepted the change.
   *
   * @param usage the store the changes are recorded in
   */
  public void applyTo(UsageStore usage) {
    for (UsageDelta d : changes) {
      if (settles(d)) {
        settling.settle(d);
      } else {
        usage.record(d);
      }
    }
  }
}
