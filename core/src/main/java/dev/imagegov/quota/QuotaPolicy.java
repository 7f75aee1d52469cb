package dev.imagegov.quota;

import com.google.common.collect.ImmutableMap;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.model.ProjectId;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * What a quota recommendation ({@link Quotas#recommend}) aims for: the share of every store kept
 * free, how many stores each image is expected to be kept in (copy-image charges every copy to
 * the owner, so a limit holds that much less distinct content), each project's weight in the
 * split, and the count limits. Immutable; each {@code with} method returns a changed copy.
 *
 * <p>Defaults: 10% of every store kept free, one copy per image, every project of weight 1, 100
 * images and 2 uploads at a time per project, and the {@code image_member_quota} in force.
 */
public final class QuotaPolicy {
  /** The largest weight a project may have. */
  public static final int MAX_WEIGHT = 1_000_000;

  private final double reserve;
  private final int copies;
  private final ImmutableMap<ProjectId, Integer> weights;
  private final long images;
  private final long uploads;
  private final int members;

  private QuotaPolicy(double reserve, int copies, ImmutableMap<ProjectId, Integer> weights,
      long images, long uploads, int members) {
    this.reserve = reserve;
    this.copies = copies;
    this.weights = weights;
    this.images = images;
    this.uploads = uploads;
    this.members = members;
  }

  /** {@return the default policy} */
  public static QuotaPolicy defaults() {
    return new QuotaPolicy(0.1, 1, ImmutableMap.of(), 100, 2, -2);
  }

  /**
   * {@return this policy keeping {@code share} of every store's capacity free}
   *
   * @param share at least 0, below 1
   * @throws GovernanceException 400 {@code INVALID_REPORT_VALUE} outside that range
   */
  public QuotaPolicy withReserve(double share) {
    if (!(share >= 0 && share < 1)) {
      throw invalid("the reserve share must be at least 0 and below 1, not " + share);
    }
    return new QuotaPolicy(share, copies, weights, images, uploads, members);
  }

  /**
   * {@return this policy expecting every image to be kept in {@code copies} stores}
   *
   * @param copies at least 1
   * @throws GovernanceException 400 {@code INVALID_REPORT_VALUE} if below 1
   */
  public QuotaPolicy withCopies(int copies) {
    if (copies < 1) {
      throw invalid("an image is kept in at least 1 store, not " + copies);
    }
    return new QuotaPolicy(reserve, copies, weights, images, uploads, members);
  }

  /**
   * {@return this policy giving {@code project} {@code weight} shares of the stores (others 1)}
   *
   * @param project the project
   * @param weight from 1 to {@link #MAX_WEIGHT}
   * @throws GovernanceException 400 {@code INVALID_REPORT_VALUE} outside that range
   */
  public QuotaPolicy withWeight(ProjectId project, int weight) {
    Objects.requireNonNull(project, "project");
    if (weight < 1 || weight > MAX_WEIGHT) {
      throw invalid("the weight of " + project + " must be from 1 to " + MAX_WEIGHT + ", not "
          + weight);
    }
    ImmutableMap<ProjectId, Integer> w = ImmutableMap.<ProjectId, Integer>builder()
        .putAll(weights).put(project, weight).buildKeepingLast();
    return new QuotaPolicy(reserve, copies, w, images, uploads, members);
  }

  /**
   * {@return this policy with {@code images} live images ({@code image_count_total}) and {@code
   * uploads} uploads at a time ({@code image_count_uploading}) per project}
   *
   * @param images at least 0
   * @param uploads at least 0
   * @throws GovernanceException 400 {@code INVALID_REPORT_VALUE} if either is negative
   */
  public QuotaPolicy withCounts(long images, long uploads) {
    if (images < 0 || uploads < 0) {
      throw invalid("count limits must not be negative: " + images + " images, " + uploads
          + " uploads");
    }
    return new QuotaPolicy(reserve, copies, weights, images, uploads, members);
  }

  /**
   * {@return this policy with {@code members} members per image ({@code image_member_quota})}
   *
   * @param members at least 0
   * @throws GovernanceException 400 {@code INVALID_REPORT_VALUE} if negative
   */
  public QuotaPolicy withMembers(int members) {
    if (members < 0) {
      throw invalid("image_member_quota must not be negative: " + members);
    }
    return new QuotaPolicy(reserve, copies, weights, images, uploads, members);
  }

  private static GovernanceException invalid(String message) {
    return GovernanceException.of(RuleCode.INVALID_REPORT_VALUE, "Quota policy: " + message + ".");
  }

  /** {@return the share of every store's capacity kept free} */
  public double reserve() {
    return reserve;
  }

  /** {@return how many stores each image is expected to be kept in} */
  public int copies() {
    return copies;
  }

  /**
   * {@return the weight of {@code project} in the split (1 unless set)}
   *
   * @param project the project
   */
  public int weight(ProjectId project) {
    return weights.getOrDefault(project, 1);
  }

  /** {@return the live images per project ({@code image_count_total})} */
  public long images() {
    return images;
  }

  /** {@return the uploads at a time per project ({@code image_count_uploading})} */
  public long uploads() {
    return uploads;
  }

  /** {@return the members per image, or empty to keep the {@code image_member_quota} in force} */
  public OptionalInt members() {
    return members < 0 ? OptionalInt.empty() : OptionalInt.of(members);
  }
}
