package l2l.dsl.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.vavr.collection.List;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.concurrent.Callable;
import l2l.autodiff.Gemm;
import l2l.autodiff.LstmKernels;
import l2l.dsl.MetaTask;
import l2l.dsl.Minimize;
import l2l.dsl.io.AtomicFiles;
import l2l.dsl.io.Json;
import l2l.dsl.report.Tables;
import l2l.optimizers.Optimizers;
import l2l.optimizers.Transforms;
import l2l.optimizers.learned.CoordinatewiseLstm;
import l2l.optimizers.learned.LearnedOptimizer;
import l2l.optimizers.learned.MetaGradient;
import l2l.optimizers.learned.Precision;
import l2l.optimizers.learned.RowParallel;
import l2l.problems.Problem;
import l2l.problems.data.DataCache;
import l2l.problems.data.Datasets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code l2l bench}: how long a meta-training epoch takes, per architecture and engine, optionally beside PyTorch. */
@Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class, sortOptions = false, usageHelpAutoWidth = true,
    description = {"Time meta-training epochs (forward and backward through all truncations and the Adam meta-step):"
        + " horizon 100, unroll 20, on the quadratic 128×10 (1280 coordinates) or the MNIST MLP 784-20-10 (15910"
        + " coordinates).", "",
        "Every combination of --architecture, --engine, --precision and --meta-gradient is timed at each thread count;"
            + " their epochs alternate, so that all see the same machine, and the ratios to the first combination are"
            + " measured in one run. --engine default is the engine the architecture registers (the lstm's"
            + " hand-written unroll), general is reverse mode through the composed optimizer. With --torch the"
            + " bundled PyTorch reference (lstm and rnnprop, float32) runs in the same run, beside.", ""},
    footer = {"", "Examples:", "  l2l bench", "  l2l bench --architecture lstm,rnnprop,lstm-features --engine default,general",
        "  l2l bench --precision double,float32 --torch", "  l2l bench --problem mnist --epochs 5 --warmup 3 --torch"})
final class BenchCommand implements Callable<Integer> {
  /** The PyTorch reference, a resource of this jar. */
  static final String TORCH_SCRIPT = "/l2l/bench/torch_meta_epoch.py";

  @Spec
  CommandSpec spec;

  @Option(names = "--problem", paramLabel = "SPEC", defaultValue = "quadratic",
      description = "The problem (default: ${DEFAULT-VALUE}; the PyTorch reference knows quadratic and mnist).")
  String problem;

  @Option(names = "--architecture", paramLabel = "LIST", split = ",", defaultValue = "lstm",
      description = "Architectures to time: " + ArchitectureOptions.NAMES + " (default: ${DEFAULT-VALUE}).")
  java.util.List<String> architectures;

  @Option(names = "--engine", paramLabel = "LIST", split = ",", defaultValue = "default,general",
      description = "Engines: default (what the architecture registers) and/or general (default: ${DEFAULT-VALUE}).")
  java.util.List<String> engines;

  @Option(names = "--precision", paramLabel = "LIST", split = ",", defaultValue = "double",
      description = "double and/or float32 (default: ${DEFAULT-VALUE}); combinations without a float32 engine are"
          + " skipped.")
  java.util.List<String> precisions;

  @Option(names = "--meta-gradient", paramLabel = "ESTIMATOR", defaultValue = "first-order",
      description = "A meta-gradient estimator, as 'l2l train --meta-gradient' takes it; repeat the option for several"
          + " (default: ${DEFAULT-VALUE}).")
  java.util.List<String> metaGradients;

  @Option(names = "--thread-counts", paramLabel = "LIST", split = ",", defaultValue = "1,2",
      description = "Thread counts to time (default: ${DEFAULT-VALUE}).")
  java.util.List<Integer> threadCounts;

  @Option(names = "--epochs", paramLabel = "N", description = "Timed epochs per combination and thread count (default:"
      + " 20, 5 on MNIST).")
  Integer epochs;

  @Option(names = "--warmup", paramLabel = "N",
      description = "Untimed epochs first, for the JIT compiler (default: 10, 3 on MNIST; 2 at later thread counts).")
  Integer warmup;

  @Option(names = "--torch", description = "Also run the bundled PyTorch reference (needs python3 with torch, e.g."
      + " Debian's python3-torch).")
  boolean torch;

  @Option(names = "--python", paramLabel = "PATH", defaultValue = "/usr/bin/python3",
      description = "The Python that runs the PyTorch reference (default: ${DEFAULT-VALUE}).")
  Path python;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON here.")
  Path json;

  /** One timed combination. */
  record Case(String architecture, String engine, Precision precision, MetaGradient metaGradient, MetaTask task) {
    String label() {
      return architecture + " " + engine + " " + precision.label() + (metaGradient == MetaGradient.FIRST_ORDER ? ""
          : " " + metaGradient.label());
    }
  }

  /** One timing. */
  record Timing(Case of, int threads, double median, double mean, double min, int epochs) {}

  @Override
  public Integer call() {
    boolean mnist = problem.trim().startsWith("mnist");
    int n = epochs != null ? epochs : mnist ? 5 : 20;
    int w = warmup != null ? warmup : mnist ? 3 : 10;
    Inputs.positive(spec, "--epochs", n);
    Usage.require(spec, w >= 0, "--warmup must be ≥ 0, got " + w);
    Usage.require(spec, !threadCounts.isEmpty(), "--thread-counts needs at least one count");
    for (int t : threadCounts) Inputs.positive(spec, "--thread-counts", t);
    if (torch) {
      Usage.require(spec, Files.isExecutable(python), "--python " + python + ": not an executable file");
      Usage.require(spec, problem.trim().equals("quadratic") || problem.trim().equals("mnist"),
          "--torch: the PyTorch reference knows the problems quadratic and mnist, not '" + problem + "'");
    }
    if (json != null) {
      Usage.require(spec, !Files.isDirectory(json), "--json " + json + " is a folder");
      Path parent = json.toAbsolutePath().getParent();
      Usage.require(spec, !Files.exists(parent) || Files.isDirectory(parent) && Files.isWritable(parent),
          "--json " + json + ": cannot write into " + parent);
    }
    Problem prob = Inputs.problem(spec, problem);
    java.util.List<Case> cases = cases(prob);
    Usage.require(spec, !cases.isEmpty(), "no combination of --architecture, --engine and --precision has an engine");
    PrintWriter o = spec.commandLine().getOut();
    boolean vector = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    String backend = Gemm.backend();
    o.println("l2l: " + prob.name() + ", horizon " + MetaTask.HORIZON + ", unroll " + MetaTask.UNROLL + ", Adam 1e-3");
    for (Case c : cases) o.println("  " + c.label() + ": " + c.task().learned().describe());
    o.println("matrix products: " + backend);
    o.println("elementwise loops: " + LstmKernels.loops() + (vector ? "" : " (run java with --add-modules"
        + " jdk.incubator.vector for SIMD)"));
    o.println("cores: " + Runtime.getRuntime().availableProcessors() + ", OMP_NUM_THREADS="
        + System.getenv().getOrDefault("OMP_NUM_THREADS", "(unset)"));
    o.flush();
    int before = RowParallel.threads();
    java.util.List<Timing> mine = new ArrayList<>();
    try {
      for (int i = 0; i < threadCounts.size(); i++) {
        int t = threadCounts.get(i);
        RowParallel.setThreads(t);
        mine.addAll(time(cases, t, i == 0 ? w : Math.min(w, 2), n, o));
      }
    } finally {
      RowParallel.setThreads(before);
    }
    JsonObject torchResult = torch ? torch(n, w, mnist, o) : null;
    java.util.List<List<String>> rows = new ArrayList<>();
    for (Timing t : mine) {
      Timing base = mine.stream().filter(b -> b.threads() == t.threads()).findFirst().orElseThrow();
      double theirs = torchMedian(torchResult, t.of().architecture(), t.threads());
      rows.add(List.of(t.of().label(), Integer.toString(t.threads()), String.format(Locale.ROOT, "%.4f", t.median()),
          String.format(Locale.ROOT, "%.4f", t.min()), String.format(Locale.ROOT, "%.2f", t.median() / base.median()),
          Double.isNaN(theirs) ? "–" : String.format(Locale.ROOT, "%.4f", theirs),
          Double.isNaN(theirs) ? "–" : String.format(Locale.ROOT, "%.2f", t.median() / theirs)));
    }
    o.println();
    o.print(Tables.grid(List.of("architecture engine precision", "threads", "median s/epoch", "min",
        "/ first row", "PyTorch median", "/ PyTorch"), List.ofAll(rows), 1));
    if (torchResult != null) {
      String version = torchResult.has("torch_version") ? torchResult.get("torch_version").getAsString() : "?";
      java.util.List<String> libs = new ArrayList<>();
      if (torchResult.has("blas_libs") && torchResult.get("blas_libs").isJsonArray()) {
        torchResult.getAsJsonArray("blas_libs").forEach(x -> libs.add(x.getAsString()));
      }
      o.println("PyTorch " + version + " (float32), BLAS: " + (libs.isEmpty() ? "?" : String.join(", ", libs)));
    }
    if (json != null) {
      AtomicFiles.writeString(json, Json.pretty(toJson(prob, backend, vector, mine, torchResult)));
      o.println("wrote " + json);
    }
    o.flush();
    return 0;
  }

  /** Every combination that has an engine, in the order given. */
  private java.util.List<Case> cases(Problem prob) {
    java.util.List<Case> out = new ArrayList<>();
    for (String a : architectures) {
      LearnedOptimizer registered = CoordinatewiseLstm.of(ArchitectureOptions.named(spec, a, problem));
      for (String e : engines) {
        String engine = e.trim().toLowerCase(Locale.ROOT);
        Usage.require(spec, engine.equals("default") || engine.equals("general"),
            "unknown --engine '" + e + "'; known: default, general");
        for (String p : precisions) {
          Precision precision = Precision.parse(p);
          Usage.require(spec, precision != null, "--precision must be double or float32, got '" + p + "'");
          for (String m : metaGradients) {
            MetaGradient mode = Usage.check(spec, "--meta-gradient", MetaGradient::parse, m);
            Usage.require(spec, mode != null, "unknown --meta-gradient '" + m + "'; known: first-order, second-order,"
                + " full, es[:sigma=S,pairs=P], pes[:sigma=S,pairs=P]");
            LearnedOptimizer learned = engine.equals("general") ? registered.generalEngineOnly() : registered;
            try {
              MetaTask task = MetaTask.of(learned, prob).withPrecision(precision).withMetaGradient(mode).withSeed(10_000);
              out.add(new Case(a.trim(), engine, precision, mode, task));
            } catch (IllegalArgumentException noEngine) {
              // this architecture offers no engine in this precision: nothing to time
            }
          }
        }
      }
    }
    return out;
  }

  /**
   * Seconds per meta-training epoch of each case at one thread count: {@code warmup} untimed epochs
   * each, then {@code n} timed epochs each, taken in turns.
   */
  static java.util.List<Timing> time(java.util.List<Case> cases, int threads, int warmup, int n, PrintWriter o) {
    java.util.List<Iterator<Minimize.State<MetaTask.State>>> runs = new ArrayList<>();
    for (Case c : cases) runs.add(Minimize.states(c.task(), Transforms.applyIfFinite(Optimizers.adam(1e-3))));
    for (int i = 0; i < cases.size(); i++) {
      for (int e = 0; e < warmup; e++) {
        double s = epoch(runs.get(i), cases.get(i).task());
        o.println(String.format(Locale.ROOT, "[l2l] threads=%d %s: warm-up epoch %d/%d %.3f s", threads,
            cases.get(i).label(), e + 1, warmup, s));
        o.flush();
      }
    }
    double[][] s = new double[cases.size()][n];
    for (int e = 0; e < n; e++) {
      for (int i = 0; i < cases.size(); i++) s[i][e] = epoch(runs.get(i), cases.get(i).task());
    }
    java.util.List<Timing> out = new ArrayList<>();
    for (int i = 0; i < cases.size(); i++) {
      double[] sorted = s[i].clone();
      Arrays.sort(sorted);
      double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
      Timing t = new Timing(cases.get(i), threads, median, Arrays.stream(s[i]).average().orElse(Double.NaN), sorted[0],
          n);
      out.add(t);
      o.println(String.format(Locale.ROOT, "[l2l] threads=%d %s: %.4f s/epoch median, %.4f mean, %.4f min (%d epochs)",
          threads, t.of().label(), t.median(), t.mean(), t.min(), n));
      o.flush();
    }
    return out;
  }

  private static double epoch(Iterator<Minimize.State<MetaTask.State>> run, MetaTask task) {
    long t0 = System.nanoTime();
    for (int j = 0; j < task.truncationsPerEpoch(); j++) run.next().result();
    return (System.nanoTime() - t0) / 1e9;
  }

  private JsonObject toJson(Problem prob, String backend, boolean vector, java.util.List<Timing> mine,
      JsonObject torchResult) {
    JsonObject out = new JsonObject();
    out.addProperty("problem", prob.name());
    out.addProperty("backend", backend);
    out.addProperty("vector_api", vector);
    JsonArray a = new JsonArray();
    for (Timing t : mine) {
      JsonObject x = new JsonObject();
      x.addProperty("architecture", t.of().architecture());
      x.addProperty("engine", t.of().engine());
      x.addProperty("precision", t.of().precision().label());
      x.addProperty("meta_gradient", t.of().metaGradient().label());
      x.addProperty("threads", t.threads());
      x.addProperty("median_s_per_epoch", t.median());
      x.addProperty("mean_s_per_epoch", t.mean());
      x.addProperty("min_s_per_epoch", t.min());
      x.addProperty("timed_epochs", t.epochs());
      a.add(x);
    }
    out.add("l2l", a);
    if (torchResult != null) out.add("torch", torchResult);
    return out;
  }

  /** Runs the bundled PyTorch reference for the architectures it knows; null if it could not run. */
  private JsonObject torch(int n, int w, boolean mnist, PrintWriter o) {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("l2l-torch-bench");
      Path script = dir.resolve("torch_meta_epoch.py"), out = dir.resolve("torch.json");
      try (InputStream in = BenchCommand.class.getResourceAsStream(TORCH_SCRIPT)) {
        if (in == null) throw new IOException("this jar has no " + TORCH_SCRIPT);
        Files.copy(in, script);
      }
      java.util.List<String> known = architectures.stream().map(String::trim)
          .filter(a -> a.equals("lstm") || a.equals("rnnprop")).distinct().toList();
      if (known.isEmpty()) {
        o.println("[torch] the PyTorch reference knows lstm and rnnprop only; skipped");
        return null;
      }
      java.util.List<String> cmd = new ArrayList<>(java.util.List.of(python.toString(), script.toString(),
          "--bench-epochs", Integer.toString(n), "--bench-warmup", Integer.toString(Math.max(w, 1)), "--bench-threads",
          String.join(",", threadCounts.stream().map(String::valueOf).toList()), "--architecture",
          String.join(",", known), "--json", out.toString()));
      if (mnist) {
        cmd.addAll(java.util.List.of("--problem", "mnist", "--mnist-dir",
            DataCache.configuredRoot().resolve(Datasets.MNIST).toString()));
      }
      o.println("[torch] " + String.join(" ", cmd));
      o.flush();
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      pb.environment().remove("OMP_NUM_THREADS");
      Process p = pb.start();
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          o.println("[torch] " + line);
          o.flush();
        }
      }
      int code = p.waitFor();
      if (code != 0) {
        o.println("[torch] the PyTorch reference failed (exit code " + code + "); only l2l's timings are shown");
        return null;
      }
      JsonElement e = JsonParser.parseString(Files.readString(out));
      return e.isJsonObject() ? e.getAsJsonObject() : null;
    } catch (IOException | RuntimeException e) {
      o.println("[torch] could not run the PyTorch reference: " + e.getMessage());
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } finally {
      if (dir != null) {
        try (var files = Files.walk(dir)) {
          files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
          // a temporary folder
        }
      }
    }
  }

  private static double torchMedian(JsonObject torch, String architecture, int threads) {
    if (torch == null || !torch.has("bench") || !torch.get("bench").isJsonArray()) return Double.NaN;
    for (JsonElement b : torch.getAsJsonArray("bench")) {
      JsonObject x = b.getAsJsonObject();
      String a = x.has("architecture") ? x.get("architecture").getAsString() : "lstm";
      if (a.equals(architecture) && x.has("threads") && x.get("threads").getAsInt() == threads
          && x.has("median_s_per_epoch")) {
        return x.get("median_s_per_epoch").getAsDouble();
      }
    }
    return Double.NaN;
  }
}
