package dev.imagegov.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagegov.model.Image;
import dev.imagegov.store.memory.MemoryCatalog;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Heap used by a {@code MemoryCatalog} of {@code N} images (default 1,000,000) with 3 members
 * each ({@link Dataset#allSharedWithThreeMembers}), against the same-run baseline of the same
 * {@code N} images without members held in an {@code ArrayList}; also the same images with their
 * members in an {@code ArrayList}, which separates the weight of the members from the weight of
 * the catalog's map and indexes; and the catalog again after every image was read once (a read
 * keeps the image's location-free view with the stored value: {@code Image#withoutLocations}).
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
    Dataset dataset = Dataset.allSharedWithThreeMembers(images);

    long bare = measure(() -> list(dataset, false));
    long withMembers = measure(() -> list(dataset, true));
    long catalog =
        measure(
            () -> {
              MemoryCatalog loaded = dataset.load();
              if (loaded.size() != images) {
                throw new IllegalStateException("catalog holds " + loaded.size() + " images");
              }
              return loaded;
            });

    // The same catalog after every image has been read once: a read keeps the image's view
    // without locations with the stored value (Image.withoutLocations), which this counts.
    long catalogRead =
        measure(
            () -> {
              MemoryCatalog loaded = dataset.load();
              loaded.forEach(Image::withoutLocations);
              return loaded;
            });

    ObjectMapper json = new ObjectMapper();
    ObjectNode result = json.createObjectNode();
    result.put("images", images);
    result.put("membersPerImage", 3);
    result.put("bareImagesInArrayListBytes", bare);
    result.put("imagesWithMembersInArrayListBytes", withMembers);
    result.put("memoryCatalogBytes", catalog);
    result.put("memoryCatalogAfterEveryImageReadBytes", catalogRead);
    result.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
    result.put("gc", gcNames());
    Files.writeString(out, json.writerWithDefaultPrettyPrinter().writeValueAsString(result));
    System.out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(result));
  }

  private static List<Image> list(Dataset dataset, boolean withMembers) {
    List<Image> list = new ArrayList<>(dataset.size());
    for (int n = 0; n < dataset.size(); n++) {
      list.add(dataset.image(n, withMembers));
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
