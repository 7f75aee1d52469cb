package dev.imagegov.bench;

import dev.imagegov.ImageGovernance;
import dev.imagegov.access.Caller;
import dev.imagegov.data.ImageDownload;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.StoreId;
import dev.imagegov.store.memory.MemoryCatalog;
import dev.imagegov.store.s3.S3BlobStore;
import dev.imagegov.store.s3.S3BlobStoreOptions;
import dev.imagegov.testkit.gen.ByteStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The data path through the S3 blob store ({@code store-s3}): one upload ({@code data().upload},
 * multipart, MD5 and the multihash computed while streaming) and one download ({@code
 * data().download}, read to the end) of a {@value #SIZE}-byte image, against S3Proxy on loopback
 * in this JVM (jclouds' in-memory backend), each a single shot.
 *
 * <p>Same-run baselines, through the same S3 client and server: {@link #plainPut}, one {@code
 * PutObject} of the same bytes from the same generated stream (content length given, no
 * checksum of ours), and {@link #plainGet}, one {@code GetObject} read to the end. MB/s is {@value
 * #SIZE} bytes over each score.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class S3DataPathBenchmark {
  /** The bytes of every upload and download: 256 MiB. */
  public static final long SIZE = 256L << 20;

  private static final String BUCKET = "bench";
  private static final String ACCESS = "bench-access";
  private static final String SECRET = "bench-secret";
  private static final StoreId S3 = StoreId.of("s3");
  private static final ByteStream BYTES = ByteStream.pattern(SIZE);
  private static final Caller OWNER = Caller.member(Dataset.projectName(0));
  private static final byte[] SINK = new byte[1 << 20];

  BlobStoreContext backend;
  S3Proxy proxy;
  S3Client client;
  S3BlobStore store;
  ImageGovernance governance;
  ImageId downloadable;

  /**
   * Starts S3Proxy, opens the store and uploads the image the downloads read.
   *
   * @throws Exception if the server does not start
   */
  @Setup(Level.Trial)
  public void open() throws Exception {
    backend = ContextBuilder.newBuilder("transient").credentials("identity", "credential")
        .overrides(new Properties()).build(BlobStoreContext.class);
    proxy = S3Proxy.builder().blobStore(backend.getBlobStore())
        .endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS, SECRET).build();
    proxy.start();
    S3BlobStoreOptions options = S3BlobStoreOptions.builder().bucket(BUCKET)
        .endpoint(URI.create("http://127.0.0.1:" + proxy.getPort())).pathStyleAccess(true)
        .accessKeyId(ACCESS).secretAccessKey(SECRET).build();
    // The client the store builds for itself: Apache HttpClient 5, checksums only where required.
    client = S3Client.builder()
        .httpClientBuilder(Apache5HttpClient.builder())
        .region(Region.of(options.region()))
        .forcePathStyle(true)
        .endpointOverride(options.endpoint().orElseThrow())
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS, SECRET)))
        .build();
    client.createBucket(b -> b.bucket(BUCKET));
    store = S3BlobStore.open(S3, client, options);
    governance = ImageGovernance.builder().catalog(new MemoryCatalog()).blobStore(store).build();
    downloadable = queued();
    upload(downloadable);
    client.putObject(b -> b.bucket(BUCKET).key("plain-get"),
        RequestBody.fromInputStream(BYTES.open(), SIZE));
  }

  /**
   * Stops the server.
   *
   * @throws Exception if it does not stop
   */
  @TearDown(Level.Trial)
  public void close() throws Exception {
    store.close();
    client.close();
    proxy.stop();
    backend.close();
  }

  ImageId queued() {
    return DataShots.queued(governance, OWNER);
  }

  Image upload(ImageId id) {
    return DataShots.upload(governance, OWNER, id, BYTES, SIZE, S3);
  }

  /** A fresh queued image before each upload, deleted (with its data) after it. */
  @State(Scope.Benchmark)
  public static class Upload {
    ImageId id;

    /**
     * Creates the image.
     *
     * @param b the benchmark's state
     */
    @Setup(Level.Iteration)
    public void create(S3DataPathBenchmark b) {
      id = b.queued();
    }

    /**
     * Deletes the image and its data.
     *
     * @param b the benchmark's state
     */
    @TearDown(Level.Iteration)
    public void delete(S3DataPathBenchmark b) {
      b.governance.images().delete(OWNER, id);
    }
  }

  private static long drain(InputStream in) throws IOException {
    long n = 0;
    for (int r = in.read(SINK); r >= 0; r = in.read(SINK)) {
      n += r;
    }
    if (n != SIZE) {
      throw new IllegalStateException("read " + n + " bytes, not " + SIZE);
    }
    return n;
  }

  /**
   * {@return the uploaded image}
   *
   * @param u the fresh image
   */
  @Benchmark
  public Image upload(Upload u) {
    return upload(u.id);
  }

  /**
   * {@return the bytes downloaded}
   *
   * @throws IOException if the read fails
   */
  @Benchmark
  public long download() throws IOException {
    try (ImageDownload d = governance.data().download(OWNER, downloadable)) {
      return drain(d.stream());
    }
  }

  /** {@return the ETag of a plain PutObject of the same bytes} */
  @Benchmark
  public String plainPut() {
    return client.putObject(b -> b.bucket(BUCKET).key("plain-put"),
        RequestBody.fromInputStream(BYTES.open(), SIZE)).eTag();
  }

  /**
   * {@return the bytes of a plain GetObject}
   *
   * @throws IOException if the read fails
   */
  @Benchmark
  public long plainGet() throws IOException {
    try (InputStream in = client.getObject(b -> b.bucket(BUCKET).key("plain-get"))) {
      return drain(in);
    }
  }
}
