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

  private static String key(String benchmark, JsonNode params) {
    String p = params == null || params.get("images") == null ? "" : params.get("images").asText();
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
    access();
    updates();
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
    return a.isPresent() && b.isPresent()
        ? String.format(Locale.ROOT, "%.2f", a.getAsDouble() / b.getAsDouble())
        : "—";
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
