package l2l.dsl.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.vavr.collection.List;
import java.io.BufferedReader;
import java.io.IOException;
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
import l2l.dsl.MetaGradient;
import l2l.dsl.MetaObjective;
import l2l.dsl.Minimize;
import l2l.dsl.io.AtomicFiles;
import l2l.dsl.io.Json;
import l2l.dsl.report.Tables;
import l2l.optimizers.Optimizers;
import l2l.optimizers.Transforms;
import l2l.optimizers.learned.CoordinatewiseLstm;
import l2l.optimizers.learned.LstmConfig;
import l2l.optimizers.learned.Precision;
import l2l.optimizers.learned.RowParallel;
import l2l.problems.Problem;
import l2l.problems.data.DataCache;
import l2l.problems.data.Datasets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code l2l bench}: how long a meta-training epoch takes, at 1 and 2 threads, optionally beside PyTorch. */
@Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = L2l.VersionProvider.class, sortOptions = false, usageHelpAutoWidth = true,
    description = {"Time meta-training epochs (forward and backward through all truncations and the Adam meta-step)"
        + " of the paper's setting: the quadratic 128×10 (1280 coordinates) or, with --mnist, the MLP 784-20-10"
        + " (15910 coordinates); LSTM 20x20, horizon 100, unroll 20, first-order meta-gradient.", "",
        "Reports the median seconds per epoch at each thread count, the matrix-product backend and whether the JVM"
            + " has the vector API. With --torch-script it also runs the PyTorch reference's --bench-only in the same"
            + " run and prints both side by side.", ""},
    footer = {"", "Examples:", "  l2l bench", "  l2l bench --torch-script /work/shared/peers/torch_l2l.py",
        "  l2l bench --precision float32 --torch-script /work/shared/peers/torch_l2l.py",
        "  l2l bench --mnist --epochs 5 --warmup 3"})
final class BenchCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--mnist", description = "Time the MNIST MLP 784-20-10 instead of the quadratic.")
  boolean mnist;

  @Option(names = "--epochs", paramLabel = "N", description = "Timed epochs per thread count (default: 20, 5 with --mnist).")
  Integer epochs;

  @Option(names = "--warmup", paramLabel = "N",
      description = "Untimed epochs first, for the JIT compiler (default: 10, 3 with --mnist; 2 at later thread counts).")
  Integer warmup;

  @Option(names = "--thread-counts", paramLabel = "LIST", split = ",", defaultValue = "1,2",
      description = "Thread counts to time (default: ${DEFAULT-VALUE}).")
  java.util.List<Integer> threadCounts;

  @Option(names = "--precision", paramLabel = "P", defaultValue = "double",
      description = "The LSTM's arithmetic: double or float32 (single precision, about twice as fast; PyTorch's"
          + " reference computes in float32); default: ${DEFAULT-VALUE}.")
  String precision;

  @Option(names = "--torch-script", paramLabel = "PATH",
      description = "Also run this PyTorch reference (e.g. /work/shared/peers/torch_l2l.py) with --bench-only.")
  Path torchScript;

  @Option(names = "--python", paramLabel = "PATH", defaultValue = "/usr/bin/python3",
      description = "The Python that runs --torch-script (default: ${DEFAULT-VALUE}).")
  Path python;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON here.")
  Path json;

  /** One timing. */
  record Timing(int threads, double median, double mean, double min, int epochs) {}

  @Override
  public Integer call() {
    int n = epochs != null ? epochs : mnist ? 5 : 20;
    int w = warmup != null ? warmup : mnist ? 3 : 10;
    Inputs.positive(spec, "--epochs", n);
    Usage.require(spec, w >= 0, "--warmup must be ≥ 0, got " + w);
    Usage.require(spec, !threadCounts.isEmpty(), "--thread-counts needs at least one count");
    for (int t : threadCounts) Inputs.positive(spec, "--thread-counts", t);
    if (torchScript != null) {
      Usage.require(spec, Files.isReadable(torchScript) && Files.isRegularFile(torchScript),
          "--torch-script " + torchScript + ": no such readable file");
      Usage.require(spec, Files.isExecutable(python), "--python " + python + ": not an executable file");
    }
    if (json != null) {
      Usage.require(spec, !Files.isDirectory(json), "--json " + json + " is a folder");
      Path parent = json.toAbsolutePath().getParent();
      Usage.require(spec, !Files.exists(parent) || Files.isDirectory(parent) && Files.isWritable(parent),
          "--json " + json + ": cannot write into " + parent);
    }
    Precision prec = Precision.parse(precision);
    Usage.require(spec, prec != null, "--precision must be double or float32, got '" + precision + "'");
    Problem problem = Inputs.problem(spec, mnist ? "mnist" : "quadratic");
    PrintWriter o = spec.commandLine().getOut();
    LstmConfig config = mnist ? LstmConfig.mnist() : LstmConfig.quadratic();
    boolean vector = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    String backend = Gemm.backend();
    o.println("l2l: " + problem.name() + ", " + config.describe() + ", horizon 100, unroll 20, first-order, Adam");
    o.println("precision: " + prec.label() + (prec == Precision.FLOAT32
        ? " (LSTM activations, gates and products in float; θ, gradients and meta-gradient sums in double)" : ""));
    o.println("matrix products: " + backend);
    o.println("vector API (jdk.incubator.vector): " + (vector ? "present, SIMD loops in use" : "absent (scalar loops;"
        + " run java with --add-modules jdk.incubator.vector)"));
    o.println("cores: " + Runtime.getRuntime().availableProcessors() + ", OMP_NUM_THREADS="
        + System.getenv().getOrDefault("OMP_NUM_THREADS", "(unset)"));
    o.flush();
    int before = RowParallel.threads();
    java.util.List<Timing> mine = new ArrayList<>();
    try {
      for (int i = 0; i < threadCounts.size(); i++) {
        int t = threadCounts.get(i);
        RowParallel.setThreads(t);
        Timing r = time(problem, config, prec, t, i == 0 ? w : Math.min(w, 2), n, o);
        mine.add(r);
        o.println(String.format(Locale.ROOT, "[l2l] threads=%d, %s: %.4f s/epoch median, %.4f mean, %.4f min (%d epochs)",
            t, prec.label(), r.median(), r.mean(), r.min(), r.epochs()));
        o.flush();
      }
    } finally {
      RowParallel.setThreads(before);
    }
    JsonObject torch = torchScript == null ? null : torch(n, w, o);
    java.util.List<List<String>> rows = new ArrayList<>();
    for (Timing t : mine) {
      double theirs = torchMedian(torch, t.threads());
      rows.add(List.of(Integer.toString(t.threads()), String.format(Locale.ROOT, "%.4f", t.median()),
          String.format(Locale.ROOT, "%.4f", t.min()),
          Double.isNaN(theirs) ? "–" : String.format(Locale.ROOT, "%.4f", theirs),
          Double.isNaN(theirs) ? "–" : String.format(Locale.ROOT, "%.2f", t.median() / theirs)));
    }
    o.println();
    o.print(Tables.grid(List.of("threads", "l2l " + prec.label() + " median s/epoch", "l2l min", "PyTorch median",
        "l2l / PyTorch"), List.ofAll(rows), 1));
    if (torch != null) {
      String version = torch.has("torch_version") ? torch.get("torch_version").getAsString() : "?";
      java.util.List<String> libs = new ArrayList<>();
      if (torch.has("blas_libs") && torch.get("blas_libs").isJsonArray()) {
        torch.getAsJsonArray("blas_libs").forEach(x -> libs.add(x.getAsString()));
      }
      o.println("PyTorch " + version + ", BLAS: " + (libs.isEmpty() ? "?" : String.join(", ", libs)));
    }
    if (json != null) {
      JsonObject out = new JsonObject();
      out.addProperty("problem", problem.name());
      out.addProperty("backend", backend);
      out.addProperty("precision", prec.label());
      out.addProperty("vector_api", vector);
      JsonArray a = new JsonArray();
      for (Timing t : mine) {
        JsonObject x = new JsonObject();
        x.addProperty("threads", t.threads());
        x.addProperty("median_s_per_epoch", t.median());
        x.addProperty("mean_s_per_epoch", t.mean());
        x.addProperty("min_s_per_epoch", t.min());
        x.addProperty("timed_epochs", t.epochs());
        a.add(x);
      }
      out.add("l2l", a);
      if (torch != null) out.add("torch", torch);
      AtomicFiles.writeString(json, Json.pretty(out));
      o.println("wrote " + json);
    }
    o.flush();
    return 0;
  }

  /** Seconds per meta-training epoch: {@code warmup} untimed epochs, then {@code n} timed. */
  static Timing time(Problem problem, LstmConfig config, Precision precision, int threads, int warmup, int n,
      PrintWriter o) {
    MetaObjective meta = new MetaObjective(CoordinatewiseLstm.of(config), problem, 100, 20, MetaGradient.FIRST_ORDER,
        10_000 + threads).withPrecision(precision);
    int k = meta.truncationsPerEpoch();
    Iterator<Minimize.State<MetaObjective.State>> it =
        Minimize.states(meta, Transforms.applyIfFinite(Optimizers.adam(1e-3)));
    for (int e = 0; e < warmup; e++) {
      long t0 = System.nanoTime();
      for (int j = 0; j < k; j++) it.next().result();
      o.println(String.format(Locale.ROOT, "[l2l] threads=%d: warm-up epoch %d/%d %.3f s", threads, e + 1, warmup,
          (System.nanoTime() - t0) / 1e9));
      o.flush();
    }
    double[] s = new double[n];
    for (int e = 0; e < n; e++) {
      long t0 = System.nanoTime();
      for (int j = 0; j < k; j++) it.next().result();
      s[e] = (System.nanoTime() - t0) / 1e9;
    }
    double[] sorted = s.clone();
    Arrays.sort(sorted);
    double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    return new Timing(threads, median, Arrays.stream(s).average().orElse(Double.NaN), sorted[0], n);
  }

  private JsonObject torch(int n, int w, PrintWriter o) {
    Path tmp = null;
    try {
      tmp = Files.createTempFile("l2l-torch-bench", ".json");
      java.util.List<String> cmd = new ArrayList<>(java.util.List.of(python.toString(), torchScript.toString(),
          "--bench-only", "--bench-epochs", Integer.toString(n), "--bench-warmup", Integer.toString(Math.max(w, 1)),
          "--bench-threads", String.join(",", threadCounts.stream().map(String::valueOf).toList()), "--json",
          tmp.toString()));
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
      JsonElement e = JsonParser.parseString(Files.readString(tmp));
      return e.isJsonObject() ? e.getAsJsonObject() : null;
    } catch (IOException | RuntimeException e) {
      o.println("[torch] could not run the PyTorch reference: " + e.getMessage());
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // a temporary file
        }
      }
    }
  }

  private static double torchMedian(JsonObject torch, int threads) {
    if (torch == null || !torch.has("bench") || !torch.get("bench").isJsonArray()) return Double.NaN;
    for (JsonElement b : torch.getAsJsonArray("bench")) {
      JsonObject x = b.getAsJsonObject();
      if (x.has("threads") && x.get("threads").getAsInt() == threads && x.has("median_s_per_epoch")) {
        return x.get("median_s_per_epoch").getAsDouble();
      }
    }
    return Double.NaN;
  }

}
