package dev.imagegov.store.s3;

import java.net.URI;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 server for the tests: S3Proxy, in this JVM, on a free loopback port, over jclouds'
 * transient (in-memory) blob store, with AWS signature authentication. One server serves the
 * whole test run (started on first use, stopped when the JVM exits); each store gets a bucket of
 * its own ({@link #newBucket()}), so tests share nothing.
 */
final class LoopbackS3 {
  static final String ACCESS_KEY = "imagegov-test";
  static final String SECRET_KEY = "imagegov-test-secret";

  private static final AtomicInteger BUCKETS = new AtomicInteger();
  private static volatile LoopbackS3 shared;

  private final S3Proxy proxy;
  private final BlobStoreContext context;
  private final URI endpoint;
  private final S3Client client;

  private LoopbackS3() throws Exception {
    Properties properties = new Properties();
    context =
        ContextBuilder.newBuilder("transient")
            .credentials("identity", "credential")
            .overrides(properties)
            .build(BlobStoreContext.class);
    proxy =
        S3Proxy.builder()
            .blobStore(context.getBlobStore())
            .endpoint(URI.create("http://127.0.0.1:0"))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
            .build();
    proxy.start(); // Jetty's start returns once the connector listens.
    endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
    client = S3BlobStore.buildClient(options("unused-bucket"));
    Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "loopback-s3-stop"));
  }

  /** The server, started on first use. */
  static LoopbackS3 get() {
    LoopbackS3 s = shared;
    if (s == null) {
      synchronized (LoopbackS3.class) {
        s = shared;
        if (s == null) {
          try {
            s = new LoopbackS3();
          } catch (Exception e) {
            throw new IllegalStateException("could not start S3Proxy on loopback", e);
          }
          shared = s;
        }
      }
    }
    return s;
  }

  URI endpoint() {
    return endpoint;
  }

  /** A client of the server with the test credentials (owned by the server; do not close). */
  S3Client client() {
    return client;
  }

  /**
   * A new client of the server that passes every request through {@code interceptor} (to inject
   * a failure of the connection); the caller closes it.
   */
  S3Client interceptedClient(ExecutionInterceptor interceptor) {
    return S3BlobStore.clientBuilder(options("unused-bucket"))
        .overrideConfiguration(c -> c.addExecutionInterceptor(interceptor))
        .build();
  }

  /** The server's backing store, to drop buckets without going through S3. */
  BlobStore backend() {
    return context.getBlobStore();
  }

  /** Creates an empty bucket with a name no other test uses. */
  String newBucket() {
    String name = "bucket-" + BUCKETS.incrementAndGet();
    client.createBucket(b -> b.bucket(name));
    return name;
  }

  /** Drops a bucket and everything in it (objects and pending uploads). */
  void dropBucket(String bucket) {
    context.getBlobStore().deleteContainer(bucket);
  }

  /** Options for a store on {@code bucket} of this server, path style, test credentials. */
  S3BlobStoreOptions options(String bucket) {
    return S3BlobStoreOptions.builder()
        .bucket(bucket)
        .endpoint(endpoint)
        .pathStyleAccess(true)
        .accessKeyId(ACCESS_KEY)
        .secretAccessKey(SECRET_KEY)
        .build();
  }

  private void stop() {
    try {
      client.close();
      proxy.stop();
    } catch (Exception e) {
      // The JVM is exiting.
    }
    context.close();
  }
}
