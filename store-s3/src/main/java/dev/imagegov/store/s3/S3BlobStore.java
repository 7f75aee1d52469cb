package dev.imagegov.store.s3;

import com.google.common.util.concurrent.Striped;
import dev.imagegov.error.ConfigurationException;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.model.StoreId;
import dev.imagegov.spi.blob.BlobDigester;
import dev.imagegov.spi.blob.BlobExistsException;
import dev.imagegov.spi.blob.BlobKey;
import dev.imagegov.spi.blob.BlobNotFoundException;
import dev.imagegov.spi.blob.BlobStore;
import dev.imagegov.spi.blob.BlobTransfer;
import dev.imagegov.spi.blob.BlobWriteResult;
import dev.imagegov.spi.blob.Capacity;
import dev.imagegov.spi.blob.HashSpec;
import dev.imagegov.spi.blob.StoreFullException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadBucketRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A {@link BlobStore} in a bucket of S3-compatible object storage (AWS S3, Ceph RGW, MinIO,
 * S3Proxy), on the AWS SDK for Java 2, so that several application nodes can share one store.
 * Blob {@code k} is the object {@code prefix + k} of the bucket. Every guarantee of the port
 * holds:
 *
 * <ul>
 *   <li><b>One pass, bounded memory.</b> A write streams its input once, hashing it on the way
 *       ({@link BlobTransfer}, {@link BlobDigester}), into parts of {@link
 *       S3BlobStoreOptions#partSize()}: a blob that fits in one part is one {@code PUT}, a larger
 *       one a multipart upload whose parts upload while the next is being read, at most {@link
 *       S3BlobStoreOptions#partsInFlight()} at once. The write never holds more than {@code
 *       (partsInFlight + 1)} parts (plus one chunk).
 *   <li><b>Verified.</b> Every part and every single {@code PUT} carries its {@code
 *       Content-MD5}, which the service checks; an ETag that contradicts the data sent fails the
 *       write (and the object is removed).
 *   <li><b>Atomic visibility, nothing left behind.</b> S3 shows an object only when its {@code
 *       PUT} or the completion of its multipart upload succeeds. A write that fails for any
 *       reason (its stream, the byte limit, the capacity, the service, an interrupt) waits for
 *       its parts still uploading and aborts its multipart upload, so neither an object nor a
 *       pending upload (nor its capacity) remains.
 *   <li><b>No torn reads.</b> A whole read is one {@code GET}; a range read is a {@code HEAD} for
 *       the size, then a ranged {@code GET} with {@code If-Match} on the ETag it found, so it
 *       never mixes two versions of a key. A stream that ends before its length fails.
 *   <li><b>Keys are written once.</b> A write refuses a key this store is writing, or that holds
 *       an object ({@code HEAD}), and sends {@code If-None-Match: *} on its {@code PUT} or
 *       completion, so that a service that supports conditional writes (AWS S3, MinIO, Ceph)
 *       also refuses a key another node wrote meanwhile.
 *   <li><b>Capacity</b> is the configured {@link S3BlobStoreOptions#capacity()}; used is the size
 *       of the objects under the prefix when the store opened (one {@code LIST} page per 1,000
 *       objects) plus this store's own writes (counted while they run) less its deletes. Writes
 *       of other nodes into the same bucket are counted when a store opens.
 * </ul>
 *
 * <p>Failures of the service are {@link IOException}s naming the operation, HTTP status, S3
 * error code and request id (core answers them with {@link StoreErrorCode#STORE_FAILED}), or {@link
 * GovernanceException}s with {@link StoreErrorCode#STORE_FAILED} from the methods that declare no
 * {@code IOException}; the SDK's exceptions never escape. Thread-safe: writes of different keys
 * and all reads run in parallel. {@link #close()} stops the store's upload threads and closes the
 * client if the store built it.
 */
public final class S3BlobStore implements BlobStore, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(S3BlobStore.class.getName());

  private final StoreId id;
  private final S3Client client;
  private final boolean ownsClient;
  private final S3BlobStoreOptions options;
  private final String bucket;
  private final String prefix;
  private final ExecutorService uploads;
  /** Keys being written by this store: a second write of one is refused. */
  private final Set<BlobKey> writing = ConcurrentHashMap.newKeySet();
  /** Serialises deleting a key (so two deletes of one blob release its capacity once). */
  private final Striped<Lock> keyLocks = Striped.lock(256);
  /** Bytes of stored blobs plus bytes reserved by writes in progress. */
  private final AtomicLong used;
  /** The most bytes one write held in parts at once, since the store opened. */
  private final AtomicLong peakPartBytes = new AtomicLong();
  private final AtomicBoolean closed = new AtomicBoolean();

  private S3BlobStore(
      StoreId id, S3Client client, boolean ownsClient, S3BlobStoreOptions options, long used) {
    this.id = id;
    this.client = client;
    this.ownsClient = ownsClient;
    this.options = options;
    this.bucket = options.bucket();
    this.prefix = options.prefix();
    this.used = new AtomicLong(used);
    AtomicInteger n = new AtomicInteger();
    this.uploads =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "imagegov-s3-upload-" + id + "-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Opens the store {@code id} on the bucket of {@code options} with a client built from them
   * (endpoint, region, path style, credentials; the SDK's Apache HttpClient 5 client, which
   * streams request bodies instead of buffering them; checksums only where S3 requires them,
   * since the store sends {@code Content-MD5} itself). The store closes this client.
   *
   * @param id the id the store answers to
   * @param options the bucket, prefix, client and write options
   * @return the open store, counting the bytes already under its prefix
   * @throws ConfigurationException if the bucket does not
   *     exist; {@link StoreErrorCode#STORE_FAILED} if the service cannot be reached or refuses access
   */
  public static S3BlobStore open(StoreId id, S3BlobStoreOptions options) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(options, "options");
    S3Client client = buildClient(options);
    try {
      return open(id, client, true, options);
    } catch (RuntimeException | Error e) {
      client.close();
      throw e;
    }
  }

  /**
   * Opens the store {@code id} on the bucket of {@code options} with the caller's {@code client}
   * (whose endpoint, region, credentials and HTTP client are then the caller's; the client
   * options of {@code options} are ignored). The store does not close it.
   *
   * @param id the id the store answers to
   * @param client the caller's S3 client, which the caller keeps and closes
   * @param options the bucket, prefix and write options
   * @return the open store, counting the bytes already under its prefix
   * @throws ConfigurationException if the bucket does not
   *     exist; {@link StoreErrorCode#STORE_FAILED} if the service cannot be reached or refuses access
   */
  public static S3BlobStore open(StoreId id, S3Client client, S3BlobStoreOptions options) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(options, "options");
    return open(id, client, false, options);
  }

  private static S3BlobStore open(
      StoreId id, S3Client client, boolean ownsClient, S3BlobStoreOptions options) {
    String where =
        "bucket " + options.bucket() + options.endpoint().map(e -> " at " + e).orElse("");
    try {
      client.headBucket(HeadBucketRequest.builder().bucket(options.bucket()).build());
    } catch (SdkException e) {
      if (S3Failures.notFound(e)) {
        throw new ConfigurationException("S3 blob store " + id + ": the " + where + " does not exist; create it first", e);
      }
      throw S3Failures.failed(id.toString(), "opening the " + where, e);
    }
    long used = 0;
    try {
      for (S3Object o : listObjects(client, options.bucket(), options.prefix())) {
        used += o.size() == null ? 0 : o.size();
      }
    } catch (SdkException e) {
      throw S3Failures.failed(id.toString(), "listing the " + where, e);
    }
    return new S3BlobStore(id, client, ownsClient, options, used);
  }

  /** The client {@link #open(StoreId, S3BlobStoreOptions)} builds. */
  static S3Client buildClient(S3BlobStoreOptions options) {
    return clientBuilder(options).build();
  }

  /** A builder of the client {@link #open(StoreId, S3BlobStoreOptions)} builds, to add to. */
  static S3ClientBuilder clientBuilder(S3BlobStoreOptions options) {
    S3ClientBuilder builder =
        S3Client.builder()
            .httpClientBuilder(Apache5HttpClient.builder())
            .region(Region.of(options.region()))
            .forcePathStyle(options.pathStyleAccess())
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    options.endpoint().ifPresent(builder::endpointOverride);
    if (options.accessKeyId().isPresent()) {
      builder.credentialsProvider(
          StaticCredentialsProvider.create(
              AwsBasicCredentials.create(
                  options.accessKeyId().get(), options.secretAccessKey().orElseThrow())));
    } else {
      builder.credentialsProvider(DefaultCredentialsProvider.builder().build());
    }
    return builder;
  }

  private static Iterable<S3Object> listObjects(S3Client client, String bucket, String prefix) {
    ListObjectsV2Request.Builder request = ListObjectsV2Request.builder().bucket(bucket);
    if (!prefix.isEmpty()) {
      request.prefix(prefix);
    }
    return client.listObjectsV2Paginator(request.build()).contents();
  }

  @Override
  public StoreId id() {
    return id;
  }

  /** {@return the options the store was opened with} */
  public S3BlobStoreOptions options() {
    return options;
  }

  private String objectKey(BlobKey key) {
    return prefix + key.value();
  }

  // ------------------------------------------------------------------------------------ write

  @Override
  public BlobWriteResult write(BlobKey key, InputStream in, long maxBytes, HashSpec hashes)
      throws IOException {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(hashes, "hashes");
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes must not be negative: " + maxBytes);
    }
    ensureOpen();
    if (!writing.add(key)) {
      throw new BlobExistsException("blob " + key + " is being written in store " + id);
    }
    long[] reserved = {0};
    boolean stored = false;
    S3Upload upload =
        new S3Upload(
            client, id.toString(), bucket, objectKey(key), options, uploads, peakPartBytes);
    try {
      if (head(key, "checking for").isPresent()) {
        throw new BlobExistsException("blob " + key + " exists in store " + id);
      }
      BlobDigester digester =
          options.hashExecutor().isPresent()
              ? BlobDigester.parallel(hashes, options.hashExecutor().get())
              : BlobDigester.inline(hashes);
      long size =
          BlobTransfer.transfer(
              in,
              maxBytes,
              options.chunkSize(),
              digester,
              (chunk, length) -> {
                reserve(length);
                reserved[0] += length;
                return upload.accept(chunk, length);
              });
      BlobDigester.Digests digests = digester.finish();
      upload.complete(digests);
      stored = true;
      return new BlobWriteResult(
          key, url(key), size, digests.checksum(), digests.algorithm(), digests.multihash());
    } catch (IOException | RuntimeException | Error e) {
      Exception abortFailure = upload.abort();
      if (abortFailure != null) {
        e.addSuppressed(abortFailure);
      }
      throw e;
    } finally {
      upload.release();
      if (!stored) {
        used.addAndGet(-reserved[0]);
      }
      writing.remove(key);
    }
  }

  private void reserve(long bytes) throws StoreFullException {
    long total = total();
    while (true) {
      long u = used.get();
      if (bytes > total - u) {
        throw new StoreFullException(
            "store " + id + " is full: " + u + " of " + total + " bytes used");
      }
      if (used.compareAndSet(u, u + bytes)) {
        return;
      }
    }
  }

  // ------------------------------------------------------------------------------------- read

  @Override
  public InputStream read(BlobKey key) throws IOException {
    Objects.requireNonNull(key, "key");
    ensureOpen();
    ResponseInputStream<GetObjectResponse> response =
        get(key, GetObjectRequest.builder().bucket(bucket).key(objectKey(key)).build());
    Long length = response.response().contentLength();
    return new S3ReadStream(response, length == null ? -1 : length, id + "/" + key);
  }

  @Override
  public InputStream read(BlobKey key, long offset, long length) throws IOException {
    Objects.requireNonNull(key, "key");
    if (offset < 0 || length < 0) {
      throw new IndexOutOfBoundsException(
          "a range must not be negative: offset " + offset + ", length " + length);
    }
    ensureOpen();
    for (int attempt = 0; ; attempt++) {
      HeadObjectResponse head =
          head(key, "reading").orElseThrow(() -> notFound(key));
      long size = head.contentLength();
      Objects.checkFromIndexSize(offset, length, size);
      if (length == 0) {
        return InputStream.nullInputStream();
      }
      try {
        ResponseInputStream<GetObjectResponse> response =
            get(
                key,
                GetObjectRequest.builder()
                    .bucket(bucket)
                    .key(objectKey(key))
                    .ifMatch(head.eTag())
                    .range("bytes=" + offset + "-" + (offset + length - 1))
                    .build());
        return new S3ReadStream(response, length, id + "/" + key);
      } catch (VersionChanged e) {
        if (attempt >= 2) {
          throw new IOException(
              "S3 blob store " + id + ": blob " + key + " changed during each of 3 reads", e);
        }
      }
    }
  }

  /** The blob was replaced between the HEAD that sized a range and its GET. */
  private static final class VersionChanged extends IOException {
    private static final long serialVersionUID = 1L;

    VersionChanged(String message) {
      super(message);
    }
  }

  private ResponseInputStream<GetObjectResponse> get(BlobKey key, GetObjectRequest request)
      throws IOException {
    try {
      return client.getObject(request);
    } catch (SdkException e) {
      if (S3Failures.notFound(e)) {
        throw notFound(key);
      }
      if (S3Failures.preconditionFailed(e)) {
        throw new VersionChanged("blob " + key + " changed");
      }
      throw S3Failures.io(id.toString(), "reading " + objectKey(key), e);
    }
  }

  private BlobNotFoundException notFound(BlobKey key) {
    return new BlobNotFoundException("no blob " + key + " in store " + id);
  }

  /** The object's metadata, or empty if it does not exist. */
  private Optional<HeadObjectResponse> head(BlobKey key, String what)
      throws IOException {
    try {
      return Optional.of(
          client.headObject(
              HeadObjectRequest.builder().bucket(bucket).key(objectKey(key)).build()));
    } catch (SdkException e) {
      if (S3Failures.notFound(e)) {
        return Optional.empty();
      }
      throw S3Failures.io(id.toString(), what + " " + objectKey(key), e);
    }
  }

  @Override
  public OptionalLong size(BlobKey key) {
    Objects.requireNonNull(key, "key");
    ensureOpen();
    try {
      return head(key, "sizing").map(h -> OptionalLong.of(h.contentLength()))
          .orElse(OptionalLong.empty());
    } catch (IOException e) {
      throw S3Failures.failed(e.getMessage(), e.getCause());
    }
  }

  /**
   * The keys of the objects under the prefix, in the service's (lexicographic) order; objects
   * whose remaining name is not a {@link BlobKey} are left out.
   *
   * @throws GovernanceException {@link StoreErrorCode#STORE_FAILED} if the listing fails
   */
  @Override
  public List<BlobKey> keys() {
    ensureOpen();
    List<BlobKey> keys = new ArrayList<>();
    try {
      for (S3Object o : listObjects(client, bucket, prefix)) {
        BlobKey key = keyOf(o.key());
        if (key != null) {
          keys.add(key);
        }
      }
    } catch (SdkException e) {
      throw S3Failures.failed(id.toString(), "listing bucket " + bucket, e);
    }
    return List.copyOf(keys);
  }

  private @Nullable BlobKey keyOf(String objectKey) {
    if (!objectKey.startsWith(prefix)) {
      return null;
    }
    try {
      return BlobKey.of(objectKey.substring(prefix.length()));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** {@code s3://bucket/objectKey}. */
  @Override
  public String url(BlobKey key) {
    return "s3://" + bucket + "/" + objectKey(Objects.requireNonNull(key, "key"));
  }

  // ----------------------------------------------------------------------------------- delete

  @Override
  public boolean delete(BlobKey key) throws IOException {
    Objects.requireNonNull(key, "key");
    ensureOpen();
    Lock lock = keyLocks.get(key);
    lock.lock();
    try {
      Optional<HeadObjectResponse> head = head(key, "deleting");
      if (head.isEmpty()) {
        return false;
      }
      try {
        client.deleteObject(
            DeleteObjectRequest.builder().bucket(bucket).key(objectKey(key)).build());
      } catch (SdkException e) {
        throw S3Failures.io(id.toString(), "deleting " + objectKey(key), e);
      }
      long size = head.get().contentLength();
      used.updateAndGet(u -> Math.max(0, u - size));
      return true;
    } finally {
      lock.unlock();
    }
  }

  // --------------------------------------------------------------------------------- capacity

  @Override
  public Capacity capacity() {
    ensureOpen();
    return new Capacity(total(), Math.max(0, used.get()));
  }

  private long total() {
    return options.capacity().orElse(Long.MAX_VALUE);
  }

  /** The most bytes one write held in parts at once since the store opened (for tests). */
  long peakPartBytes() {
    return peakPartBytes.get();
  }

  // ------------------------------------------------------------------------------ maintenance

  /**
   * Aborts the multipart uploads under the prefix that were started before {@code cutoff}: the
   * leftovers of writers that died mid-upload (a process killed, a machine lost), which S3 keeps
   * (and bills) but never shows. Choose a cutoff older than any write still running on any node;
   * a bucket lifecycle rule ({@code AbortIncompleteMultipartUpload}) does the same on the service.
   *
   * @param cutoff uploads started before this instant are aborted
   * @return how many uploads were aborted
   * @throws GovernanceException {@link StoreErrorCode#STORE_FAILED} if listing or aborting fails
   */
  public int abortUploadsBefore(Instant cutoff) {
    Objects.requireNonNull(cutoff, "cutoff");
    ensureOpen();
    int aborted = 0;
    try {
      ListMultipartUploadsRequest.Builder request =
          ListMultipartUploadsRequest.builder().bucket(bucket);
      if (!prefix.isEmpty()) {
        request.prefix(prefix);
      }
      for (MultipartUpload u : client.listMultipartUploadsPaginator(request.build()).uploads()) {
        if (u.initiated() != null && u.initiated().isBefore(cutoff)) {
          client.abortMultipartUpload(
              AbortMultipartUploadRequest.builder()
                  .bucket(bucket)
                  .key(u.key())
                  .uploadId(u.uploadId())
                  .build());
          aborted++;
        }
      }
    } catch (SdkException e) {
      throw S3Failures.failed(id.toString(), "aborting old uploads in bucket " + bucket, e);
    }
    return aborted;
  }

  // ---------------------------------------------------------------------------------- closing

  /**
   * Stops the store's upload threads and closes the client if the store built it; idempotent.
   * Every call afterwards fails with {@link StoreErrorCode#STORE_FAILED}.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    uploads.shutdown();
    if (ownsClient) {
      try {
        client.close();
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "Could not close the S3 client of store " + id, e);
      }
    }
  }

  private void ensureOpen() {
    if (closed.get()) {
      throw GovernanceException.of(
          StoreErrorCode.STORE_FAILED,
          "The S3 blob store " + id + " on bucket " + bucket + " is closed.");
    }
  }

  @Override
  public String toString() {
    return "S3BlobStore[" + id + " on s3://" + bucket + "/" + prefix + "]";
  }
}
