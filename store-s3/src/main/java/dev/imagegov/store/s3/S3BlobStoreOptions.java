package dev.imagegov.store.s3;

import dev.imagegov.error.ConfigurationException;
import java.net.URI;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;
import org.immutables.value.Value;

/**
 * Where an {@link S3BlobStore} keeps its blobs and how it writes them: the {@link #bucket()} and
 * an optional key {@link #prefix()}; the endpoint, region, addressing style and credentials of
 * the client it builds (ignored when the store is given a client); the {@link #capacity()} it may
 * hold; and the sizes that bound a write's memory ({@link #partSize()}, {@link #chunkSize()},
 * {@link #partsInFlight()}).
 *
 * <p>A write holds at most {@code (partsInFlight + 1) * partSize} bytes of parts (one being
 * filled, the others uploading) plus a few chunks being hashed; with the defaults, 24 MiB and a
 * few MiB more.
 */
@Value.Immutable
public abstract class S3BlobStoreOptions {
  /**
   * S3's smallest part (except a multipart upload's last one), 5 MiB; the smallest {@link
   * #partSize()}.
   */
  public static final int MIN_PART_SIZE = 5 << 20;

  /** S3's largest part, 5 GiB; a part is at most {@code Integer.MAX_VALUE} bytes here. */
  static final long MAX_PART_SIZE = Integer.MAX_VALUE - 8;

  /** S3's most parts of one multipart upload. */
  static final int MAX_PARTS = 10_000;

  /** The default {@link #partSize()}, 8 MiB. */
  public static final int DEFAULT_PART_SIZE = 8 << 20;

  /** The default {@link #chunkSize()}, 1 MiB. */
  public static final int DEFAULT_CHUNK_SIZE = 1 << 20;

  /** S3's bucket naming rule (DNS-compatible names, 3 to 63 characters). */
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

  /**
   * {@return the bucket holding the blobs; it must exist (the store never creates or deletes it)}
   */
  public abstract String bucket();

  /**
   * Prepended to every blob key to form its object key ({@code images/} puts blob {@code k} at
   * {@code images/k}); empty by default. Several stores may share a bucket under different
   * prefixes; {@link S3BlobStore#keys()} lists only this prefix.
   *
   * @return the key prefix of every blob, empty for none
   */
  @Value.Default
  public String prefix() {
    return "";
  }

  /**
   * The endpoint of an S3-compatible service (Ceph RGW, MinIO, ...), such as {@code
   * http://127.0.0.1:9000}; empty for AWS S3's endpoint of {@link #region()}.
   *
   * @return the endpoint of an S3-compatible service, or empty for AWS S3's
   */
  public abstract Optional<URI> endpoint();

  /**
   * The region to sign requests for; {@code us-east-1} by default (what most S3-compatible
   * services expect).
   *
   * @return the signing region
   */
  @Value.Default
  public String region() {
    return "us-east-1";
  }

  /**
   * Whether objects are addressed as {@code endpoint/bucket/key} (path style, which most
   * S3-compatible services need) rather than {@code bucket.endpoint/key}; off by default.
   *
   * @return {@code true} for path-style addressing
   */
  @Value.Default
  public boolean pathStyleAccess() {
    return false;
  }

  /**
   * The access key id of static credentials; with {@link #secretAccessKey()}, or neither (the
   * SDK's default credentials chain: environment, system properties, profile, instance role).
   *
   * @return the static access key id, or empty for the default credentials chain
   */
  public abstract Optional<String> accessKeyId();

  /** {@return the secret access key of static credentials; never printed by {@code toString()}} */
  @Value.Redacted
  public abstract Optional<String> secretAccessKey();

  /**
   * The most bytes of blobs the store may hold; without it, no limit of its own. The store counts
   * the objects under its prefix when it opens, then its own writes and deletes.
   *
   * @return the store's byte limit, or empty for none of its own
   */
  public abstract OptionalLong capacity();

  /**
   * The size of a multipart upload's parts (the last may be smaller): a write that fits in one
   * part is one {@code PUT}, a larger one uploads parts of at least this size. At least {@link
   * #MIN_PART_SIZE}; 8 MiB by default. Parts per upload are limited to 10,000 by S3, so the part
   * size bounds the largest blob ({@code partSize * 10,000}, 80 GB by default).
   *
   * @return the size in bytes of each part of a multipart upload
   */
  @Value.Default
  public int partSize() {
    return DEFAULT_PART_SIZE;
  }

  /**
   * The largest chunk a write reads and hashes at once; at most {@link #partSize()}, 1 MiB by
   * default.
   *
   * @return the largest number of bytes a write reads and hashes at once
   */
  @Value.Default
  public int chunkSize() {
    return DEFAULT_CHUNK_SIZE;
  }

  /**
   * How many parts of one write may upload while the next is being read and filled; 2 by default,
   * at least 1. The write waits for an upload to finish before it fills a part beyond these.
   *
   * @return how many parts of one write may upload at once
   */
  @Value.Default
  public int partsInFlight() {
    return 2;
  }

  /**
   * Where the multihash of large chunks runs while MD5 runs on the writer's thread; empty (the
   * default) to run both on the writer's thread.
   *
   * @return the executor for the multihash of large chunks, or empty for the writer's thread
   */
  public abstract Optional<Executor> hashExecutor();

  /**
   * {@return the default options for {@code bucket}}
   *
   * @param bucket the existing bucket to hold the blobs
   */
  public static S3BlobStoreOptions of(String bucket) {
    return builder().bucket(bucket).build();
  }

  /** {@return a new builder} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return a builder holding this value's attributes} */
  public Builder toBuilder() {
    return builder().from(this);
  }

  @Value.Check
  void check() {
    if (!BUCKET.matcher(bucket()).matches()) {
      throw invalid("the bucket name '" + bucket() + "' is not a valid S3 bucket name"
          + " (3 to 63 lower-case letters, digits, '.' and '-')");
    }
    if (prefix().length() > 512 || prefix().startsWith("/")) {
      throw invalid("the key prefix '" + prefix() + "' must not start with '/' nor exceed 512"
          + " characters");
    }
    if (accessKeyId().isPresent() != secretAccessKey().isPresent()) {
      throw invalid("give both an access key id and a secret access key, or neither");
    }
    if (capacity().isPresent() && capacity().getAsLong() < 0) {
      throw invalid("the capacity must not be negative, not " + capacity().getAsLong());
    }
    if (partSize() < MIN_PART_SIZE || partSize() > MAX_PART_SIZE) {
      throw invalid("the part size must lie between S3's minimum of " + MIN_PART_SIZE
          + " bytes and " + MAX_PART_SIZE + ", not " + partSize());
    }
    if (chunkSize() < 1 || chunkSize() > partSize()) {
      throw invalid("the chunk size must lie between 1 and the part size of " + partSize()
          + " bytes, not " + chunkSize());
    }
    if (partsInFlight() < 1) {
      throw invalid("parts in flight must be at least 1, not " + partsInFlight());
    }
    endpoint().ifPresent(S3BlobStoreOptions::checkEndpoint);
  }

  private static void checkEndpoint(URI endpoint) {
    String scheme = endpoint.getScheme();
    if (!("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))
        || endpoint.getHost() == null) {
      throw invalid("the endpoint '" + endpoint + "' is not an http or https URL with a host");
    }
  }

  private static ConfigurationException invalid(String message) {
    return new ConfigurationException("S3 blob store: " + message);
  }

  /**
   * A builder of {@code S3BlobStoreOptions}: set attributes, then {@code build()}, which checks
   * the value. Not thread-safe.
   */
  public static final class Builder extends ImmutableS3BlobStoreOptions.Builder {
    Builder() {}
  }
}
