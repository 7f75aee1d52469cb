package dev.imagegov.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Writes BENCHMARKS.md, whole, from one results directory: a hand-written preface included
 * verbatim, then the tables of that directory's run, then an index of the notes of earlier
 * sessions ({@code results/<folder>/NOTES*.md}, beside their data; one line each, its first
 * heading).
 *
 * <p>The run's data: the JMH JSON files ({@code jmh-*.json}), the memory measurement ({@code
 * memory.json}), the quota checks ({@code quota-check-*.json}), the machine ({@code
 * machine.txt}), the command ({@code command.txt}) and the load around each benchmark ({@code
 * load.txt}, one line per benchmark class: {@code Class seconds before1 before5 before15 after1
 * after5 after15}). Every figure is shown with its error, every ratio with the error propagated
 * ({@link Measure}), and a target is met only when its bound holds over the whole error interval
 * ({@link Measure#against}). A benchmark missing from the results is reported as not run, never
 * guessed; a run no section renders is listed in a last table, so nothing measured is dropped.
 * The tables alone are also written to {@code latest.md} in the results directory.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.imagegov.bench.Report RESULTS_DIR PREFACE_MD
 * BENCHMARKS_MD}
 */
public final class Report {
  private static final String PKG = "dev.imagegov.bench.";
  private static final List<Integer> SIZES = List.of(10_000, 100_000, 1_000_000);
  private static final double PAGE_TARGET_MICROS = 50;
  private static final double GROWTH_TARGET = 2;
  private static final double SHAPE_GROWTH_TARGET = 1.5;
  private static final double DECISIONS_TARGET = 2_000_000;
  private static final double MEMORY_TARGET_BYTES = 2.0 * 1024 * 1024 * 1024;
  private static final double ISOLATION_TARGET_MS = 60_000;

  private final List<JsonNode> runs = new ArrayList<>();
  private final Map<JsonNode, Boolean> used = new IdentityHashMap<>();
  private final Map<String, double[]> load = new LinkedHashMap<>();
  private final Map<String, JsonNode> quotaChecks = new HashMap<>();
  private final StringBuilder out = new StringBuilder();
  private int cores;

  private Report() {}

  /**
   * Writes {@code latest.md} in the results directory and BENCHMARKS.md.
   *
   * @param args the results directory, the preface and BENCHMARKS.md
   * @throws IOException if a file cannot be read or written
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 3) {
      throw new IllegalArgumentException("usage: Report RESULTS_DIR PREFACE_MD BENCHMARKS_MD");
    }
    Path dir = Path.of(args[0]);
    Report report = new Report();
    ObjectMapper json = new ObjectMapper();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "jmh-*.json")) {
      List<Path> sorted = new ArrayList<>();
      files.forEach(sorted::add);
      sorted.sort(null);
      for (Path file : sorted) {
        json.readTree(file.toFile()).forEach(report.runs::add);
      }
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "quota-check-*.json")) {
      for (Path file : files) {
        JsonNode check = json.readTree(file.toFile());
        report.quotaChecks.put(check.get("limit").asText(), check);
      }
    }
    Path memory = dir.resolve("memory.json");
    JsonNode memoryResult = Files.exists(memory) ? json.readTree(memory.toFile()) : null;
    String machine = read(dir.resolve("machine.txt"));
    report.cores = machine.lines().filter(l -> l.startsWith("nproc:"))
        .map(l -> Integer.parseInt(l.substring(6).strip())).findFirst().orElse(0);
    read(dir.resolve("load.txt")).lines().map(String::strip).filter(l -> !l.isEmpty())
        .forEach(report::loadLine);

    report.write(machine, read(dir.resolve("command.txt")), memoryResult);
    String tables = report.out.toString();
    Files.writeString(dir.resolve("latest.md"), tables, StandardCharsets.UTF_8);

    StringBuilder md = new StringBuilder(read(Path.of(args[1]))).append("\n\n");
    md.append("## Results\n\n")
        .append("<!-- Written by dev.imagegov.bench.Report from ").append(dir)
        .append(" (benchmarks/run.sh); edit benchmarks/report-preface.md or Report, not this."
            + " -->\n\n")
        .append(tables)
        .append(notesIndex(dir));
    Files.writeString(Path.of(args[2]), md.toString(), StandardCharsets.UTF_8);
  }

  private static String read(Path file) throws IOException {
    return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8).strip() : "";
  }

  /** One line of {@code load.txt}: the class, its seconds, the load averages before, after. */
  private void loadLine(String line) {
    String[] f = line.split("\\s+");
    if (f.length != 8) {
      throw new IllegalArgumentException("load.txt: 8 fields expected: " + line);
    }
    double[] v = new double[7];
    for (int i = 0; i < 7; i++) {
      v[i] = Double.parseDouble(f[i + 1]);
    }
    load.put(f[0], v);
  }

  /** One line per {@code NOTES.md} in a folder of the results: its folder and first heading. */
  static String notesIndex(Path dir) throws IOException {
    List<String> lines = new ArrayList<>();
    try (Stream<Path> folders = Files.list(dir)) {
      for (Path folder : folders.filter(Files::isDirectory).sorted().toList()) {
        List<Path> notes = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "NOTES*.md")) {
          files.forEach(notes::add);
        }
        notes.sort(null);
        for (Path note : notes) {
          String title = Files.readAllLines(note, StandardCharsets.UTF_8).stream()
              .filter(l -> l.startsWith("#")).findFirst().orElse("notes")
              .replaceFirst("^#+\\s*", "");
          String path = "benchmarks/results/" + folder.getFileName() + "/" + note.getFileName();
          lines.add("- [" + path + "](" + path + "): " + title);
        }
      }
    }
    if (lines.isEmpty()) {
      return "";
    }
    return "\n## Earlier sessions\n\n"
        + "Measurements of earlier sessions, each beside its raw data (not part of the run"
        + " above; their figures were taken on other commits and loads):\n\n"
        + String.join("\n", lines) + "\n";
  }

  // ---- looking figures up ----

  private @Nullable JsonNode run(String method, String... params) {
    for (JsonNode run : runs) {
      if (!run.get("benchmark").asText().equals(PKG + method)) {
        continue;
      }
      boolean all = true;
      for (String p : params) {
        int eq = p.indexOf('=');
        JsonNode value = run.path("params").get(p.substring(0, eq));
        all &= value != null && value.asText().equals(p.substring(eq + 1));
      }
      if (all) {
        used.put(run, true);
        return run;
      }
    }
    return null;
  }

  /** The score of {@code method} with {@code params}, in its own unit; null if not run. */
  private @Nullable Measure m(String method, String... params) {
    JsonNode run = run(method, params);
    return run == null ? null : measure(run);
  }

  private static Measure measure(JsonNode run) {
    JsonNode metric = run.get("primaryMetric");
    double error = metric.get("scoreError").asDouble(Double.NaN);
    return new Measure(metric.get("score").asDouble(), error);
  }

  /**
   * Operations per second of a single-shot batch benchmark (batch over the ms per batch) over a
   * catalog of {@code images}; a run without that parameter (before it existed) had 10,000.
   */
  private @Nullable Measure batchRate(String method, String images) {
    JsonNode run = run(method, "images=" + images);
    if (run == null && images.equals("10000")) {
      JsonNode old = run(method);
      run = old != null && !old.path("params").has("images") ? old : null;
    }
    return run == null
        ? null
        : measure(run).inverse(run.get("measurementBatchSize").asDouble() * 1000);
  }

  private @Nullable Measure secondary(String method, String param, String metric) {
    JsonNode run = run(method, param);
    JsonNode s = run == null ? null : run.path("secondaryMetrics").get(metric);
    return s == null ? null : new Measure(s.get("score").asDouble(), s.get("scoreError")
        .asDouble(Double.NaN));
  }

  /** Bytes allocated per operation ({@code -prof gc}), load-independent; "—" if not profiled. */
  private String bytesPerOp(String method, String... params) {
    JsonNode run = run(method, params);
    JsonNode s = run == null ? null : run.path("secondaryMetrics").get("gc.alloc.rate.norm");
    return s == null ? "—" : String.format(Locale.ROOT, "%,.0f", s.get("score").asDouble());
  }

  /** Whether the results hold any run of {@code benchmarkClass}. */
  private boolean ran(String benchmarkClass) {
    return runs.stream()
        .anyMatch(run -> run.get("benchmark").asText().startsWith(PKG + benchmarkClass + "."));
  }

  /** "Not run." for a section whose benchmark the results lack; answers whether it ran. */
  private boolean section(String title, String benchmarkClass) {
    line("### " + title);
    line("");
    if (ran(benchmarkClass)) {
      return true;
    }
    line("Not run: the results hold no `" + benchmarkClass + "`.");
    line("");
    return false;
  }

  /** {@code a / b}; a figure over itself (a baseline's own row) is exactly 1. */
  private static @Nullable Measure q(@Nullable Measure a, @Nullable Measure b) {
    if (a == null || b == null) {
      return null;
    }
    return a.equals(b) ? Measure.exact(1) : a.over(b);
  }

  private static @Nullable Measure times(@Nullable Measure a, double factor) {
    return a == null ? null : a.times(factor);
  }

  // ---- the tables ----

  private void write(String machine, String command, @Nullable JsonNode memory) {
    line("### Run");
    line("");
    line("Command: `" + (command.isEmpty() ? "(not recorded)" : command) + "`");
    line("");
    line("```");
    line(machine.isEmpty() ? "(machine not recorded)" : machine);
    line("```");
    line("");
    line("Figures are JMH scores ± the half-width of their 99.9% confidence interval (`± ?`: too"
        + " few samples for JMH to give one); ratios carry the propagated error. A target is"
        + " **met** only when its bound holds over the whole interval, **missed** when it fails"
        + " over the whole interval, and otherwise **not decided** by this run.");
    line("");
    lists();
    listShapes();
    fileLists();
    facade();
    access();
    updates();
    patches();
    dataPath();
    s3();
    quotaContention();
    durability();
    isolation();
    reports();
    memory(memory);
    others();
    loads();
  }

  private void lists() {
    line("### List as a consumer (memory store)");
    line("");
    line("| images | projects | facade page µs | catalog part µs | page / page at 10k"
        + " | sorted-set page µs (baseline) | page / sorted set | catalog part / sorted set"
        + " | scan page µs | scan / page | walk: rows, pages | walk ms |");
    line("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    Measure base = m("ListBenchmark.page", "images=10000");
    for (int size : SIZES) {
      String s = "images=" + size;
      Dataset dataset = Dataset.realistic(size);
      int rows = dataset.defaultListSize(dataset.projects() / 2);
      Measure page = m("ListBenchmark.page", s);
      Measure catalogPart = m("ListBenchmark.catalogPage", s);
      Measure sorted = m("ListBenchmark.sortedSetPage", s);
      Measure scan = m("NaiveListBenchmark.scanPage", s);
      line(row(count(size), count(dataset.projects()), f(page), f(catalogPart), r(q(page, base)),
          sorted == null ? "not measured" : f(sorted), r(q(page, sorted)),
          r(q(catalogPart, sorted)), scan == null ? "not measured" : f(scan),
          scan == null ? "—" : r(q(scan, page)), count(rows) + ", " + count(rows / 25 + 1),
          f(times(m("ListBenchmark.walk", s), 0.001))));
    }
    line("");
    line("The fair baseline of a page is the sorted-set page: the same first page of the same"
        + " consumers taken from a sorted set of each consumer's own visible images (a seek and a"
        + " walk of 25; `SortedSetLists`). The scan (a full scan and sort of the same query) only"
        + " shows what the indexes save.");
    line("");
    Measure top = m("ListBenchmark.page", "images=1000000");
    target("page at 1,000,000 images ≤ 2× the page at 10,000", q(top, base), GROWTH_TARGET,
        false, "×", "ListBenchmark");
    target("page at 1,000,000 images ≤ 50 µs (memory store)", top, PAGE_TARGET_MICROS, false,
        " µs", "ListBenchmark");
    line("");
  }

  private void listShapes() {
    if (!section("List query shapes through the facade (memory store, cloud-shaped catalog)",
        "ListShapesBenchmark")) {
      return;
    }
    line("µs per page; growth is the page at 1,000,000 images over the same page at 10,000"
        + " (target ≤ " + SHAPE_GROWTH_TARGET + "×; `updated_at` is not indexed: its growth is"
        + " measured, no target).");
    line("");
    line("| shape | caller | first page 10k µs | 1M µs | growth | target | 1M B/op"
        + " | deep page 10k µs | 1M µs | growth | target |");
    line("|---|---|---:|---:|---:|---|---:|---:|---:|---:|---|");
    List<String> shapes = List.of("default", "name_asc", "size", "name", "tag", "owner",
        "shared_accepted", "property", "updated_at");
    int met = 0;
    int all = 0;
    for (String shape : shapes) {
      for (String role : List.of("consumer", "admin")) {
        List<String> cells = new ArrayList<>(List.of("`" + shape + "`", role));
        for (String page : List.of("first", "deep")) {
          String[] p = {"shape=" + shape, "role=" + role, "page=" + page};
          Measure small = m("ListShapesBenchmark.list", with(p, "images=10000"));
          Measure large = m("ListShapesBenchmark.list", with(p, "images=1000000"));
          Measure growth = q(large, small);
          String verdict;
          if (shape.equals("updated_at")) {
            verdict = "none (not indexed)";
          } else {
            verdict = verdict(growth, SHAPE_GROWTH_TARGET, false);
            all++;
            met += growth != null && growth.against(SHAPE_GROWTH_TARGET, false)
                == Measure.Verdict.MET ? 1 : 0;
          }
          cells.addAll(List.of(f(small), f(large), r(growth), verdict));
          if (page.equals("first")) {
            cells.add(bytesPerOp("ListShapesBenchmark.list", with(p, "images=1000000")));
          }
        }
        line(row(cells.toArray(String[]::new)));
      }
    }
    line("");
    line("- Target every indexed shape's page at 1,000,000 ≤ " + SHAPE_GROWTH_TARGET
        + "× at 10,000: **" + met + " of " + all + " met**" + loadNote("ListShapesBenchmark")
        + ".");
    line("");
  }

  private static String[] with(String[] params, String extra) {
    String[] p = java.util.Arrays.copyOf(params, params.length + 1);
    p[params.length] = extra;
    return p;
  }

  private void fileLists() {
    line("### List as a consumer (file store)");
    line("");
    line("| images | file page µs | file catalog part µs | file page / memory page"
        + " | file page / file page at 10k | file walk ms | file walk / memory walk |");
    line("|---:|---:|---:|---:|---:|---:|---:|");
    Measure base = m("FileListBenchmark.page", "images=10000");
    for (int size : SIZES) {
      String s = "images=" + size;
      Measure page = m("FileListBenchmark.page", s);
      Measure walk = m("FileListBenchmark.walk", s);
      line(row(count(size), f(page), f(m("FileListBenchmark.catalogPage", s)),
          r(q(page, m("ListBenchmark.page", s))), r(q(page, base)), f(times(walk, 0.001)),
          r(q(walk, m("ListBenchmark.walk", s)))));
    }
    line("");
    target("page at 1,000,000 images ≤ 2× the page at 10,000 (file store)",
        q(m("FileListBenchmark.page", "images=1000000"), base), GROWTH_TARGET, false, "×",
        "FileListBenchmark");
    line("");
  }

  private void facade() {
    if (!section("The user's whole path: the facade beside the store alone",
        "FacadeBenchmark")) {
      return;
    }
    line("µs per request through `ImageGovernance` (a fresh `Caller` per request, the"
        + " cloud-shaped catalog), beside the same work on `MemoryCatalog` alone; the ratio is the"
        + " cost of the rules. The list page has a second baseline: the same page from a sorted"
        + " set of the consumer's own visible images (`SortedSetLists`).");
    line("");
    line("| images | protections | operation | baseline | facade µs | baseline µs"
        + " | facade / baseline | facade B/op | baseline B/op |");
    line("|---:|---|---|---|---:|---:|---:|---:|---:|");
    String[][] pairs = {
      {"listPage", "storeListPage"},
      {"listPage", "sortedSetListPage"},
      {"get", "storeFind"},
      {"patch", "storeCompareAndSet"},
      {"shareAcceptUnshare", "storeShareAcceptUnshare"},
    };
    for (String images : List.of("10000", "1000000")) {
      for (String protections : List.of("off", "on")) {
        String[] p = {"images=" + images, "protections=" + protections};
        if (protections.equals("off") && m("FacadeBenchmark.listPage", p) == null) {
          continue; // the quick profile runs protections on only (see the note below the table)
        }
        for (String[] pair : pairs) {
          Measure facade = m("FacadeBenchmark." + pair[0], p);
          Measure store = m("FacadeBenchmark." + pair[1], p);
          line(row(count(Integer.parseInt(images)), protections, "`" + pair[0] + "`",
              "`" + pair[1] + "`", f(facade), f(store), r(q(facade, store)),
              bytesPerOp("FacadeBenchmark." + pair[0], p),
              bytesPerOp("FacadeBenchmark." + pair[1], p)));
        }
      }
    }
    line("");
    line("Rows without protections appear only when the run measured them (`--full`). No"
        + " target: the ratios show what the rules cost" + loadNote("FacadeBenchmark") + ".");
    line("");
  }

  private void access() {
    line("### Access decisions (one thread, 100,000-image catalog)");
    line("");
    Measure get = m("AccessBenchmark.get");
    Measure explain = m("AccessBenchmark.explain");
    Measure map = m("AccessBenchmark.hashMapGet");
    Measure policy = m("AccessBenchmark.policyAllowsGetImage");
    line("| operation | per second | ratio to `HashMap.get` | ratio to `get_image` alone"
        + " | B/op |");
    line("|---|---:|---:|---:|---:|");
    line(row("`images().get` (no explain)", f(get), r(q(get, map)), r(q(get, policy)),
        bytesPerOp("AccessBenchmark.get")));
    line(row("`access().explain(..., GET)`", f(explain), r(q(explain, map)),
        r(q(explain, policy)), bytesPerOp("AccessBenchmark.explain")));
    line(row("baseline: `HashMap.get`", f(map), r(q(map, map)), r(q(map, policy)),
        bytesPerOp("AccessBenchmark.hashMapGet")));
    line(row("baseline: `Policy.allows(get_image)`", f(policy), r(q(policy, map)),
        r(q(policy, policy)), bytesPerOp("AccessBenchmark.policyAllowsGetImage")));
    line("");
    line("`get` and `explain` build a fresh `Caller` per request (results from before session 7"
        + " reused one per pair).");
    line("");
    target("at least 2,000,000 decisions per second without explain", get, DECISIONS_TARGET,
        true, "/s", "AccessBenchmark");
    line("");
  }

  private void updates() {
    line("### Updates (memory store)");
    line("");
    Measure visibility = m("VisibilityBenchmark.setVisibility");
    Measure rawVisibility = m("VisibilityBenchmark.rawCompareAndSet");
    line("| operation | per second | baseline: same change as raw `compareAndSet`, per second"
        + " | ratio |");
    line("|---|---:|---:|---:|");
    for (String images : List.of("10000", "1000000")) {
      Measure members = batchRate("MemberBenchmark.addAndAccept", images);
      Measure rawMembers = batchRate("MemberBenchmark.rawCompareAndSet", images);
      line(row("member add + accept, fresh images, " + count(Integer.parseInt(images))
              + " images before them", f(members), f(rawMembers), r(q(members, rawMembers))));
    }
    line(row("`images().setVisibility` (shared ⇄ private)", f(visibility), f(rawVisibility),
        r(q(visibility, rawVisibility))));
    line("");
    line("Member add + accept: two requests through the default policy with property protections"
        + " on and a fresh `Caller` each (results from before `MemberBenchmark` took an `images`"
        + " parameter are 10,000 images, protections off, callers reused).");
    line("");
    line("No target: reported for comparison.");
    line("");
  }

  private void patches() {
    line("### JSON-patch updates (memory store)");
    line("");
    line("| operations | patches per second | `readTree` per second | patch / `readTree`"
        + " | raw `compareAndSet` per second | patch / raw |");
    line("|---:|---:|---:|---:|---:|---:|");
    for (String ops : List.of("1", "4", "10")) {
      Measure patch = m("PatchBenchmark.patch", "ops=" + ops);
      Measure tree = m("PatchBenchmark.jacksonReadTree", "ops=" + ops);
      Measure raw = m("PatchBenchmark.rawCompareAndSet", "ops=" + ops);
      line(row(ops, f(patch), f(tree), r(q(patch, tree)), f(raw), r(q(patch, raw))));
    }
    line("");
    line("No target: reported for comparison.");
    line("");
  }

  /** MiB per second of a single-shot benchmark over {@code bytes}. */
  private @Nullable Measure mibPerSecond(String method, long bytes) {
    Measure ms = m(method);
    return ms == null ? null : ms.inverse(bytes / 1048576.0 * 1000);
  }

  private void dataPath() {
    line("### Data path (1 GiB, memory catalog)");
    line("");
    line("| operation | ms | MiB/s | ratio to baseline | baseline |");
    line("|---|---:|---:|---:|---|");
    long size = DataPathBenchmark.SIZE;
    Map<String, Measure> base = new HashMap<>();
    base.put("sha", mibPerSecond("DataPathBenchmark.sha512", size));
    base.put("stream", mibPerSecond("DataPathBenchmark.fileStreamRead", size));
    base.put("fileStore", mibPerSecond("DataPathBenchmark.fileStoreRead", size));
    base.put("memoryStore", mibPerSecond("DataPathBenchmark.memoryStoreRead", size));
    base.put("channel", mibPerSecond("DataPathBenchmark.fileChannelRead", size));
    String[][] rows = {
      {"baseline: JDK SHA-512 `MessageDigest` alone", "sha512", "sha", "—"},
      {"reference: JDK MD5 `MessageDigest` alone", "md5", "sha", "SHA-512"},
      {"reference: MD5 and SHA-512 on one thread", "md5AndSha512", "sha", "SHA-512"},
      {"upload, `MemoryBlobStore`", "uploadMemory", "sha", "SHA-512"},
      {"upload, `FileBlobStore`", "uploadFile", "sha", "SHA-512"},
      {"baseline: `Files.newInputStream` of the blob file, 1 MiB `byte[]`", "fileStreamRead",
        "stream", "—"},
      {"reference: `FileBlobStore.read` of the blob, 1 MiB `byte[]`", "fileStoreRead", "stream",
        "plain stream read"},
      {"reference: `FileChannel` read of the blob file, 1 MiB heap buffer", "fileChannelRead",
        "stream", "plain stream read"},
      {"download, `FileBlobStore`", "downloadFile", "stream", "plain stream read"},
      {"download, `FileBlobStore`", "downloadFile", "fileStore", "`FileBlobStore.read`"},
      {"baseline: `MemoryBlobStore.read` of the blob, 1 MiB `byte[]`", "memoryStoreRead",
        "memoryStore", "—"},
      {"download, `MemoryBlobStore`", "downloadMemory", "memoryStore", "`MemoryBlobStore.read`"},
    };
    for (String[] row : rows) {
      String method = "DataPathBenchmark." + row[1];
      Measure rate = mibPerSecond(method, size);
      line(row(row[0], f(m(method)), f(rate), r(q(rate, base.get(row[2]))), row[3]));
    }
    line("");
    line("Every read reads to the end into one 1 MiB buffer, as the downloads do; the download"
        + " baselines read the same bytes (the file store's file, the memory store's blob).");
    line("");
    target("upload ≥ 0.9× SHA-512 (memory store)",
        q(mibPerSecond("DataPathBenchmark.uploadMemory", size), base.get("sha")), 0.9, true, "×",
        "DataPathBenchmark");
    target("upload ≥ 0.9× SHA-512 (file store)",
        q(mibPerSecond("DataPathBenchmark.uploadFile", size), base.get("sha")), 0.9, true, "×",
        "DataPathBenchmark");
    target("download ≥ 0.9× a plain stream read of the same file (file store)",
        q(mibPerSecond("DataPathBenchmark.downloadFile", size), base.get("stream")), 0.9, true,
        "×", "DataPathBenchmark");
    target("download ≥ 0.9× the store's own read (memory store)",
        q(mibPerSecond("DataPathBenchmark.downloadMemory", size), base.get("memoryStore")), 0.9,
        true, "×", "DataPathBenchmark");
    line("");
  }

  private void s3() {
    if (!section("S3 data path (256 MiB, S3Proxy in the benchmark's JVM)",
        "S3DataPathBenchmark")) {
      return;
    }
    line("| operation | ms | MiB/s | ratio to the plain call |");
    line("|---|---:|---:|---:|");
    long size = S3DataPathBenchmark.SIZE;
    Measure put = mibPerSecond("S3DataPathBenchmark.plainPut", size);
    Measure get = mibPerSecond("S3DataPathBenchmark.plainGet", size);
    String[][] rows = {
      {"`data().upload` to `S3BlobStore`", "upload", "put"},
      {"baseline: one `PutObject` of the same bytes", "plainPut", "put"},
      {"`data().download`, read to the end", "download", "get"},
      {"baseline: one `GetObject`, read to the end", "plainGet", "get"},
    };
    for (String[] row : rows) {
      String method = "S3DataPathBenchmark." + row[1];
      Measure rate = mibPerSecond(method, size);
      line(row(row[0], f(m(method)), f(rate), r(q(rate, row[2].equals("put") ? put : get))));
    }
    line("");
    line("No target: reported for comparison" + loadNote("S3DataPathBenchmark") + ".");
    line("");
  }

  private void quotaContention() {
    line("### Quota contention (16 threads, one project, memory stores)");
    line("");
    line("| limit | attempts per second | accepted per second | refused per second"
        + " | accepted / unlimited accepted | check: largest stored bytes seen (limit)"
        + " | readings | exceeded? |");
    line("|---|---:|---:|---:|---:|---:|---:|---|");
    Measure baseAccepted = null;
    for (String limit : List.of("unlimited", "user_storage_quota", "image_size_total")) {
      String p = "limit=" + limit;
      Measure attempts = m("QuotaContentionBenchmark.upload", p);
      Measure accepted = secondary("QuotaContentionBenchmark.upload", p, "accepted");
      Measure refused = secondary("QuotaContentionBenchmark.upload", p, "refused");
      Measure acceptedRate = null;
      Measure refusedRate = null;
      if (attempts != null && accepted != null && refused != null) {
        double all = accepted.value() + refused.value();
        acceptedRate = attempts.times(accepted.value() / all);
        refusedRate = attempts.times(refused.value() / all);
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
        seen = count(check.get("maxStoredBytes").asLong())
            + (limitBytes < 0 ? " (none)" : " (" + count(limitBytes) + ")");
        readings = count(check.get("samples").asLong());
        exceeded = limitBytes < 0 ? "—"
            : check.get("exceeded").asBoolean() ? "**yes: limit exceeded**" : "never";
      }
      line(row(limit.equals("unlimited") ? "baseline: none" : "`" + limit + "`", f(attempts),
          f(acceptedRate), f(refusedRate), r(q(acceptedRate, baseAccepted)), seen, readings,
          exceeded));
    }
    line("");
    boolean allChecked = true;
    boolean anyExceeded = false;
    for (String limit : List.of("user_storage_quota", "image_size_total")) {
      JsonNode check = quotaChecks.get(limit);
      allChecked &= check != null;
      anyExceeded |= check != null && check.get("exceeded").asBoolean();
    }
    line("- Check usage never exceeded the limit: "
        + (!allChecked ? "not measured" : anyExceeded ? "**failed**" : "**held**") + ".");
    line("");
  }

  private void durability() {
    line("### File catalog durability and open");
    line("");
    line("| writers | `FileCatalog` (fsync) per second | `MemoryCatalog` per second"
        + " | file / memory |");
    line("|---:|---:|---:|---:|");
    Measure one = m("DurabilityBenchmark.oneWriter", "store=file");
    Measure sixteen = m("DurabilityBenchmark.sixteenWriters", "store=file");
    Measure oneMemory = m("DurabilityBenchmark.oneWriter", "store=memory");
    Measure sixteenMemory = m("DurabilityBenchmark.sixteenWriters", "store=memory");
    line(row("1", f(one), f(oneMemory), r(q(one, oneMemory))));
    line(row("16", f(sixteen), f(sixteenMemory), r(q(sixteen, sixteenMemory))));
    line("");
    target("16 durable writers ≥ 5× one writer", q(sixteen, one), 5, true, "×",
        "DurabilityBenchmark");
    line("");
    line("| operation (1,000,000 images) | seconds | ratio to inserts |");
    line("|---|---:|---:|");
    Measure open = times(m("OpenBenchmark.open", "images=1000000"), 0.001);
    Measure inserts = times(m("OpenBenchmark.memoryInserts", "images=1000000"), 0.001);
    line(row("`FileCatalog.open`", f(open), r(q(open, inserts))));
    line(row("baseline: `MemoryCatalog` by inserts", f(inserts), r(q(inserts, inserts))));
    line("");
    target("open 1,000,000 images in ≤ 3 s", open, 3, false, " s", "OpenBenchmark");
    target("open ≥ 5× faster than the inserts", q(inserts, open), 5, true, "×",
        "OpenBenchmark");
    line("");
  }

  private void isolation() {
    if (!section("Isolation verification (1,000 projects × 10,000 images)",
        "IsolationBenchmark")) {
      return;
    }
    Measure verify = m("IsolationBenchmark.verify");
    Measure naive = m("IsolationBenchmark.naiveGetsForTenProjects");
    line("| operation | ms | ratio to the naive gets of all projects |");
    line("|---|---:|---:|");
    Measure allNaive = times(naive, IsolationBenchmark.PROJECTS / 10.0);
    line(row("`access().verifyIsolation`", f(verify), r(q(verify, allNaive))));
    line(row("baseline: one `images().get` per image for 10 projects", f(naive), "—"));
    line("");
    target("a whole verification in ≤ 60 s", verify, ISOLATION_TARGET_MS, false, " ms",
        "IsolationBenchmark");
    line("");
  }

  private void reports() {
    if (!section("Reports (memory catalog)", "ReportsBenchmark")) {
      return;
    }
    line("| images | call | ms per call | × bare scan |");
    line("|---:|---|---:|---:|");
    for (String images : List.of("100000", "1000000")) {
      Measure scan = m("ReportsBenchmark.scan", "images=" + images);
      if (scan == null) {
        line(row(count(Integer.parseInt(images)), "not run", "—", "—"));
        continue;
      }
      for (String call : List.of("scan", "capacity", "recommend", "whatIf", "reconcile",
          "hygiene", "plan")) {
        Measure ms = m("ReportsBenchmark." + call, "images=" + images);
        line(row(count(Integer.parseInt(images)),
            call.equals("scan") ? "bare `forEach` (baseline)" : "`" + call + "`", f(ms),
            r(q(ms, scan))));
      }
    }
    line("");
  }

  private void memory(@Nullable JsonNode memory) {
    line("### Memory (memory store)");
    line("");
    if (memory == null) {
      line("Not run.");
      line("");
      return;
    }
    double images = memory.get("images").asDouble();
    double catalog = memory.get("memoryCatalogBytes").asDouble();
    double bare = memory.get("bareImagesInArrayListBytes").asDouble();
    double withMembers = memory.get("imagesWithMembersInArrayListBytes").asDouble();
    String what = memory.has("members")
        ? count((long) images) + " images, " + count(memory.get("members").asLong()) + " members ("
            + memory.get("dataset").asText() + ")"
        : count((long) images) + " images, 3 members each";
    line(what + ". Heap in use after a full GC, minus"
        + " the same before building (a count, not a sample: no error); "
        + memory.get("gc").asText() + ", max heap " + mib(memory.get("maxHeapBytes").asDouble())
        + ".");
    line("");
    line("| structure | total | per image | ratio to bare images in an `ArrayList` |");
    line("|---|---:|---:|---:|");
    line(memRow("`MemoryCatalog` with the images and their members", catalog, images,
        bare));
    line(memRow("the same images with members in an `ArrayList`", withMembers, images, bare));
    line(memRow("baseline: the same images without members in an `ArrayList`", bare, images,
        bare));
    line("");
    Measure bytes = Measure.exact(catalog / (1024 * 1024));
    target("under 2 GiB for 1,000,000 images with their members", bytes,
        MEMORY_TARGET_BYTES / (1024 * 1024), false, " MiB", "MemoryFootprint");
    line("");
  }

  private static String memRow(String name, double bytes, double images, double bare) {
    return row(name, mib(bytes), String.format(Locale.ROOT, "%,.0f B", bytes / images),
        String.format(Locale.ROOT, "%.2f", bytes / bare));
  }

  /** Every run of the results that no section above rendered, so none is dropped. */
  private void others() {
    List<JsonNode> rest = runs.stream().filter(run -> !used.containsKey(run)).toList();
    line("### Other benchmarks of this run");
    line("");
    if (rest.isEmpty()) {
      line("None: every run of the results is in a table above.");
      line("");
      return;
    }
    line("| benchmark | parameters | score | unit |");
    line("|---|---|---:|---|");
    for (JsonNode run : rest) {
      StringBuilder params = new StringBuilder();
      run.path("params").fields().forEachRemaining(e -> params.append(params.length() == 0
          ? "" : ", ").append(e.getKey()).append('=').append(e.getValue().asText()));
      line(row("`" + run.get("benchmark").asText().substring(PKG.length()) + "`",
          params.length() == 0 ? "—" : params.toString(), f(measure(run)),
          run.get("primaryMetric").get("scoreUnit").asText()));
    }
    line("");
  }

  private void loads() {
    line("### Load per benchmark");
    line("");
    if (load.isEmpty()) {
      line("Not recorded (`load.txt` is missing: this run predates it).");
      line("");
      return;
    }
    line("`/proc/loadavg` just before and just after each benchmark's JMH run, on "
        + (cores > 0 ? cores + " cores" : "an unrecorded number of cores") + ". The"
        + " benchmark's own threads count in the load after it.");
    line("");
    line("| benchmark | seconds | load before (1, 5, 15 min) | load after (1, 5, 15 min) |");
    line("|---|---:|---|---|");
    for (Map.Entry<String, double[]> e : new TreeMap<>(load).entrySet()) {
      double[] v = e.getValue();
      line(row("`" + e.getKey() + "`", count((long) v[0]),
          String.format(Locale.ROOT, "%.2f, %.2f, %.2f", v[1], v[2], v[3]),
          String.format(Locale.ROOT, "%.2f, %.2f, %.2f", v[4], v[5], v[6])));
    }
    line("");
  }

  // ---- targets and formats ----

  /**
   * A target's line: the figure with its error, the verdict of {@link Measure#against}, and
   * the load before the benchmark when it exceeded half the cores (then "met" is not a claim).
   */
  private void target(String what, @Nullable Measure value, double bound, boolean atLeast,
      String unit, String benchmark) {
    String shown = value == null ? "" : " (" + f(value) + unit + ")";
    line("- Target " + what + ": " + verdict(value, bound, atLeast) + shown
        + loadNote(benchmark) + ".");
  }

  static String verdict(@Nullable Measure value, double bound, boolean atLeast) {
    if (value == null) {
      return "not measured";
    }
    switch (value.against(bound, atLeast)) {
      case MET:
        return "**met**";
      case MISSED:
        return "**missed**";
      default:
        return value.hasError() ? "**not decided** (the bound is within the error)"
            : "**not decided** (no error: too few samples)";
    }
  }

  /** "; loaded: ..." when the load before {@code benchmark} was at least half the cores. */
  private String loadNote(String benchmark) {
    double[] v = load.get(benchmark);
    if (v == null) {
      return load.isEmpty() ? "" : "; load not recorded";
    }
    return cores > 0 && v[1] >= cores / 2.0
        ? String.format(Locale.ROOT, "; measured under load (%.2f before, on %d cores):"
            + " re-run on a quiet machine", v[1], cores)
        : "";
  }

  private static String row(String... cells) {
    return "| " + String.join(" | ", cells) + " |";
  }

  private static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  private static String mib(double bytes) {
    return String.format(Locale.ROOT, "%,.0f MiB", bytes / (1024 * 1024));
  }

  /** A figure and its error, or "not run". */
  static String f(@Nullable Measure m) {
    if (m == null) {
      return "not run";
    }
    if (m.error() == 0) {
      return num(m.value());
    }
    return num(m.value()) + " ± " + (m.hasError() ? num(m.error()) : "?");
  }

  /** A ratio and its error, or "—". */
  private static String r(@Nullable Measure m) {
    if (m == null) {
      return "—";
    }
    if (m.error() == 0) {
      return ratio(m.value());
    }
    return ratio(m.value()) + " ± " + (m.hasError() ? ratio(m.error()) : "?");
  }

  private static String ratio(double r) {
    double a = Math.abs(r);
    return String.format(Locale.ROOT, a < 0.01 ? "%.4f" : a < 0.1 ? "%.3f" : "%.2f", r);
  }

  static String num(double v) {
    double a = Math.abs(v);
    if (Double.isInfinite(v) || Double.isNaN(v)) {
      return "?";
    }
    if (a >= 1000) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    if (a >= 10) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    return String.format(Locale.ROOT, a < 0.1 ? "%.3f" : "%.2f", v);
  }

  private void line(String text) {
    out.append(text).append('\n');
  }
}
