package dev.imagegov.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagegov.ImageGovernance;
import dev.imagegov.NewImage;
import dev.imagegov.access.Caller;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.Visibility;
import dev.imagegov.patch.JsonPatchParser;
import dev.imagegov.store.memory.MemoryCatalog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * JSON-patch updates: {@code images().patch(owner, id, V2_1, body)} with typical documents of 1,
 * 4 and 10 operations (rename, {@code min_disk}, {@code min_ram}, and custom properties added or
 * replaced), on {@value #IMAGES} of the owner's queued images in a catalog that also holds a
 * {@link Dataset#realistic realistic} 10,000 images, with the memory catalog's default sort
 * indexes or none ({@link #sortIndexes}).
 *
 * <p>Each document exists in two variants (values A and B); image {@code i % IMAGES} gets the
 * variants in turn, so every call changes the image and is written (a patch that changes nothing
 * is not). Same-run baselines: {@link #jacksonReadTree}, Jackson parsing the same document alone
 * ({@code ObjectMapper.readTree}), and {@link #rawCompareAndSet}, the same change written
 * straight to the catalog ({@code find}, copy with the new values, {@code compareAndSet}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class PatchBenchmark {
  private static final int IMAGES = 256;

  /**
   * One patch operation: its JSON in both variants and the same change, either on a builder or,
   * for a custom property, as the property's key and its two values.
   */
  private record Op(
      String a,
      String b,
      @Nullable BiConsumer<Image.Builder, Boolean> apply,
      String key,
      String valueA,
      String valueB) {
    Op(String a, String b, @Nullable BiConsumer<Image.Builder, Boolean> apply) {
      this(a, b, apply, "", "", "");
    }
  }

  private static final List<Op> OPS =
      List.of(
          new Op(
              "{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"golden-a\"}",
              "{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"golden-b\"}",
              (b, v) -> b.name(v ? "golden-a" : "golden-b")),
          new Op(
              "{\"op\":\"replace\",\"path\":\"/min_disk\",\"value\":10}",
              "{\"op\":\"replace\",\"path\":\"/min_disk\",\"value\":20}",
              (b, v) -> b.minDisk(v ? 10 : 20)),
          prop("os_distro", "ubuntu", "debian"),
          new Op(
              "{\"op\":\"replace\",\"path\":\"/min_ram\",\"value\":512}",
              "{\"op\":\"replace\",\"path\":\"/min_ram\",\"value\":1024}",
              (b, v) -> b.minRam(v ? 512 : 1024)),
          prop("hw_disk_bus", "virtio", "scsi"),
          prop("os_version", "22.04", "24.04"),
          prop("x_team", "storage", "compute"),
          prop("x_build", "1041", "1042"),
          prop("hw_scsi_model", "virtio-scsi", "lsilogic"),
          prop("x_release_channel", "stable", "candidate"));

  private static Op prop(String key, String a, String b) {
    String json = "{\"op\":\"add\",\"path\":\"/" + key + "\",\"value\":\"";
    return new Op(json + a + "\"}", json + b + "\"}", null, key, a, b);
  }

  /** Operations per document. */
  @Param({"1", "4", "10"})
  public int ops;

  /**
   * The memory catalog's sort indexes: {@code default} ({@link MemoryCatalog#DEFAULT_SORT_INDEXES},
   * {@code name} and {@code size}, so a rename moves the image in the {@code name} indexes of its
   * visibility and owner), {@code none} (only the default list order, as the catalog kept
   * before sort indexes existed: a rename moves the image in no index), or {@code glance} (every
   * Glance sort key, {@link MemoryCatalog#GLANCE_SORT_INDEXES}: the opt-in's write cost).
   */
  @Param({"default", "none", "glance"})
  public String sortIndexes;

  private MemoryCatalog catalog;
  private ImageGovernance governance;
  private Caller owner;
  private final ImageId[] ids = new ImageId[IMAGES];
  private final String[] documents = new String[2];
  private final ObjectMapper mapper = new ObjectMapper();
  private int next;

  /** The background catalog, the owner's images and the two variants of the document. */
  @Setup(Level.Trial)
  public void load() {
    MemoryCatalog.Builder builder = MemoryCatalog.builder();
    switch (sortIndexes) {
      case "default":
        break;
      case "none":
        builder.sortIndexes(List.of());
        break;
      case "glance":
        builder.sortIndexes(MemoryCatalog.GLANCE_SORT_INDEXES);
        break;
      default:
        throw new IllegalArgumentException(
            "sortIndexes must be default, none or glance: " + sortIndexes);
    }
    catalog = Dataset.realistic(10_000).loadInto(builder.build());
    governance = ImageGovernance.builder().catalog(catalog).build();
    owner = Caller.member(Dataset.projectName(0));
    for (int i = 0; i < IMAGES; i++) {
      ids[i] =
          governance
              .images()
              .create(
                  owner,
                  NewImage.builder()
                      .name("patched-" + i)
                      .diskFormat("qcow2")
                      .containerFormat("bare")
                      .visibility(Visibility.PRIVATE)
                      .build())
              .id();
    }
    for (int variant = 0; variant < 2; variant++) {
      StringBuilder doc = new StringBuilder("[");
      for (int k = 0; k < ops; k++) {
        doc.append(k == 0 ? "" : ",").append(variant == 0 ? OPS.get(k).a() : OPS.get(k).b());
      }
      documents[variant] = doc.append(']').toString();
    }
    // The documents apply, and both variants change the image.
    for (int variant = 0; variant < 2; variant++) {
      Image before = catalog.find(ids[0]).orElseThrow();
      Image after =
          governance.images().patch(owner, ids[0], JsonPatchParser.V2_1, documents[variant]);
      if (catalog.find(ids[0]).orElseThrow().version() == before.version()) {
        throw new IllegalStateException("document " + variant + " changed nothing: " + after);
      }
    }
    next = 0;
  }

  /** Parses and applies one document through the facade. */
  @Benchmark
  public Image patch() {
    int i = next++;
    return governance
        .images()
        .patch(owner, ids[i & (IMAGES - 1)], JsonPatchParser.V2_1, documents[(i >>> 8) & 1]);
  }

  /** Baseline: Jackson parses the same document into a tree, nothing else. */
  @Benchmark
  public JsonNode jacksonReadTree() {
    int i = next++;
    try {
      return mapper.readTree(documents[(i >>> 8) & 1]);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Baseline: the same change as a plain compare-and-set on the catalog. */
  @Benchmark
  public Image rawCompareAndSet() {
    int i = next++;
    boolean a = ((i >>> 8) & 1) == 0;
    Image current = catalog.find(ids[i & (IMAGES - 1)]).orElseThrow();
    Image.Builder b = Image.builder().from(current);
    Map<String, String> properties = new LinkedHashMap<>(current.properties());
    for (int k = 0; k < ops; k++) {
      Op op = OPS.get(k);
      if (op.apply() != null) {
        op.apply().accept(b, a);
      } else {
        properties.put(op.key(), a ? op.valueA() : op.valueB());
      }
    }
    return catalog.compareAndSet(
        current.version(), b.properties(properties).updatedAt(Instant.now()).build()).orElseThrow();
  }
}
