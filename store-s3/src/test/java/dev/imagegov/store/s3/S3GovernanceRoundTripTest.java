package dev.imagegov.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.imagegov.GovernanceConfig;
import dev.imagegov.ImageGovernance;
import dev.imagegov.NewImage;
import dev.imagegov.access.Caller;
import dev.imagegov.data.ByteRange;
import dev.imagegov.data.ContentRange;
import dev.imagegov.data.ImageDownload;
import dev.imagegov.error.ErrorCode;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.StoreId;
import dev.imagegov.model.Visibility;
import dev.imagegov.spi.blob.BlobKey;
import dev.imagegov.store.memory.MemoryCatalog;
import dev.imagegov.testkit.gen.ByteStream;
import dev.imagegov.testkit.model.GovernanceModelCheck;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * {@link ImageGovernance} on an S3BlobStore over S3Proxy on loopback: the testkit's model check
 * (every persona's answers after every step of generated histories with uploads, as on the other
 * stores); an upload of several parts
 * and its download (whole and by range) round-trip with Glance's checksum and multihash; a
 * refused upload leaves nothing in the bucket; a failure of the service is {@code STORE_FAILED}
 * and leaves the image queued; deleting the image deletes its object; a caller who may not see
 * the image cannot download it.
 */
class S3GovernanceRoundTripTest {
  private static final StoreId STORE = StoreId.of("s3");
  private static final Caller OWNER = Caller.of("producer", "member", "reader");
  private static final Caller OUTSIDER = Caller.of("outsider", "member", "reader");
  private static final int PART = S3BlobStoreOptions.MIN_PART_SIZE;

  private final LoopbackS3 s3 = LoopbackS3.get();
  private final String bucket = s3.newBucket();
  private S3BlobStore store;
  private S3Client client;

  @AfterEach
  void closeAndDrop() {
    if (store != null) {
      store.close();
    }
    if (client != null) {
      client.close();
    }
    s3.dropBucket(bucket);
  }

  private ImageGovernance governance(GovernanceConfig config, long capacity) {
    return governance(config, capacity, s3.client());
  }

  private ImageGovernance governance(GovernanceConfig config, long capacity, S3Client client) {
    store =
        S3BlobStore.open(
            STORE,
            client,
            s3.options(bucket).toBuilder()
                .partSize(PART)
                .chunkSize(1 << 20)
                .capacity(capacity)
                .build());
    return ImageGovernance.builder()
        .catalog(new MemoryCatalog())
        .blobStore(store)
        .config(config)
        .clock(Clock.fixed(Instant.parse("2026-12-07T00:00:00Z"), ZoneOffset.UTC))
        .build();
  }

  private static Image queued(ImageGovernance g) {
    return g.images()
        .create(
            OWNER,
            NewImage.builder()
                .diskFormat("raw")
                .containerFormat("bare")
                .visibility(Visibility.PRIVATE)
                .build());
  }

  private int pendingUploads() {
    return s3.client().listMultipartUploads(b -> b.bucket(bucket)).uploads().size();
  }

  /**
   * Uploads {@code data} into {@code image}, which must be refused with one of {@code codes} and
   * leave the image queued, the bucket without object or pending upload, and no capacity used.
   */
  private GovernanceException refused(
      ImageGovernance g, Image image, ByteStream data, OptionalLong declared, ErrorCode... codes) {
    Throwable t =
        catchThrowable(() -> g.data().upload(OWNER, image.id(), data.open(), declared));
    assertThat(t).as("the upload of %s", data).isInstanceOf(GovernanceException.class);
    GovernanceException e = (GovernanceException) t;
    assertThat(e.code()).isIn((Object[]) codes);
    assertThat(g.images().get(OWNER, image.id()).status()).isEqualTo(ImageStatus.QUEUED);
    assertThat(store.keys()).as("objects after a refused upload").isEmpty();
    assertThat(pendingUploads()).as("pending uploads after a refused upload").isZero();
    assertThat(store.capacity().used()).as("capacity after a refused upload").isZero();
    return e;
  }

  @Test
  void governanceOnTheS3StoreAgreesWithTheReferenceModelAfterEveryStep() {
    List<S3BlobStore> stores = new ArrayList<>();
    List<String> buckets = new ArrayList<>();
    try {
      GovernanceModelCheck.against(
              () -> {
                String b = s3.newBucket();
                buckets.add(b);
                S3BlobStore s = S3BlobStore.open(STORE, s3.client(), s3.options(b));
                stores.add(s);
                return ImageGovernance.builder()
                    .catalog(new MemoryCatalog())
                    .blobStore(s)
                    .clock(Clock.fixed(Instant.parse("2026-12-07T00:00:00Z"), ZoneOffset.UTC))
                    .build();
              })
          .run();
    } finally {
      stores.forEach(S3BlobStore::close);
      buckets.forEach(s3::dropBucket);
    }
  }

  @Test
  void anUploadOfSeveralPartsDownloadsWholeAndByRangeWithGlancesHashes() throws IOException {
    ImageGovernance g = governance(GovernanceConfig.defaults(), Long.MAX_VALUE);
    Image image = queued(g);
    ByteStream data = ByteStream.of(2L * PART + (1 << 20) + 12345, 42);
    Image active = g.data().upload(OWNER, image.id(), data.open(), OptionalLong.of(data.size()));

    assertThat(active.status()).isEqualTo(ImageStatus.ACTIVE);
    assertThat(active.checksum()).hasValue(data.md5());
    assertThat(active.osHashValue()).hasValue(data.sha512());
    assertThat(store.size(BlobKey.of(image.id()))).hasValue(data.size());
    assertThat(S3Upload.unquote(
            s3.client().headObject(b -> b.bucket(bucket).key(image.id().value())).eTag()))
        .as("the image's object is a multipart upload of three parts")
        .endsWith("-3");

    try (ImageDownload d = g.data().download(OWNER, image.id());
        InputStream in = d.stream()) {
      assertThat(d.contentLength()).isEqualTo(data.size());
      assertThat(data.sameBytesAs(in)).as("the download yields the uploaded bytes").isTrue();
    }
    long first = PART - 100;
    long last = PART + (1 << 20); // the first part holds the first chunk and 5 MiB more
    try (ImageDownload d = g.data().download(OWNER, image.id(), ByteRange.of(first, last));
        InputStream in = d.stream()) {
      assertThat(d.contentRange()).hasValue(new ContentRange(first, last, data.size()));
      assertThat(in.readAllBytes())
          .as("a ranged download across the boundary of the first two parts")
          .isEqualTo(Arrays.copyOfRange(data.bytes(), (int) first, (int) last + 1));
    }
  }

  @Test
  void aCallerWhoMayNotSeeTheImageCannotDownloadIt() {
    ImageGovernance g = governance(GovernanceConfig.defaults(), Long.MAX_VALUE);
    Image image = queued(g);
    ByteStream data = ByteStream.of(1000, 1);
    g.data().upload(OWNER, image.id(), data.open(), OptionalLong.of(data.size()));
    assertThatThrownBy(() -> g.data().download(OUTSIDER, image.id()).close())
        .isInstanceOfSatisfying(
            GovernanceException.class,
            e -> assertThat(e.code()).isEqualTo(StoreErrorCode.IMAGE_NOT_FOUND));
  }

  @Test
  void deletingTheImageDeletesItsObject() {
    ImageGovernance g = governance(GovernanceConfig.defaults(), Long.MAX_VALUE);
    Image image = queued(g);
    ByteStream data = ByteStream.of(PART + (2 << 20), 3);
    g.data().upload(OWNER, image.id(), data.open(), OptionalLong.of(data.size()));
    g.images().delete(OWNER, image.id());
    assertThat(store.exists(BlobKey.of(image.id()))).isFalse();
    assertThat(store.capacity().used()).isZero();
  }

  @Test
  void anUploadOverTheSizeCapIsRefusedAndLeavesNothingInTheBucket() {
    long cap = PART + 10;
    ImageGovernance g =
        governance(GovernanceConfig.builder().imageSizeCap(cap).build(), Long.MAX_VALUE);
    Image image = queued(g);
    refused(g, image, ByteStream.of(3L * PART, 5), OptionalLong.empty(), RuleCode.IMAGE_TOO_LARGE);
  }

  @Test
  void anUploadIntoAFullStoreIsStoreFullAndLeavesNothingInTheBucket() {
    ImageGovernance g = governance(GovernanceConfig.defaults(), PART + (1 << 20));
    Image image = queued(g);
    ByteStream data = ByteStream.of(2L * PART, 6);
    refused(g, image, data, OptionalLong.of(data.size()), RuleCode.STORE_FULL);
  }

  @Test
  void aServiceFailureIsStoreFailedLeavesTheImageQueuedAndNoUploadBehind() throws IOException {
    AtomicBoolean readsFail = new AtomicBoolean();
    client =
        s3.interceptedClient(
            new ExecutionInterceptor() {
              @Override
              public void beforeExecution(
                  Context.BeforeExecution context, ExecutionAttributes attributes) {
                Object request = context.request();
                if ((request instanceof UploadPartRequest
                        && ((UploadPartRequest) request).partNumber() == 2)
                    || (readsFail.get() && request instanceof GetObjectRequest)) {
                  throw SdkClientException.create("injected: connection reset");
                }
              }
            });
    ImageGovernance g = governance(GovernanceConfig.defaults(), Long.MAX_VALUE, client);
    Image image = queued(g);
    ByteStream big = ByteStream.of(3L * PART, 8);
    assertThat(refused(g, image, big, OptionalLong.of(big.size()), StoreErrorCode.STORE_FAILED))
        .hasMessageContaining("uploading part 2");

    ByteStream small = ByteStream.of(1000, 9);
    g.data().upload(OWNER, image.id(), small.open(), OptionalLong.of(small.size()));
    readsFail.set(true);
    assertThatThrownBy(() -> g.data().download(OWNER, image.id()).close())
        .isInstanceOfSatisfying(
            GovernanceException.class,
            e -> assertThat(e.code()).isEqualTo(StoreErrorCode.STORE_FAILED));
  }
}
