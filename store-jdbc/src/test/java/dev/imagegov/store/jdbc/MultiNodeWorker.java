package dev.imagegov.store.jdbc;

import dev.imagegov.GovernanceConfig;
import dev.imagegov.ImageGovernance;
import dev.imagegov.NewImage;
import dev.imagegov.access.Caller;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.Visibility;
import dev.imagegov.patch.JsonPatchParser;
import dev.imagegov.quota.StaticLimits;
import dev.imagegov.quota.UnifiedLimit;
import dev.imagegov.query.ListRequest;
import dev.imagegov.data.ImageDownload;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.spi.blob.HashAlgorithm;
import dev.imagegov.store.s3.S3BlobStore;
import dev.imagegov.store.s3.S3BlobStoreOptions;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;

/**
 * One application node of {@link MultiNodeTest}, run in a JVM of its own: an {@link
 * ImageGovernance} on the shared PostgreSQL schema and the shared S3 store ({@link SharedS3}),
 * writing under the test's hard quotas and reading what other nodes uploaded. It
 * speaks through its standard streams, one line per event, printed only once the call returned
 * (so an {@code ACK} line is an acknowledged write):
 *
 * <pre>
 * READY                       started; waits for GO on standard input
 * ACK create ID PROJECT       an image was created
 * ACK upload ID SIZE          its data was uploaded (the image is active)
 * ACK read ID                 its data (perhaps another node's upload) was read back whole, with
 *                             the MD5 its checksum names
 * BAD read ID ...             data read back did not match its image's checksum or size
 * ACK patch ID KEY            property KEY was added
 * ACK member ID PROJECT       a member was added
 * ACK delete ID               the image was deleted
 * REFUSED OP CODE             a call was refused with a GovernanceException (expected under quotas)
 * MID ID                      (victim only) an upload is half-way, its multipart upload started
 *                             in S3: the node then blocks until killed
 * DONE                        every operation ran; the node exits
 * </pre>
 *
 * <p>Standard input: {@code S3 endpoint} (the S3 server's URL), then {@code GO}.
 *
 * <p>Arguments: JDBC URL, schema, node number, operations, seed, role ({@code survivor} or
 * {@code victim}: a victim's last operation is an upload of {@link #VICTIM_UPLOAD} bytes that
 * stops half-way, once S3 holds its multipart upload, in {@link #VICTIM_PROJECT}, which nothing
 * else uses, so that its reservation is certain to be granted), bucket.
 */
public final class MultiNodeWorker {
  /** The projects every node writes to. */
  static final List<String> PROJECTS = List.of("alpha", "beta");
  /** The project only the victim's last upload is charged to, so that its quota is certain. */
  static final String VICTIM_PROJECT = "gamma";
  /** Bytes of every upload. */
  static final int UPLOAD = 256 * 1024;
  /** Each project's image_size_total, in MiB: four uploads. */
  static final long SIZE_LIMIT_MIB = 1;
  /** Each project's image_count_total. */
  static final long COUNT_LIMIT = 6;
  /** S3 parts: the smallest S3 allows, so that the victim's upload is a multipart one. */
  static final int PART = S3BlobStoreOptions.MIN_PART_SIZE;
  /** Bytes of the victim's last upload: more than two parts. */
  static final int VICTIM_UPLOAD = 12 << 20;
  /** What the victim's upload feeds before it stops: a part and more, so S3 has its upload. */
  static final int VICTIM_FED = PART + (4 << 20);
  /** The victim project's image_size_total, in MiB: room for its one upload. */
  static final long VICTIM_SIZE_LIMIT_MIB = 16;

  private MultiNodeWorker() {}

  /** The limits every node and the test apply. */
  static StaticLimits limits() {
    return StaticLimits.builder()
        .registered(UnifiedLimit.IMAGE_SIZE_TOTAL, SIZE_LIMIT_MIB)
        .registered(UnifiedLimit.IMAGE_COUNT_TOTAL, COUNT_LIMIT)
        .registered(UnifiedLimit.IMAGE_STAGE_TOTAL, -1)
        .registered(UnifiedLimit.IMAGE_COUNT_UPLOADING, -1)
        .project(ProjectId.of(VICTIM_PROJECT), UnifiedLimit.IMAGE_SIZE_TOTAL,
            VICTIM_SIZE_LIMIT_MIB)
        .build();
  }

  /**
   * Runs one node. The node opens the PostgreSQL store at once and, on another thread, its S3
   * client as soon as the first line of its standard input, {@code S3 endpoint}, names the server
   * (which the test starts while the nodes' JVMs start).
   *
   * @param args JDBC URL, schema, node number, operations, seed, role, bucket
   * @throws Exception if standard input fails or a store does not open
   */
  public static void main(String[] args) throws Exception {
    String url = args[0];
    String schema = args[1];
    int node = Integer.parseInt(args[2]);
    int ops = Integer.parseInt(args[3]);
    long seed = Long.parseLong(args[4]);
    boolean victim = args[5].equals("victim");
    String bucket = args[6];
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    // The victim learns from its client when S3 holds its multipart upload.
    CountDownLatch multipartStarted = new CountDownLatch(1);
    AtomicLong told = new AtomicLong();
    CompletableFuture<S3Node> s3 = CompletableFuture.supplyAsync(() -> {
      try {
        String line = in.readLine();
        if (line == null || !line.startsWith("S3 ")) {
          throw new IllegalStateException("expected the S3 endpoint, read " + line);
        }
        told.set(System.nanoTime());
        URI endpoint = URI.create(line.substring(3));
        S3Client client = SharedS3.watchedClient(endpoint, new ExecutionInterceptor() {
          @Override
          public void afterExecution(Context.AfterExecution context,
              ExecutionAttributes attributes) {
            if (context.request() instanceof CreateMultipartUploadRequest) {
              multipartStarted.countDown();
            }
          }
        });
        return new S3Node(client, S3BlobStore.open(SharedS3.STORE, client,
            SharedS3.options(endpoint, bucket).toBuilder().partSize(PART).build()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    long opening = System.nanoTime();
    // The test migrated the schema, as one node of a deployment would: the nodes only validate
    // it (migrating takes Flyway's lock, so four nodes would check the schema one at a time).
    try (JdbcStore store = JdbcStore.open(JdbcStoreOptions.builder()
        .jdbcUrl(url).schema(schema).maximumPoolSize(4).migrate(false)
        .leaseDuration(Duration.ofMinutes(1)).build());
        S3Node opened = opened(s3, opening)) {
      S3BlobStore blobs = opened.blobs();
      ImageGovernance g = ImageGovernance.builder()
          .catalog(store.catalog())
          .usage(store.usage())
          .blobStore(blobs)
          .config(GovernanceConfig.builder().unifiedLimits(limits()).build())
          .build();
      System.err.println("node " + node + ": ready " + uptime() + "; S3 store "
          + (System.nanoTime() - told.get()) / 1_000_000 + " ms after the endpoint came");
      out.println("READY");
      if (!"GO".equals(in.readLine())) {
        return;
      }
      Random random = new Random(seed);
      for (int op = 0; op < ops; op++) {
        step(g, out, random, node, op);
      }
      if (victim) {
        Caller caller = Caller.member(VICTIM_PROJECT);
        Image image = create(g, caller);
        out.println("ACK create " + image.id() + " " + caller.project().orElseThrow());
        // Stops half-way through the data, holding its reservation, until the test kills it.
        g.data().upload(caller, image.id(),
            new HalfThenBlock(image.id(), multipartStarted, out, in),
            OptionalLong.of(VICTIM_UPLOAD));
        out.println("UNEXPECTED upload completed");
        return;
      }
      System.err.println("node " + node + ": done " + uptime());
      out.println("DONE");
    }
  }

  /** The S3 store, once open; notes how long the PostgreSQL store took to open. */
  private static S3Node opened(CompletableFuture<S3Node> s3, long opening) throws Exception {
    System.err.println("PostgreSQL store opened in " + (System.nanoTime() - opening) / 1_000_000
        + " ms");
    return s3.get();
  }

  /** This JVM's age and CPU time so far, for the test's log of where the time goes. */
  private static String uptime() {
    long cpu = ((com.sun.management.OperatingSystemMXBean)
        java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    return "after " + java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime()
        + " ms of the JVM, " + cpu / 1_000_000 + " ms of CPU";
  }

  /** The node's S3 client and the store on it, closed together. */
  private record S3Node(S3Client client, S3BlobStore blobs) implements AutoCloseable {
    @Override
    public void close() {
      blobs.close();
      client.close();
    }
  }

  private static Image create(ImageGovernance g, Caller caller) {
    return g.images().create(caller, NewImage.builder().diskFormat("raw").containerFormat("bare")
        .visibility(Visibility.SHARED).build());
  }

  /**
   * One operation, chosen by {@code random}: create and upload (bytes from {@code random}), read
   * an image's data back, patch, add a member, delete.
   */
  private static void step(ImageGovernance g, PrintStream out, Random random, int node, int op) {
    Caller caller = Caller.member(PROJECTS.get(random.nextInt(PROJECTS.size())));
    String project = caller.project().orElseThrow().value();
    int kind = random.nextInt(100);
    String name = kind < 35 ? "create" : kind < 50 ? "read" : kind < 70 ? "patch"
        : kind < 85 ? "member" : "delete";
    try {
      if (name.equals("create")) {
        Image image = create(g, caller);
        out.println("ACK create " + image.id() + " " + project);
        name = "upload";
        byte[] data = new byte[UPLOAD];
        random.nextBytes(data);
        g.data().upload(caller, image.id(), new ByteArrayInputStream(data),
            OptionalLong.of(UPLOAD));
        out.println("ACK upload " + image.id() + " " + UPLOAD);
        return;
      }
      List<Image> images = g.images().list(caller, ListRequest.parse("limit=50")).images();
      if (images.isEmpty()) {
        out.println("REFUSED " + name + " none");
        return;
      }
      Image picked = images.get(random.nextInt(images.size()));
      ImageId id = picked.id();
      switch (name) {
        case "read": {
          if (picked.status() != ImageStatus.ACTIVE) {
            out.println("REFUSED read inactive");
            break;
          }
          String problem = checkData(g, caller, picked);
          if (problem != null && !isActive(g, caller, id)) {
            out.println("REFUSED read deleted-meanwhile"); // another node deleted it mid-read
          } else {
            out.println(problem == null ? "ACK read " + id : "BAD read " + id + " " + problem);
          }
          break;
        }
        case "patch": {
          String key = "n" + node + "_" + op;
          g.images().patch(caller, id, JsonPatchParser.V2_1,
              "[{\"op\":\"add\",\"path\":\"/" + key + "\",\"value\":\"v\"}]");
          out.println("ACK patch " + id + " " + key);
          break;
        }
        case "member": {
          String member = "m" + node + "-" + op;
          g.sharing().addMember(caller, id, member);
          out.println("ACK member " + id + " " + member);
          break;
        }
        default:
          g.images().delete(caller, id);
          out.println("ACK delete " + id);
      }
    } catch (GovernanceException e) {
      out.println("REFUSED " + name + " " + e.code());
    }
  }

  /** Whether {@code id} is still an active image {@code caller} can see. */
  private static boolean isActive(ImageGovernance g, Caller caller, ImageId id) {
    try {
      return g.images().get(caller, id).status() == ImageStatus.ACTIVE;
    } catch (GovernanceException e) {
      return false;
    }
  }

  /**
   * Reads {@code image}'s data through {@code g} as {@code caller}: null if it is whole (its
   * size) and its MD5 is the image's checksum, else what differs.
   *
   * @throws GovernanceException if the data cannot be read
   */
  static String checkData(ImageGovernance g, Caller caller, Image image) {
    MessageDigest md5 = HashAlgorithm.MD5.newDigest();
    long bytes = 0;
    try (ImageDownload download = g.data().download(caller, image.id());
        InputStream data = download.stream()) {
      byte[] buffer = new byte[64 * 1024];
      for (int n = data.read(buffer); n >= 0; n = data.read(buffer)) {
        md5.update(buffer, 0, n);
        bytes += n;
      }
    } catch (IOException e) {
      return "the read failed: " + e;
    }
    String actual = HexFormat.of().formatHex(md5.digest());
    if (image.size().orElse(-1) != bytes || !image.checksum().orElse("").equals(actual)) {
      return "read " + bytes + " bytes with MD5 " + actual + ", the image says "
          + image.size() + " and " + image.checksum();
    }
    return null;
  }

  /**
   * {@link #VICTIM_FED} bytes, then, once S3 holds the multipart upload, a line {@code MID id},
   * then a read that waits for the kill.
   */
  private static final class HalfThenBlock extends InputStream {
    private final ImageId id;
    private final CountDownLatch multipartStarted;
    private final PrintStream out;
    private final BufferedReader in;
    private int left = VICTIM_FED;

    HalfThenBlock(ImageId id, CountDownLatch multipartStarted, PrintStream out,
        BufferedReader in) {
      this.id = id;
      this.multipartStarted = multipartStarted;
      this.out = out;
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left == 0) {
        try {
          multipartStarted.await(); // the store sent a full part's bytes on: a signal, no timeout
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted", e);
        }
        out.println("MID " + id);
        in.readLine(); // the test never writes again: this waits for SIGKILL
        throw new IOException("the test let a victim go on");
      }
      int n = Math.min(len, left);
      left -= n;
      return n;
    }
  }
}
