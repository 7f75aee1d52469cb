package dev.imagegov.store.jdbc;

import dev.imagegov.model.StoreId;
import dev.imagegov.store.s3.S3BlobStore;
import dev.imagegov.store.s3.S3BlobStoreOptions;
import java.net.URI;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The one S3 store every node of {@link MultiNodeTest} keeps its image data in: a real S3 server
 * (S3Proxy over jclouds' in-memory backend, as store-s3's tests run it) started in the test's
 * JVM on a free loopback port, which the nodes reach over HTTP with AWS signatures. The nodes
 * open an {@link S3BlobStore} on it from {@link #options} (endpoint, bucket and credentials on
 * their command line).
 */
final class SharedS3 implements AutoCloseable {
  static final String ACCESS_KEY = "imagegov-nodes";
  static final String SECRET_KEY = "imagegov-nodes-secret";
  /** The store id every node gives the shared store (so every location names the same store). */
  static final StoreId STORE = StoreId.of("shared-s3");

  private final BlobStoreContext backend;
  private final S3Proxy proxy;
  private final URI endpoint;

  /** Starts the server (Jetty's start returns once it listens) with an empty {@code bucket}. */
  SharedS3(String bucket) throws Exception {
    backend = ContextBuilder.newBuilder("transient").credentials("identity", "credential")
        .build(BlobStoreContext.class);
    backend.getBlobStore().createContainerInLocation(null, bucket);
    proxy = S3Proxy.builder().blobStore(backend.getBlobStore())
        .endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
        .build();
    proxy.start();
    endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
  }

  URI endpoint() {
    return endpoint;
  }

  /** A node's options for {@code bucket} at {@code endpoint}. */
  static S3BlobStoreOptions options(URI endpoint, String bucket) {
    return S3BlobStoreOptions.builder().bucket(bucket).endpoint(endpoint).pathStyleAccess(true)
        .accessKeyId(ACCESS_KEY).secretAccessKey(SECRET_KEY).build();
  }

  /**
   * A client of the server at {@code endpoint} that passes every request through {@code
   * watcher}, configured as {@link S3BlobStore#open(StoreId, S3BlobStoreOptions)} configures its
   * own; the caller closes it.
   */
  static S3Client watchedClient(URI endpoint, ExecutionInterceptor watcher) {
    return S3Client.builder()
        .httpClientBuilder(Apache5HttpClient.builder())
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .endpointOverride(endpoint)
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        .overrideConfiguration(c -> c.addExecutionInterceptor(watcher))
        .build();
  }

  @Override
  public void close() throws Exception {
    proxy.stop();
    backend.close();
  }
}
