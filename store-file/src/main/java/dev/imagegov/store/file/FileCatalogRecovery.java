package dev.imagegov.store.file;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What opening a {@link FileCatalog} found and did ({@link FileCatalog#recovery()}): whether the
 * previous session closed the catalog cleanly, each unsynced tail that was cut from the journal
 * after a crash (kept in a quarantine file), and each piece of damage repair mode set aside.
 *
 * <p>A cut tail never held an acknowledged change: it lies beyond the last commit the journal
 * proves was synced (see the module README). It is still kept and reported, so that nothing
 * leaves the journal without a trace.
 *
 * @param closedCleanly whether the journal ended with the closed frame that {@link
 *     FileCatalog#close()} writes; false for a new catalog, after a crash, and for a journal of
 *     format version 1, which has no closed frames
 * @param cuts the unsynced tails cut from the journal, in file order
 * @param repairs what repair mode quarantined, one line each naming the file and byte offset
 *     (empty unless {@link FileCatalogOptions#repair()} is on)
 */
public record FileCatalogRecovery(boolean closedCleanly, List<Cut> cuts, List<String> repairs) {
  /**
   * An unsynced tail cut from a journal segment on opening.
   *
   * @param file the journal segment
   * @param offset the byte offset the segment was truncated at
   * @param length the number of bytes cut
   * @param quarantined the file in the catalog's {@code quarantine} directory that holds them
   */
  public record Cut(Path file, long offset, long length, Path quarantined) {
    /**
     * Checks the values.
     *
     * @param file the journal segment
     * @param length the number of bytes cut
     * @param offset the byte offset the segment was truncated at
     * @param quarantined the quarantine file that holds the cut bytes
     */
    public Cut {
      Objects.requireNonNull(file, "file");
      Objects.requireNonNull(quarantined, "quarantined");
    }

    @Override
    public String toString() {
      return length + " bytes at byte offset " + offset + " of " + file + ", kept in "
          + quarantined;
    }
  }

  /**
   * Checks the values and copies the lists.
   *
   * @param closedCleanly whether the previous process closed the catalog
   * @param cuts the unsynced tails cut from the journal, in file order
   * @param repairs what repair mode quarantined, one line each
   */
  public FileCatalogRecovery {
    cuts = List.copyOf(cuts);
    repairs = List.copyOf(repairs);
  }

  /** {@return whether opening cut nothing and repaired nothing} */
  public boolean nothingSetAside() {
    return cuts.isEmpty() && repairs.isEmpty();
  }
}
