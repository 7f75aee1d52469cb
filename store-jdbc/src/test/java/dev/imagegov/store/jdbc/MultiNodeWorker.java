package dev.imagegov.store.jdbc;

import dev.imagegov.GovernanceConfig;
import dev.imagegov.ImageGovernance;
import dev.imagegov.NewImage;
import dev.imagegov.access.Caller;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.StoreId;
import dev.imagegov.model.Visibility;
import dev.imagegov.patch.JsonPatchParser;
import dev.imagegov.quota.StaticLimits;
import dev.imagegov.quota.UnifiedLimit;
import dev.imagegov.query.ListRequest;
import dev.imagegov.store.memory.MemoryBlobStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;

/**
 * One application node of {@link MultiNodeTest}, run in a JVM of its own: an {@link
 * ImageGovernance} on the shared PostgreSQL schema, writing under the test's hard quotas. It
 * speaks through its standard streams, one line per event, printed only once the call returned
 * (so an {@code ACK} line is an acknowledged write):
 *
 * <pre>
 * READY                       started; waits for GO on standard input
 * ACK create ID PROJECT       an image was created
 * ACK upload ID SIZE          its data was uploaded (the image is active)
 * ACK patch ID KEY            property KEY was added
 * ACK member ID PROJECT       a member was added
 * ACK delete ID               the image was deleted
 * REFUSED OP CODE             a call was refused with a GovernanceException (expected under quotas)
 * MID ID                      (victim only) an upload is half-way: the node then blocks until killed
 * DONE                        every operation ran; the node exits
 * </pre>
 *
 * <p>Arguments: JDBC URL, schema, node number, operations, seed, role ({@code survivor} or
 * {@code victim}: a victim's last operation is an upload that stops half-way, in {@link
 * #VICTIM_PROJECT}, which nothing else uses, so that its reservation is certain to be granted).
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

  private MultiNodeWorker() {}

  /** The limits every node and the test apply. */
  static StaticLimits limits() {
    return StaticLimits.builder()
        .registered(UnifiedLimit.IMAGE_SIZE_TOTAL, SIZE_LIMIT_MIB)
        .registered(UnifiedLimit.IMAGE_COUNT_TOTAL, COUNT_LIMIT)
        .registered(UnifiedLimit.IMAGE_STAGE_TOTAL, -1)
        .registered(UnifiedLimit.IMAGE_COUNT_UPLOADING, -1)
        .build();
  }

  /**
   * Runs one node.
   *
   * @param args JDBC URL, schema, node number, operations, seed, role
   * @throws IOException if standard input fails
   */
  public static void main(String[] args) throws IOException {
    String url = args[0];
    String schema = args[1];
    int node = Integer.parseInt(args[2]);
    int ops = Integer.parseInt(args[3]);
    long seed = Long.parseLong(args[4]);
    boolean victim = args[5].equals("victim");
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    try (JdbcStore store = JdbcStore.open(JdbcStoreOptions.builder()
        .jdbcUrl(url).schema(schema).maximumPoolSize(4)
        .leaseDuration(Duration.ofMinutes(1)).build())) {
      ImageGovernance g = ImageGovernance.builder()
          .catalog(store.catalog())
          .usage(store.usage())
          .blobStore(MemoryBlobStore.builder(StoreId.of("shared")).build())
          .config(GovernanceConfig.builder().unifiedLimits(limits()).build())
          .build();
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
        g.data().upload(caller, image.id(), new HalfThenBlock(image.id(), out, in),
            OptionalLong.of(UPLOAD));
        out.println("UNEXPECTED upload completed");
        return;
      }
      out.println("DONE");
    }
  }

  private static Image create(ImageGovernance g, Caller caller) {
    return g.images().create(caller, NewImage.builder().diskFormat("raw").containerFormat("bare")
        .visibility(Visibility.SHARED).build());
  }

  /** One operation, chosen by {@code random}: create and upload, patch, add a member, delete. */
  private static void step(ImageGovernance g, PrintStream out, Random random, int node, int op) {
    Caller caller = Caller.member(PROJECTS.get(random.nextInt(PROJECTS.size())));
    String project = caller.project().orElseThrow().value();
    int kind = random.nextInt(100);
    String name = kind < 35 ? "create" : kind < 65 ? "patch" : kind < 80 ? "member" : "delete";
    try {
      if (name.equals("create")) {
        Image image = create(g, caller);
        out.println("ACK create " + image.id() + " " + project);
        name = "upload";
        g.data().upload(caller, image.id(), new java.io.ByteArrayInputStream(new byte[UPLOAD]),
            OptionalLong.of(UPLOAD));
        out.println("ACK upload " + image.id() + " " + UPLOAD);
        return;
      }
      List<Image> images = g.images().list(caller, ListRequest.parse("limit=50")).images();
      if (images.isEmpty()) {
        out.println("REFUSED " + name + " none");
        return;
      }
      ImageId id = images.get(random.nextInt(images.size())).id();
      switch (name) {
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

  /** Half the upload's bytes, then a line {@code MID id}, then a read that waits for the kill. */
  private static final class HalfThenBlock extends InputStream {
    private final ImageId id;
    private final PrintStream out;
    private final BufferedReader in;
    private int left = UPLOAD / 2;

    HalfThenBlock(ImageId id, PrintStream out, BufferedReader in) {
      this.id = id;
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
