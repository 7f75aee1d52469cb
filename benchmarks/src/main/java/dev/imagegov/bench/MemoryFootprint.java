package dev.imagegov.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagegov.model.Image;
import dev.imagegov.store.memory.MemoryCatalog;
import dev.imagegov.testkit.fixture.CloudMix;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Heap used by a {@code MemoryCatalog} of {@code N} images (default 1,000,000) of the testkit's
 * cloud-shaped {@link CloudMix} ({@link ListShapesBenchmark#MIX}: 12 custom properties and 3 tags
 * per image, every non-public image, 99%, with 3 accepted members: 2,970,000 members at
 * 1,000,000 images), against the same-run baseline of the same
 * {@code N} images without members held in an {@code ArrayList}; also the same images with their
 * members in an {@code ArrayList}, which separates the weight of the members from the weight of
 * the catalog's map and indexes.
 *
 * <p>Each figure is the heap in use after a full collection once the structure is built, minus
 * the heap in use after a full collection before it was built, read from {@link MemoryMXBean}.
 * A plain program rather than a JMH benchmark: one careful measurement per structure is what is
 * wanted, not a rate. Writes a JSON object to the file given as the second argument.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.imagegov.bench.MemoryFootprint [N] [out.json]}
 */
public final class MemoryFootprint {
  private MemoryFootprint() {}

  /** Runs the three measurements and writes the result. */
  public static void main(String[] args) throws IOException {
    int images = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    Path out = Path.of(args.length > 1 ? args[1] : "memory.json");
    CloudMix mix = ListShapesBenchmark.MIX;

    long bare = measure(() -> list(mix, images, false));
    long withMembers = measure(() -> list(mix, images, true));
    long members = 0;
    for (int n = 0; n < images; n++) {
      members += mix.image(n).members().size();
    }
    long catalog =
        measure(
            () -> {
              MemoryCatalog loaded = new MemoryCatalog();
              for (int n = 0; n < images; n++) {
                loaded.insert(mix.image(n));
              }
              if (loaded.size() != images) {
                throw new IllegalStateException("catalog holds " + loaded.size() + " images");
              }
              return loaded;
            });

    ObjectMapper json = new ObjectMapper();
    ObjectNode result = json.createObjectNode();
    result.put("images", images);
    result.put("members", members);
    result.put("dataset", "CloudMix of 50 owners and 200 consumers: 12 properties and 3 tags"
        + " per image, 3 accepted members per shared image (99%)");
    result.put("bareImagesInArrayListBytes", bare);
    result.put("imagesWithMembersInArrayListBytes", withMembers);
    result.put("memoryCatalogBytes", catalog);
    result.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
    result.put("gc", gcNames());
    Files.writeString(out, json.writerWithDefaultPrettyPrinter().writeValueAsString(result));
    System.out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(result));
  }

  private static List<Image> list(CloudMix mix, int images, boolean withMembers) {
    List<Image> list = new ArrayList<>(images);
    for (int n = 0; n < images; n++) {
      Image image = mix.image(n);
      list.add(withMembers ? image : image.toBuilder().members(Map.of()).build());
    }
    return list;
  }

  /** Bytes of heap that the structure built by {@code build} keeps reachable. */
  private static long measure(Builder build) {
    long before = usedAfterGc();
    Object structure = build.build();
    long after = usedAfterGc();
    Reference.reachabilityFence(structure);
    return after - before;
  }

  @FunctionalInterface
  private interface Builder {
    Object build();
  }

  private static long usedAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  private static String gcNames() {
    StringBuilder names = new StringBuilder();
    ManagementFactory.getGarbageCollectorMXBeans()
        .forEach(gc -> names.append(names.length() == 0 ? "" : ", ").append(gc.getName()));
    return names.toString();
  }
}
