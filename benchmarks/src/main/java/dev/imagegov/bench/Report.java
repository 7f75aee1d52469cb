package dev.imagegov.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Turns one run's results into the tables of BENCHMARKS.md: reads the JMH JSON files ({@code
 * jmh-*.json}), the memory
 * measurement and the machine description from a results directory, computes every ratio
 * against its same-run baseline and whether each target is met, writes {@code latest.md} there,
 * and replaces the part of BENCHMARKS.md between {@value #BEGIN} and {@value #END}.
 *
 * <p>A benchmark missing from the results is reported as not run, never guessed.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.imagegov.bench.Report RESULTS_DIR BENCHMARKS_MD}
 */
public final class Report {
  static final String BEGIN = "<!-- results:begin (written by benchmarks/run.sh) -->";
  static final String END = "<!-- results:end -->";

  private static final String PKG = "dev.imagegov.bench.";
  private static final List<Integer> SIZES = List.of(10_000, 100_000, 1_000_000);
  private static final double PAGE_TARGET_MICROS = 50;
  private static final double GROWTH_TARGET = 2;
  private static final double DECISIONS_TARGET = 2_000_000;
  private static final double MEMORY_TARGET_BYTES = 2.0 * 1024 * 1024 * 1024;

  /** Score of benchmark + params, in the benchmark's own unit; ops per batch for single-shot. */
  private final Map<String, JsonNode> runs = new HashMap<>();
  private final StringBuilder out = new StringBuilder();
  /** The quota contention checks, by limit. */
  private final Map<String, JsonNode> quotaChecks = new HashMap<>();

  private Report() {}

  /** Writes {@code latest.md} and updates BENCHMARKS.md. */
  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    Path benchmarksMd = Path.of(args[1]);
    ObjectMapper json = new ObjectMapper();
    Report report = new Report();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "jmh-*.json")) {
      for (Path file : files) {
        for (JsonNode run : json.readTree(file.toFile())) {
          report.runs.put(key(run.get("benchmark").asText(), run.get("params")), run);
        }
      }
    }
    Path memory = dir.resolve("memory.json");
    JsonNode memoryResult = Files.exists(memory) ? json.readTree(memory.toFile()) : null;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "quota-check-*.json")) {
      for (Path file : files) {
        JsonNode check = json.readTree(file.toFile());
        report.quotaChecks.put(check.get("limit").asText(), check);
      }
    }
    String machine = read(dir.resolve("machine.txt"));
    String command = read(dir.resolve("command.txt"));

    report.write(machine, command, memoryResult);
    String tables = report.out.toString();
    Files.writeString(dir.resolve("latest.md"), tables, StandardCharsets.UTF_8);

    String md = Files.readString(benchmarksMd, StandardCharsets.UTF_8);
    int begin = md.indexOf(BEGIN);
    int end = md.indexOf(END);
    if (begin < 0 || end < begin) {
      throw new IllegalStateException(benchmarksMd + " lacks the results markers");
    }
    String updated =
        md.substring(0, begin + BEGIN.length()) + "\n\n" + tables + "\n" + md.substring(end);
    Files.writeString(benchmarksMd, updated, StandardCharsets.UTF_8);
  }

  private static String read(Path file) throws IOException {
    return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8).strip() : "";
  }

  /** Benchmark and the values of its parameters (each benchmark here has at most one). */
  private static String key(String benchmark, JsonNode params) {
    StringBuilder p = new StringBuilder();
    if (params != null) {
      params.fields().forEachRemaining(f -> p.append(p.length() == 0 ? "" : ",").append(
          f.getValue().asText()));
    }
    return benchmark + "|" + p;
  }

  private OptionalDouble score(String benchmark, String images) {
    JsonNode run = runs.get(PKG + benchmark + "|" + images);
    return run == null
        ? OptionalDouble.empty()
        : OptionalDouble.of(run.get("primaryMetric").get("score").asDouble());
  }

  private OptionalDouble score(String benchmark) {
    return score(benchmark, "");
  }

  private String error(String benchmark) {
    JsonNode run = runs.get(PKG + benchmark + "|");
    if (run != null && run.get("mode").asText().equals("ss")
        && run.get("primaryMetric").get("rawData").get(0).size() < 2) {
      return "";
    }
    if (run == null) {
      return "";
    }
    double e = run.get("primaryMetric").get("scoreError").asDouble();
    return Double.isNaN(e) ? "" : " ± " + fmt(e);
  }

  /** Operations per second of a single-shot benchmark: batch size over the time per batch. */
  private OptionalDouble batchRate(String benchmark) {
    JsonNode run = runs.get(PKG + benchmark + "|");
    if (run == null) {
      return OptionalDouble.empty();
    }
    double millisPerBatch = run.get("primaryMetric").get("score").asDouble();
    double batch = run.get("measurementBatchSize").asDouble();
    return OptionalDouble.of(batch / (millisPerBatch / 1000));
  }

  private void write(String machine, String command, JsonNode memory) {
    line("### Run");
    line("");
    line("Command: `" + (command.isEmpty() ? "(not recorded)" : command) + "`");
    line("");
    line("```");
    line(machine.isEmpty() ? "(machine not recorded)" : machine);
    line("```");
    line("");
    lists();
    fileLists();
    access();
    updates();
    patches();
    dataPath();
    quotaContention();
    durability();
    groupLists();
    isolation();
    memory(memory);
  }

  private void lists() {
    line("### List as a consumer (memory store)");
    line("");
    line(
        "Default list of a member project through `images().list(caller, ListRequest.empty())`."
            + " Page: first page of 25, a different member project each call. Walk: every page"
            + " of project `projects / 2`'s list. Times are means per operation.");
    line("");
    line(
        "| images | projects | facade page µs | catalog part µs | page / page at 10k"
            + " | scan page µs (baseline) | scan / page | walk: rows, pages | walk ms"
            + " | walk µs per page |");
    line("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    OptionalDouble base = score("ListBenchmark.page", "10000");
    for (int size : SIZES) {
      String s = Integer.toString(size);
      Dataset dataset = Dataset.realistic(size);
      int rows = dataset.defaultListSize(dataset.projects() / 2);
      int pages = rows / 25 + 1;
      OptionalDouble page = score("ListBenchmark.page", s);
      OptionalDouble catalog = score("ListBenchmark.catalogPage", s);
      OptionalDouble scan = score("NaiveListBenchmark.scanPage", s);
      OptionalDouble walk = score("ListBenchmark.walk", s);
      line(
          "| "
              + String.format(Locale.ROOT, "%,d", size)
              + " | "
              + String.format(Locale.ROOT, "%,d", dataset.projects())
              + " | "
              + fmt(page)
              + " | "
              + fmt(catalog)
              + " | "
              + ratio(page, base)
              + " | "
              + (scan.isPresent() ? fmt(scan) : "not measured")
              + " | "
              + (scan.isPresent() ? ratio(scan, page) : "—")
              + " | "
              + String.format(Locale.ROOT, "%,d, %,d", rows, pages)
              + " | "
              + fmt(walk.isPresent() ? OptionalDouble.of(walk.getAsDouble() / 1000) : walk)
              + " | "
              + fmt(walk.isPresent() ? OptionalDouble.of(walk.getAsDouble() / pages) : walk)
              + " |");
    }
    line("");
    OptionalDouble top = score("ListBenchmark.page", "1000000");
    OptionalDouble growth =
        top.isPresent() && base.isPresent()
            ? OptionalDouble.of(top.getAsDouble() / base.getAsDouble())
            : OptionalDouble.empty();
    target(
        "page at 1,000,000 images ≤ 2× the page at 10,000",
        growth,
        GROWTH_TARGET,
        false,
        fmt(growth) + "×");
    target(
        "page at 1,000,000 images < 50 µs (memory store)",
        top,
        PAGE_TARGET_MICROS,
        false,
        fmt(top) + " µs");
    line("");
  }

  private void access() {
    line("### Access decisions (one thread, 100,000-image catalog)");
    line("");
    OptionalDouble get = score("AccessBenchmark.get");
    OptionalDouble explain = score("AccessBenchmark.explain");
    OptionalDouble map = score("AccessBenchmark.hashMapGet");
    OptionalDouble policy = score("AccessBenchmark.policyAllowsGetImage");
    line("| operation | per second | ratio to `HashMap.get` | ratio to `get_image` alone |");
    line("|---|---:|---:|---:|");
    line(row("`images().get` (no explain)", get, "AccessBenchmark.get", map, policy));
    line(row("`access().explain(..., GET)`", explain, "AccessBenchmark.explain", map, policy));
    line(row("baseline: `HashMap.get`", map, "AccessBenchmark.hashMapGet", map, policy));
    line(
        row(
            "baseline: `Policy.allows(get_image)`",
            policy,
            "AccessBenchmark.policyAllowsGetImage",
            map,
            policy));
    line("");
    target(
        "more than 2,000,000 decisions per second without explain",
        get,
        DECISIONS_TARGET,
        true,
        fmt(get) + "/s");
    line("");
  }

  private String row(
      String name, OptionalDouble rate, String benchmark, OptionalDouble map, OptionalDouble p) {
    return "| "
        + name
        + " | "
        + fmt(rate)
        + error(benchmark)
        + " | "
        + ratio(rate, map)
        + " | "
        + ratio(rate, p)
        + " |";
  }

  private void updates() {
    line("### Updates (memory store)");
    line("");
    OptionalDouble members = batchRate("MemberBenchmark.addAndAccept");
    OptionalDouble rawMembers = batchRate("MemberBenchmark.rawCompareAndSet");
    OptionalDouble visibility = score("VisibilityBenchmark.setVisibility");
    OptionalDouble rawVisibility = score("VisibilityBenchmark.rawCompareAndSet");
    line("| operation | per second | baseline: same change as raw `compareAndSet`, per second"
        + " | ratio |");
    line("|---|---:|---:|---:|");
    line(
        "| member add + accept (`addMember` + `updateMemberStatus`), fresh images | "
            + fmt(members)
            + " | "
            + fmt(rawMembers)
            + " | "
            + ratio(members, rawMembers)
            + " |");
    line(
        "| `images().setVisibility` (shared ⇄ private) | "
            + fmt(visibility)
            + error("VisibilityBenchmark.setVisibility")
            + " | "
            + fmt(rawVisibility)
            + " | "
            + ratio(visibility, rawVisibility)
            + " |");
    line("");
    line("No target is set for these in issue 7; they are reported for comparison.");
    line("");
  }

  private OptionalDouble div(OptionalDouble v, double by) {
    return v.isPresent() ? OptionalDouble.of(v.getAsDouble() / by) : v;
  }

  private static OptionalDouble quotient(OptionalDouble a, OptionalDouble b) {
    return a.isPresent() && b.isPresent()
        ? OptionalDouble.of(a.getAsDouble() / b.getAsDouble())
        : OptionalDouble.empty();
  }

  private void fileLists() {
    line("### List as a consumer (file store)");
    line("");
    line(
        "The same lists on a `FileCatalog` in a temporary directory, loaded once per fork with"
            + " `fsync` off, then closed and reopened with the default options (`fsync` on)."
            + " Baseline: the memory store's figures from the same run (table above).");
    line("");
    line(
        "| images | file page µs | file catalog part µs | file page / memory page"
            + " | file page / file page at 10k | file walk ms | file walk / memory walk |");
    line("|---:|---:|---:|---:|---:|---:|---:|");
    OptionalDouble base = score("FileListBenchmark.page", "10000");
    for (int size : SIZES) {
      String s = Integer.toString(size);
      OptionalDouble page = score("FileListBenchmark.page", s);
      OptionalDouble walk = score("FileListBenchmark.walk", s);
      line(
          "| "
              + String.format(Locale.ROOT, "%,d", size)
              + " | "
              + fmt(page)
              + " | "
              + fmt(score("FileListBenchmark.catalogPage", s))
              + " | "
              + ratio(page, score("ListBenchmark.page", s))
              + " | "
              + ratio(page, base)
              + " | "
              + fmt(div(walk, 1000))
              + " | "
              + ratio(walk, score("ListBenchmark.walk", s))
              + " |");
    }
    line("");
    OptionalDouble top = score("FileListBenchmark.page", "1000000");
    OptionalDouble growth = quotient(top, base);
    target(
        "page at 1,000,000 images ≤ 2× the page at 10,000 (file store)",
        growth,
        GROWTH_TARGET,
        false,
        fmt(growth) + "×");
    line("");
  }

  private void patches() {
    line("### JSON-patch updates (memory store)");
    line("");
    line(
        "`images().patch(owner, id, \"application/openstack-images-v2.1-json-patch\", body)`"
            + " of a document of 1, 4 or 10 operations, each call a real change. Baselines:"
            + " `ObjectMapper.readTree` of the same document alone, and the same change as a raw"
            + " `compareAndSet`.");
    line("");
    line(
        "| operations | patches per second | `readTree` per second | patch / `readTree`"
            + " | raw `compareAndSet` per second | patch / raw |");
    line("|---:|---:|---:|---:|---:|---:|");
    for (String ops : List.of("1", "4", "10")) {
      OptionalDouble patch = score("PatchBenchmark.patch", ops);
      OptionalDouble tree = score("PatchBenchmark.jacksonReadTree", ops);
      OptionalDouble raw = score("PatchBenchmark.rawCompareAndSet", ops);
      line(
          "| "
              + ops
              + " | "
              + fmt(patch)
              + " | "
              + fmt(tree)
              + " | "
              + ratio(patch, tree)
              + " | "
              + fmt(raw)
              + " | "
              + ratio(patch, raw)
              + " |");
    }
    line("");
    line("No target is set for these in issue 7.");
    line("");
  }

  /** MiB per second of a single-shot benchmark over {@link DataPathBenchmark#SIZE} bytes. */
  private OptionalDouble mibPerSecond(String benchmark) {
    OptionalDouble ms = score(benchmark);
    return ms.isPresent()
        ? OptionalDouble.of((DataPathBenchmark.SIZE / 1048576.0) / (ms.getAsDouble() / 1000))
        : ms;
  }

  private void dataPath() {
    line("### Data path (1 GiB, memory catalog)");
    line("");
    line(
        "One upload (`data().upload`) or whole download (`data().download`, read to the end"
            + " into a 1 MiB buffer) of 1 GiB of generated bytes (`ByteStream.pattern`), a single"
            + " shot each; the stores' default options (`FileBlobStore`: `fsync` on; both:"
            + " SHA-512 on a store thread while MD5 runs on the writer). Time is the mean per"
            + " shot.");
    line("");
    line("| operation | ms | MiB/s | ratio to baseline | baseline |");
    line("|---|---:|---:|---:|---|");
    OptionalDouble sha = mibPerSecond("DataPathBenchmark.sha512");
    OptionalDouble channel = mibPerSecond("DataPathBenchmark.fileChannelRead");
    dataRow("baseline: JDK SHA-512 `MessageDigest`", "sha512", sha, "—");
    dataRow("reference: JDK MD5 `MessageDigest`", "md5", sha, "SHA-512");
    dataRow("upload, `MemoryBlobStore`", "uploadMemory", sha, "SHA-512");
    dataRow("upload, `FileBlobStore`", "uploadFile", sha, "SHA-512");
    dataRow(
        "baseline: plain `FileChannel` read of the blob file", "fileChannelRead", channel, "—");
    dataRow("download, `FileBlobStore`", "downloadFile", channel, "`FileChannel` read");
    dataRow("download, `MemoryBlobStore`", "downloadMemory", channel, "`FileChannel` read");
    line("");
    OptionalDouble upMemory = quotient(mibPerSecond("DataPathBenchmark.uploadMemory"), sha);
    OptionalDouble upFile = quotient(mibPerSecond("DataPathBenchmark.uploadFile"), sha);
    OptionalDouble down = quotient(mibPerSecond("DataPathBenchmark.downloadFile"), channel);
    target("upload ≥ 0.9× SHA-512 (memory store)", upMemory, 0.9, true, fmt(upMemory) + "×");
    target("upload ≥ 0.9× SHA-512 (file store)", upFile, 0.9, true, fmt(upFile) + "×");
    target("download ≥ 0.9× `FileChannel` read (file store)", down, 0.9, true, fmt(down) + "×");
    line("");
  }

  private void dataRow(String name, String benchmark, OptionalDouble base, String baseName) {
    OptionalDouble rate = mibPerSecond("DataPathBenchmark." + benchmark);
    line(
        "| "
            + name
            + " | "
            + fmt(score("DataPathBenchmark." + benchmark))
            + error("DataPathBenchmark." + benchmark)
            + " | "
            + fmt(rate)
            + " | "
            + ratio(rate, base)
            + " | "
            + baseName
            + " |");
  }

  private OptionalDouble secondary(String benchmark, String param, String metric) {
    JsonNode run = runs.get(PKG + benchmark + "|" + param);
    if (run == null || run.get("secondaryMetrics") == null
        || run.get("secondaryMetrics").get(metric) == null) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(run.get("secondaryMetrics").get(metric).get("score").asDouble());
  }

  private void quotaContention() {
    line("### Quota contention (16 threads, one project, memory stores)");
    line("");
    line(
        "16 threads of one project create an image and upload 64 KiB into it, each keeping its"
            + " last 8 images (deleting the oldest first, or after a refusal): 128 images wanted,"
            + " 64 allowed (4 MiB). Attempts per second count accepted and refused uploads."
            + " Baseline: the same with no limit. Check: the project's stored bytes (the usage"
            + " store's committed figure) read after every accepted upload, every 100 µs by a"
            + " sampler, and at the end.");
    line("");
    line(
        "| limit | attempts per second | accepted per second | refused per second"
            + " | accepted / unlimited accepted | check: largest stored bytes seen (limit)"
            + " | readings | exceeded? |");
    line("|---|---:|---:|---:|---:|---:|---:|---|");
    OptionalDouble baseAccepted = OptionalDouble.empty();
    for (String limit : List.of("unlimited", "user_storage_quota", "image_size_total")) {
      OptionalDouble attempts = score("QuotaContentionBenchmark.upload", limit);
      OptionalDouble accepted = secondary("QuotaContentionBenchmark.upload", limit, "accepted");
      OptionalDouble refused = secondary("QuotaContentionBenchmark.upload", limit, "refused");
      OptionalDouble acceptedRate = OptionalDouble.empty();
      OptionalDouble refusedRate = OptionalDouble.empty();
      if (attempts.isPresent() && accepted.isPresent() && refused.isPresent()) {
        double all = accepted.getAsDouble() + refused.getAsDouble();
        acceptedRate = OptionalDouble.of(attempts.getAsDouble() * accepted.getAsDouble() / all);
        refusedRate = OptionalDouble.of(attempts.getAsDouble() * refused.getAsDouble() / all);
      }
      if (limit.equals("unlimited")) {
        baseAccepted = acceptedRate;
      }
      JsonNode check = quotaChecks.get(limit);
      String seen = "not run";
      String readings = "—";
      String exceeded = "not checked";
      if (check != null) {
        long limitBytes = check.get("limitBytes").asLong();
        seen =
            String.format(Locale.ROOT, "%,d", check.get("maxStoredBytes").asLong())
                + (limitBytes < 0 ? " (none)" : String.format(Locale.ROOT, " (%,d)", limitBytes));
        readings = String.format(Locale.ROOT, "%,d", check.get("samples").asLong());
        exceeded =
            limitBytes < 0
                ? "—"
                : check.get("exceeded").asBoolean() ? "**yes: limit exceeded**" : "never";
      }
      line(
          "| "
              + (limit.equals("unlimited") ? "baseline: none" : "`" + limit + "`")
              + " | "
              + fmt(attempts)
              + " | "
              + fmt(acceptedRate)
              + " | "
              + fmt(refusedRate)
              + " | "
              + ratio(acceptedRate, baseAccepted)
              + " | "
              + seen
              + " | "
              + readings
              + " | "
              + exceeded
              + " |");
    }
    line("");
    boolean allChecked = true;
    boolean anyExceeded = false;
    for (String limit : List.of("user_storage_quota", "image_size_total")) {
      JsonNode check = quotaChecks.get(limit);
      allChecked &= check != null;
      anyExceeded |= check != null && check.get("exceeded").asBoolean();
    }
    line(
        "- Check usage never exceeded the limit: "
            + (!allChecked ? "not measured" : anyExceeded ? "**failed**" : "**held**")
            + ".");
    line("");
  }

  private void durability() {
    line("### File catalog durability");
    line("");
    line(
        "Each writer renames its own image with `compareAndSet`, one change per operation;"
            + " `FileCatalog` with the default options (`fsync` on: each change is forced to disk"
            + " before it returns; concurrent writers share one force). Baseline: the same on"
            + " `MemoryCatalog`.");
    line("");
    line(
        "| writers | `FileCatalog` (fsync) per second | `MemoryCatalog` per second"
            + " | file / memory |");
    line("|---:|---:|---:|---:|");
    OptionalDouble one = score("DurabilityBenchmark.oneWriter", "file");
    OptionalDouble sixteen = score("DurabilityBenchmark.sixteenWriters", "file");
    OptionalDouble oneMemory = score("DurabilityBenchmark.oneWriter", "memory");
    OptionalDouble sixteenMemory = score("DurabilityBenchmark.sixteenWriters", "memory");
    line("| 1 | " + fmt(one) + " | " + fmt(oneMemory) + " | " + ratio(one, oneMemory) + " |");
    line(
        "| 16 | "
            + fmt(sixteen)
            + " | "
            + fmt(sixteenMemory)
            + " | "
            + ratio(sixteen, sixteenMemory)
            + " |");
    line("");
    OptionalDouble scaling = quotient(sixteen, one);
    target(
        "16 durable writers ≥ 5× one writer",
        scaling,
        5,
        true,
        fmt(scaling) + "×; on the memory store 16 / 1 = " + ratio(sixteenMemory, oneMemory));
    line("");
    OptionalDouble open = div(score("OpenBenchmark.open", "1000000"), 1000);
    OptionalDouble inserts = div(score("OpenBenchmark.memoryInserts", "1000000"), 1000);
    line(
        "Opening a `FileCatalog` of 1,000,000 images (realistic mix, snapshot plus journal),"
            + " each open a single shot in a fork that has not opened it before. Baseline:"
            + " building the same `MemoryCatalog` by inserts (image generation excluded).");
    line("");
    line("| operation | seconds | ratio to inserts |");
    line("|---|---:|---:|");
    line("| `FileCatalog.open` | " + fmt(open) + " | " + ratio(open, inserts) + " |");
    line("| baseline: `MemoryCatalog` by inserts | " + fmt(inserts) + " | 1.00 |");
    line("");
    target("open 1,000,000 images in ≤ 3 s", open, 3, false, fmt(open) + " s");
    OptionalDouble faster = quotient(inserts, open);
    target("open ≥ 5× faster than the inserts", faster, 5, true, fmt(faster) + "×");
    line("");
  }

  private void memory(JsonNode memory) {
    if (memory == null) {
      line("### Memory (memory store)");
      line("");
      line("Not run.");
      line("");
      return;
    }
    double images = memory.get("images").asDouble();
    line(
        String.format(
            Locale.ROOT, "### Memory (%,.0f images, 3 members each, memory store)", images));
    line("");
    double catalog = memory.get("memoryCatalogBytes").asDouble();
    double bare = memory.get("bareImagesInArrayListBytes").asDouble();
    double withMembers = memory.get("imagesWithMembersInArrayListBytes").asDouble();
    line(
        "Heap in use after a full GC, minus the same before building; "
            + memory.get("gc").asText()
            + ", max heap "
            + mib(memory.get("maxHeapBytes").asDouble())
            + ".");
    line("");
    line("| structure | total | per image | ratio to bare images in an `ArrayList` |");
    line("|---|---:|---:|---:|");
    line(memRow("`MemoryCatalog` with the images and their 3 members each", catalog, images, bare));
    line(memRow("the same images with members in an `ArrayList`", withMembers, images, bare));
    line(memRow("baseline: the same images without members in an `ArrayList`", bare, images, bare));
    line("");
    target(
        "under 2 GiB for 1,000,000 images with 3 members each",
        OptionalDouble.of(catalog),
        MEMORY_TARGET_BYTES,
        false,
        mib(catalog));
    line("");
  }

  private static String memRow(String name, double bytes, double images, double bare) {
    return "| "
        + name
        + " | "
        + mib(bytes)
        + " | "
        + String.format(Locale.ROOT, "%,.0f B", bytes / images)
        + " | "
        + String.format(Locale.ROOT, "%.2f", bytes / bare)
        + " |";
  }

  /**
   * The default list page of a project that sees its images through groups (hierarchical
   * sharing) beside a direct member's, from {@code GroupListBenchmark} (its own {@code
   * jmh-groups.json}; JMH keys its parameters by name: images, member, page).
   */
  private void groupLists() {
    line("### List as a member through groups (memory store)");
    line("");
    line("Default list page (25 rows) of a project below two group members of the images (a"
        + " parent project and its domain), beside the same page of a direct member, in the same"
        + " run and fork (`GroupListBenchmark`). Deep: the page after the row at half the list."
        + " Times are means per operation; B/op is JMH's `gc.alloc.rate.norm` (`-prof gc`),"
        + " independent of the machine's load.");
    line("");
    line("| images | page | group µs | direct µs | group / direct | group B/op | direct B/op |");
    line("|---:|---|---:|---:|---:|---:|---:|");
    for (String size : List.of("10000", "1000000")) {
      for (String page : List.of("first", "deep")) {
        String group = size + ",group," + page;
        String direct = size + ",direct," + page;
        OptionalDouble viaGroup = score("GroupListBenchmark.list", group);
        OptionalDouble viaDirect = score("GroupListBenchmark.list", direct);
        line("| " + String.format(Locale.ROOT, "%,d", Integer.parseInt(size)) + " | " + page
            + " | " + fmt(viaGroup) + " | " + fmt(viaDirect) + " | " + ratio(viaGroup, viaDirect)
            + " | " + fmt(secondary("GroupListBenchmark.list", group, "gc.alloc.rate.norm"))
            + " | " + fmt(secondary("GroupListBenchmark.list", direct, "gc.alloc.rate.norm"))
            + " |");
      }
    }
    line("");
    OptionalDouble growth = quotient(score("GroupListBenchmark.list", "1000000,group,first"),
        score("GroupListBenchmark.list", "10000,group,first"));
    target("group page at 1,000,000 images ≤ 2× the group page at 10,000 (O(page + log n))",
        growth, GROWTH_TARGET, false, fmt(growth) + "×");
    line("");
  }

  /**
   * The whole-catalog isolation verification of issue 16 ({@code IsolationBenchmark}: single
   * shots of 1,000 projects over the realistic 10,000-image catalog), beside the naive
   * approach (a get per image) for 10 of the projects, in the same run.
   */
  private void isolation() {
    line("### Isolation verification (memory store)");
    line("");
    line("`access().verifyIsolation` of 1,000 projects over the realistic 10,000-image catalog"
        + " against core's oracle (`IsolationBenchmark.verify`, single shots), beside one"
        + " `images().get` per image for 10 of the projects (the naive approach, 1% of the"
        + " work). Times are means per shot.");
    line("");
    OptionalDouble verify = score("IsolationBenchmark.verify");
    OptionalDouble naive = score("IsolationBenchmark.naiveGetsForTenProjects");
    OptionalDouble naiveAll = naive.isPresent()
        ? OptionalDouble.of(naive.getAsDouble() * 100) : naive;
    line("| verification ms | naive gets, 10 projects ms | naive, 1,000 projects (× 100) ms"
        + " | naive / verification |");
    line("|---:|---:|---:|---:|");
    line("| " + fmt(verify) + error("IsolationBenchmark.verify") + " | " + fmt(naive) + " | "
        + fmt(naiveAll) + " | " + ratio(naiveAll, verify) + " |");
    line("");
    target("verification of 10,000 images × 1,000 projects under a minute", verify, 60_000,
        false, fmt(verify) + " ms");
    line("");
  }

  private void target(
      String what, OptionalDouble value, double bound, boolean above, String shown) {
    String verdict;
    if (value.isEmpty()) {
      verdict = "not measured";
    } else {
      boolean met = above ? value.getAsDouble() > bound : value.getAsDouble() <= bound;
      verdict = met ? "**met**" : "**missed**";
    }
    line("- Target " + what + ": " + verdict + (value.isPresent() ? " (" + shown + ")" : "") + ".");
  }

  private static String mib(double bytes) {
    return String.format(Locale.ROOT, "%,.0f MiB", bytes / (1024 * 1024));
  }

  private static String ratio(OptionalDouble a, OptionalDouble b) {
    if (a.isEmpty() || b.isEmpty()) {
      return "—";
    }
    double r = a.getAsDouble() / b.getAsDouble();
    return String.format(Locale.ROOT, r < 0.01 ? "%.4f" : r < 0.1 ? "%.3f" : "%.2f", r);
  }

  private static String fmt(OptionalDouble v) {
    return v.isPresent() ? fmt(v.getAsDouble()) : "not run";
  }

  private static String fmt(double v) {
    if (v >= 1000) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    if (v >= 10) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    return String.format(Locale.ROOT, "%.2f", v);
  }

  private void line(String text) {
    out.append(text).append('\n');
  }
}
