package dev.imagegov.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagegov.error.ConfigurationException;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.model.StoreId;
import dev.imagegov.spi.blob.BlobExistsException;
import dev.imagegov.spi.blob.BlobKey;
import dev.imagegov.spi.blob.BlobTooLargeException;
import dev.imagegov.spi.blob.BlobWriteResult;
import dev.imagegov.spi.blob.HashSpec;
import dev.imagegov.spi.blob.StoreFullException;
import dev.imagegov.testkit.gen.ByteStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * What S3BlobStore adds to the port's contract ({@link S3BlobStoreContractTest}), on S3Proxy on
 * loopback: blobs of several parts, a failure in any part aborting the multipart upload (no
 * object, no pending upload, no capacity), ranges across part boundaries, the bound on a write's
 * memory, conditional writes across two stores, prefixes, the maintenance of leftover uploads,
 * and failures of the service surfacing as the store's exceptions, never the SDK's.
 */
class S3BlobStoreTest {
  private static final int PART = S3BlobStoreOptions.MIN_PART_SIZE;
  private static final int CHUNK = 1 << 20;
  private static final BlobKey KEY = BlobKey.of("blob");
  private static final long UNLIMITED = Long.MAX_VALUE;

  private final LoopbackS3 s3 = LoopbackS3.get();
  private final List<S3BlobStore> opened = new ArrayList<>();
  private final List<S3Client> clients = new ArrayList<>();
  private final List<String> buckets = new ArrayList<>();

  @AfterEach
  void closeAndDrop() {
    opened.forEach(S3BlobStore::close);
    clients.forEach(S3Client::close);
    buckets.forEach(s3::dropBucket);
  }

  private String bucket() {
    String b = s3.newBucket();
    buckets.add(b);
    return b;
  }

  private S3BlobStoreOptions options(String bucket, UnaryOperator<S3BlobStoreOptions.Builder> o) {
    return o.apply(s3.options(bucket).toBuilder().partSize(PART).chunkSize(CHUNK)).build();
  }

  private S3BlobStore open(String bucket, UnaryOperator<S3BlobStoreOptions.Builder> o) {
    S3BlobStore store = S3BlobStore.open(StoreId.of("s3"), s3.client(), options(bucket, o));
    opened.add(store);
    return store;
  }

  private S3BlobStore open(UnaryOperator<S3BlobStoreOptions.Builder> o) {
    return open(bucket(), o);
  }

  /** A store whose own client passes every request through {@code interceptor}. */
  private S3BlobStore openIntercepted(String bucket, ExecutionInterceptor interceptor) {
    S3BlobStoreOptions options = options(bucket, b -> b);
    S3Client client = s3.interceptedClient(interceptor);
    clients.add(client);
    S3BlobStore store = S3BlobStore.open(StoreId.of("s3"), client, options);
    opened.add(store);
    return store;
  }

  private String etag(S3BlobStore store, BlobKey key) {
    return S3Upload.unquote(
        s3.client()
            .headObject(b -> b.bucket(store.options().bucket()).key(store.options().prefix() + key))
            .eTag());
  }

  private int pendingUploads(String bucket) {
    return s3.client().listMultipartUploads(b -> b.bucket(bucket)).uploads().size();
  }

  private static byte[] readAll(InputStream in) throws IOException {
    try (in) {
      return in.readAllBytes();
    }
  }

  private static void noTrace(S3BlobStore store, String bucket, LoopbackS3 s3, String when) {
    assertThat(store.exists(KEY)).as("%s: the key holds no blob", when).isFalse();
    assertThat(s3.client().listMultipartUploads(b -> b.bucket(bucket)).uploads())
        .as("%s: no multipart upload is left pending", when)
        .isEmpty();
    assertThat(store.capacity().used()).as("%s: no capacity is in use", when).isZero();
  }

  // ------------------------------------------------------------------------------ multipart

  @Test
  void aBlobOfSeveralPartsIsOneMultipartUploadWithTheJdksDigests() throws IOException {
    S3BlobStore store = open(b -> b);
    ByteStream s = ByteStream.of(2L * PART + CHUNK + 3, 7);
    BlobWriteResult r = store.write(KEY, s.open(), UNLIMITED, HashSpec.defaults());
    assertThat(r.size()).isEqualTo(s.size());
    assertThat(r.checksum()).as("the MD5 of the bytes").isEqualTo(s.md5());
    assertThat(r.multihash()).as("the SHA-512 of the bytes").isEqualTo(s.sha512());
    assertThat(etag(store, KEY))
        .as("the object is a multipart upload of three parts")
        .endsWith("-3");
    assertThat(s.sameBytesAs(store.read(KEY))).as("the blob reads back as written").isTrue();
    assertThat(store.size(KEY)).hasValue(s.size());
    assertThat(store.capacity().used()).isEqualTo(s.size());
    assertThat(pendingUploads(store.options().bucket())).as("no upload left pending").isZero();
  }

  @Test
  void aBlobThatFitsInOnePartIsOnePutAndALargerOneAMultipartUpload() throws IOException {
    S3BlobStore store = open(b -> b);
    for (long size : List.of(0L, 1L, (long) PART - 1, (long) PART)) {
      BlobKey key = BlobKey.of("single-" + size);
      ByteStream s = ByteStream.of(size, size);
      assertThat(store.write(key, s.open(), UNLIMITED, HashSpec.defaults()).checksum())
          .isEqualTo(s.md5());
      assertThat(etag(store, key))
          .as("a blob of %s bytes (part size %s) is one PUT: its ETag is its MD5", size, PART)
          .isEqualTo(s.md5());
      assertThat(s.sameBytesAs(store.read(key))).isTrue();
    }
    for (long size : List.of((long) PART + CHUNK + 1, 2L * PART + CHUNK)) {
      BlobKey key = BlobKey.of("multi-" + size);
      ByteStream s = ByteStream.of(size, size);
      assertThat(store.write(key, s.open(), UNLIMITED, HashSpec.defaults()).checksum())
          .isEqualTo(s.md5());
      assertThat(etag(store, key))
          .as("a blob of %s bytes is a multipart upload", size)
          .matches("[0-9a-f]{32}-[0-9]+");
      assertThat(s.sameBytesAs(store.read(key))).isTrue();
    }
  }

  @Test
  void rangesAcrossPartBoundariesReadTheSlice() throws IOException {
    S3BlobStore store = open(b -> b);
    ByteStream s = ByteStream.of(2L * PART + CHUNK + 5, 3);
    store.write(KEY, s.open(), UNLIMITED, HashSpec.defaults());
    byte[] data = s.bytes();
    long[][] ranges = {
      {PART - 1, 2}, {PART, 1}, {PART - 10, PART + 20}, {0, data.length}, {2L * PART - 1, 3},
      {data.length - 1, 1}, {data.length, 0}, {CHUNK - 1, 2}
    };
    for (long[] r : ranges) {
      assertThat(readAll(store.read(KEY, r[0], r[1])))
          .as("read(offset %s, length %s)", r[0], r[1])
          .isEqualTo(Arrays.copyOfRange(data, (int) r[0], (int) (r[0] + r[1])));
    }
  }

  @Test
  void aWriteHoldsAtMostPartsInFlightPlusOnePartsInMemory() throws IOException {
    S3BlobStore store = open(b -> b.partsInFlight(1));
    ByteStream s = ByteStream.of(8L * PART, 11);
    store.write(KEY, s.open(), UNLIMITED, HashSpec.defaults());
    assertThat(etag(store, KEY)).endsWith("-8");
    assertThat(store.peakPartBytes())
        .as("bytes a write of 8 parts held at once, with one part in flight")
        .isGreaterThanOrEqualTo(PART)
        .isLessThanOrEqualTo(2L * (PART + CHUNK));
  }

  // --------------------------------------------------------------------- failures abort it

  @Test
  void aStreamFailingInAnyPartAbortsTheUploadAndLeavesNothing() throws IOException {
    String bucket = bucket();
    S3BlobStore store = open(bucket, b -> b);
    for (long at : List.of(1L, PART - 1L, PART + CHUNK + 1L, 2L * PART + 2 * CHUNK + 5)) {
      ByteStream s = ByteStream.of(3L * PART + CHUNK, at);
      assertThatThrownBy(() -> store.write(KEY, s.failingAfter(at), UNLIMITED, HashSpec.defaults()))
          .as("a stream failing after %s bytes", at)
          .isInstanceOf(IOException.class);
      noTrace(store, bucket, s3, "after a stream failed after " + at + " bytes");
    }
    ByteStream again = ByteStream.of(2L * PART + 1, 1);
    store.write(KEY, again.open(), UNLIMITED, HashSpec.defaults());
    assertThat(again.sameBytesAs(store.read(KEY))).as("the key can be written afterwards").isTrue();
  }

  @Test
  void aStreamOverTheLimitInALaterPartAbortsTheUpload() {
    String bucket = bucket();
    S3BlobStore store = open(bucket, b -> b);
    long limit = 2L * PART + 10;
    assertThatThrownBy(
            () -> store.write(KEY, ByteStream.of(3L * PART, 1).open(), limit, HashSpec.defaults()))
        .isInstanceOf(BlobTooLargeException.class);
    noTrace(store, bucket, s3, "after a write over its limit of " + limit + " bytes");
  }

  @Test
  void aWriteThatFillsTheStoreInALaterPartAbortsTheUpload() {
    String bucket = bucket();
    S3BlobStore store = open(bucket, b -> b.capacity(PART + 3L * CHUNK));
    assertThatThrownBy(
            () ->
                store.write(
                    KEY, ByteStream.of(3L * PART, 1).open(), UNLIMITED, HashSpec.defaults()))
        .isInstanceOf(StoreFullException.class);
    noTrace(store, bucket, s3, "after a write refused for capacity");
  }

  @Test
  void aServiceFailureOfOnePartAbortsTheUploadWithAnIoExceptionNotTheSdks() {
    String bucket = bucket();
    ExecutionInterceptor failSecondPart =
        new ExecutionInterceptor() {
          @Override
          public void beforeExecution(
              Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof UploadPartRequest
                && ((UploadPartRequest) context.request()).partNumber() == 2) {
              throw SdkClientException.create("injected: the connection was reset");
            }
          }
        };
    S3BlobStore store = openIntercepted(bucket, failSecondPart);
    Throwable t =
        org.assertj.core.api.Assertions.catchThrowable(
            () ->
                store.write(
                    KEY, ByteStream.of(3L * PART, 2).open(), UNLIMITED, HashSpec.defaults()));
    assertThat(t)
        .isInstanceOf(IOException.class)
        .isNotInstanceOf(SdkException.class)
        .hasMessageContaining("uploading part 2")
        .hasMessageContaining("injected");
    noTrace(store, bucket, s3, "after the service failed part 2");
  }

  // ------------------------------------------------------------------------- several nodes

  @Test
  void aKeyWrittenThroughAnotherStoreOnTheBucketIsNotOverwritten() throws IOException {
    String bucket = bucket();
    S3BlobStore first = open(bucket, b -> b);
    S3BlobStore second = open(bucket, b -> b);
    ByteStream s = ByteStream.of(100, 1);
    first.write(KEY, s.open(), UNLIMITED, HashSpec.defaults());
    assertThatThrownBy(
            () -> second.write(KEY, ByteStream.of(5, 2).open(), UNLIMITED, HashSpec.defaults()))
        .isInstanceOf(BlobExistsException.class);
    assertThat(s.sameBytesAs(first.read(KEY))).as("the first store's blob is intact").isTrue();
    assertThat(second.size(KEY)).as("the second store sees the first one's blob").hasValue(100);
  }

  @Test
  void storesUnderDifferentPrefixesShareABucketAndOpeningCountsWhatIsStored() throws IOException {
    String bucket = bucket();
    S3BlobStore a = open(bucket, b -> b.prefix("a/"));
    S3BlobStore b = open(bucket, o -> o.prefix("b/"));
    a.write(KEY, ByteStream.of(1000, 1).open(), UNLIMITED, HashSpec.defaults());
    b.write(BlobKey.of("other"), ByteStream.of(10, 2).open(), UNLIMITED, HashSpec.defaults());
    assertThat(a.keys()).containsExactly(KEY);
    assertThat(b.keys()).containsExactly(BlobKey.of("other"));
    assertThat(b.exists(KEY)).isFalse();
    assertThat(a.url(KEY)).isEqualTo("s3://" + bucket + "/a/blob");
    S3BlobStore reopened = open(bucket, o -> o.prefix("a/"));
    assertThat(reopened.capacity().used())
        .as("a store opened on a prefix counts the objects stored under it")
        .isEqualTo(1000);
  }

  @Test
  void abortUploadsBeforeRemovesUploadsLeftByADeadWriter() {
    String bucket = bucket();
    S3BlobStore store = open(bucket, b -> b.prefix("p/"));
    s3.client().createMultipartUpload(b -> b.bucket(bucket).key("p/left-behind"));
    s3.client().createMultipartUpload(b -> b.bucket(bucket).key("elsewhere"));
    assertThat(store.abortUploadsBefore(Instant.EPOCH))
        .as("no upload was started before the epoch")
        .isZero();
    assertThat(store.abortUploadsBefore(Instant.now().plusSeconds(3600)))
        .as("uploads under the store's prefix")
        .isEqualTo(1);
    assertThat(s3.client().listMultipartUploads(b -> b.bucket(bucket)).uploads())
        .extracting(u -> u.key())
        .containsExactly("elsewhere");
  }

  // ----------------------------------------------------------------------------- failures

  @Test
  void serviceFailuresAreTheStoresExceptionsWithStableCodes() throws IOException {
    String bucket = bucket();
    AtomicBoolean broken = new AtomicBoolean();
    S3BlobStore store =
        openIntercepted(
            bucket,
            new ExecutionInterceptor() {
              @Override
              public void beforeExecution(
                  Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (broken.get()) {
                  throw SdkClientException.create("injected: the service is unreachable");
                }
              }
            });
    store.write(KEY, ByteStream.of(10, 1).open(), UNLIMITED, HashSpec.defaults());
    broken.set(true);
    for (ThrowingCall call :
        List.<ThrowingCall>of(
            () -> store.read(KEY),
            () -> store.read(KEY, 0, 1),
            () -> store.delete(KEY),
            () ->
                store.write(
                    BlobKey.of("new"), ByteStream.of(1, 1).open(), 1, HashSpec.defaults()))) {
      assertThatThrownBy(call::run)
          .isInstanceOf(IOException.class)
          .isNotInstanceOf(SdkException.class)
          .hasMessageContaining("S3 blob store s3")
          .hasMessageContaining("unreachable");
    }
    for (ThrowingCall call :
        List.<ThrowingCall>of(() -> store.size(KEY), store::keys)) {
      assertThatThrownBy(call::run)
          .isInstanceOfSatisfying(
              GovernanceException.class,
              e -> assertThat(e.code()).isEqualTo(StoreErrorCode.STORE_FAILED));
    }
    broken.set(false);
    assertThat(store.size(KEY)).as("the failed calls changed nothing").hasValue(10);
  }

  @Test
  void openingAMissingBucketIsAConfigurationError() {
    assertThatThrownBy(
            () -> S3BlobStore.open(StoreId.of("s3"), s3.client(), s3.options("no-such-bucket")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("no-such-bucket")
        .hasMessageContaining("does not exist");
  }

  @Test
  void openingWithWrongCredentialsIsAStoreFailureNamingTheStatus() {
    String bucket = bucket();
    S3BlobStoreOptions wrong =
        s3.options(bucket).toBuilder().secretAccessKey("not-the-secret").build();
    assertThatThrownBy(() -> S3BlobStore.open(StoreId.of("s3"), wrong))
        .isInstanceOfSatisfying(
            GovernanceException.class,
            e -> assertThat(e.code()).isEqualTo(StoreErrorCode.STORE_FAILED))
        .hasMessageContaining("HTTP 403");
  }

  @Test
  void aStoreOpenedFromOptionsBuildsAndClosesItsOwnClient() throws IOException {
    String bucket = bucket();
    S3BlobStore store = S3BlobStore.open(StoreId.of("own"), s3.options(bucket));
    ByteStream s = ByteStream.of(PART + CHUNK + 1, 5);
    store.write(KEY, s.open(), UNLIMITED, HashSpec.defaults());
    assertThat(s.sameBytesAs(store.read(KEY))).isTrue();
    store.close();
    assertThatThrownBy(store::keys)
        .isInstanceOfSatisfying(
            GovernanceException.class,
            e -> assertThat(e.code()).isEqualTo(StoreErrorCode.STORE_FAILED));
  }

  @FunctionalInterface
  interface ThrowingCall {
    Object run() throws Exception;
  }
}
