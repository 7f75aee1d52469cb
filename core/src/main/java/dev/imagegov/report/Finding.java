package dev.imagegov.report;

import com.google.common.collect.ImmutableMap;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.StoreId;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;

/**
 * One hygiene finding: its kind (the rule), its subject (an image id, or a blob key for data
 * with no image), the image and owner concerned, the store concerned, the evidence in words, and
 * the bytes that acting on it frees per store (for duplicates and stray data; empty otherwise).
 *
 * @param kind the rule that found it
 * @param subject the image id, or the blob key of data that no image owns
 * @param image the image concerned, if there is one
 * @param owner the image's owner, if any
 * @param store the store concerned, if the finding is about one store
 * @param evidence what was observed, in words
 * @param bytes the bytes acting on the finding frees, per store
 */
public record Finding(
    FindingKind kind,
    String subject,
    Optional<ImageId> image,
    Optional<ProjectId> owner,
    Optional<StoreId> store,
    String evidence,
    ImmutableMap<StoreId, Long> bytes) {
  /** The order of every report: by kind, then subject, then store, then evidence. */
  static final Comparator<Finding> ORDER = Finding::compareInOrder;

  /** {@link #ORDER}, written out: a report sorts every finding, so it allocates nothing. */
  private static int compareInOrder(Finding a, Finding b) {
    int c = a.kind().compareTo(b.kind());
    if (c == 0) {
      c = a.subject().compareTo(b.subject());
    }
    if (c == 0) {
      c = storeName(a).compareTo(storeName(b));
    }
    return c != 0 ? c : a.evidence().compareTo(b.evidence());
  }

  private static String storeName(Finding f) {
    return f.store().isPresent() ? f.store().get().value() : "";
  }

  /**
   * Checks that every component is present.
   *
   * @param kind the rule that found it
   * @param subject the image id, or the blob key of data that no image owns
   * @param image the image concerned, if there is one
   * @param owner the image's owner, if any
   * @param store the store concerned, if the finding is about one store
   * @param evidence what was observed, in words
   * @param bytes the bytes acting on the finding frees, per store
   */
  public Finding {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(evidence, "evidence");
    Objects.requireNonNull(bytes, "bytes");
  }
}
