package l2l.dsl.cli;

import io.vavr.Tuple2;
import io.vavr.collection.HashSet;
import io.vavr.collection.List;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import l2l.dsl.Comparison;
import l2l.dsl.cluster.Cluster;
import l2l.dsl.cluster.Recipe;
import l2l.dsl.LearnedOptimizers;
import l2l.dsl.io.OptimizerFile;
import l2l.dsl.io.ArchitectureJson;
import l2l.dsl.io.AtomicFiles;
import l2l.dsl.io.Json;
import l2l.dsl.io.TreeJson;
import l2l.dsl.io.Version;
import l2l.dsl.report.CurveFiles;
import l2l.dsl.report.Curves;
import l2l.dsl.report.Fmt;
import l2l.dsl.report.Reports;
import l2l.dsl.report.Results;
import l2l.dsl.report.Scorecard;
import l2l.dsl.report.Tables;
import l2l.optimizers.learned.LstmConfig;
import l2l.problems.Problem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code l2l compare}: trained optimizers against tuned baselines on the same held-out tasks. */
@Command(name = "compare", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class, sortOptions = false, usageHelpAutoWidth = true,
    description = {"Compare trained optimizers with SGD, NAG, RMSprop and Adam, each at the learning rate that did best"
        + " on separate tuning tasks, on the same held-out test tasks (the paper's figures).", "",
        "Writes table.txt, curves.csv, curves.json (every curve: the mean and each task's) and loss.png (mean loss"
            + " against step, log scale) into --out, and prints the table.", ""},
    footer = {"", "Examples:", "  l2l compare runs/quad/optimizer.json --out results/quad",
        "  l2l compare --pretrained mnist --problem mnist-relu --steps 200",
        "  l2l compare a.json b.json --tasks 50 --lr-grid 1e-3:1",
        "  l2l compare --pretrained generalist --problem mnist --problem rosenbrock",
        "  l2l compare --problem mnist --steps 100   (baselines only)"})
final class CompareCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "FILE", arity = "0..*", description = "Trained optimizer files (from 'l2l train').")
  java.util.List<Path> files = new java.util.ArrayList<>();

  @Mixin
  TestOptions test = new TestOptions();

  @Option(names = "--baselines", paramLabel = "NAMES", split = ",", defaultValue = "sgd,nag,rmsprop,adam",
      description = "Baselines to tune and compare, joined with ',' (sgd, nag, rmsprop, adam) or none; default:"
          + " ${DEFAULT-VALUE}.")
  java.util.List<String> baselines;

  @Option(names = "--tuning-tasks", paramLabel = "N", defaultValue = "20",
      description = "Tuning tasks per learning rate (disjoint from the test tasks); default: ${DEFAULT-VALUE}.")
  int tuningTasks;

  @Option(names = "--lr-grid", paramLabel = "GRID", defaultValue = "1e-4:10",
      description = "Learning rates to try: LO:HI in half decades (the paper's 1e-4:10) or values joined with ',';"
          + " default: ${DEFAULT-VALUE}.")
  String lrGrid;

  @Option(names = "--images", paramLabel = "STEPS", split = ",",
      description = "For an image problem (neural-art): write the first test task's image under every optimizer after"
          + " these steps (e.g. 0,20,100) into FOLDER/images as NAME-stepT.png, with the task's content and style.")
  java.util.List<Integer> images = new java.util.ArrayList<>();

  @Mixin
  ClusterOptions cluster = new ClusterOptions();

  @Mixin
  RunOptions run = new RunOptions();

  /** A checked comparison. */
  record Plan(Problem problem, String problemSpec, int steps, long[] testSeeds, long[] tuningSeeds, double[] grid,
      List<String> baselines, List<Evaluator.Entry> learned, Path out, List<Integer> images, io.vavr.control.Option<Guarding> guard) {
    /** This comparison also writing images after these steps. */
    Plan withImages(List<Integer> steps) {
      return new Plan(problem, problemSpec, this.steps, testSeeds, tuningSeeds, grid, baselines, learned, out, steps,
          guard);
    }

    /** The learned entries, and each guarded when asked, the fallback a tuned one of {@code tuned} if named so. */
    List<Evaluator.Entry> learnedWithGuards(List<Evaluator.Entry> tuned) {
      if (guard.isEmpty()) return learned;
      Guarding g = guard.get();
      List<Evaluator.Entry> fallbacks = !g.fallbacks().isEmpty() ? g.fallbacks() : List.fill(learned.size(), tuned
          .find(t -> t.name().equalsIgnoreCase(g.spec())).getOrElseThrow(() -> new IllegalStateException("--guard "
              + g.spec() + ": " + g.spec() + " diverged at every learning rate of the grid on the tuning tasks, so it"
              + " cannot guard; give another --guard")));
      return learned.appendAll(learned.zipWith(fallbacks, (e, f) -> e.guardedBy(f, g.tolerance(), g.smoothing())));
    }
  }

  /**
   * A guard asked for with {@code --guard}.
   *
   * @param spec what was given
   * @param fallbacks each learned entry's fallback, or empty for the tuned baseline of that name
   * @param tolerance {@code --guard-tolerance}
   * @param smoothing {@code --guard-smoothing}
   */
  record Guarding(String spec, List<Evaluator.Entry> fallbacks, double tolerance, double smoothing) {}

  @Override
  public Integer call() {
    List<Plan> plans = prepare(spec, files, test, baselines, tuningTasks, lrGrid);
    if (!images.isEmpty()) {
      for (Plan p : plans) {
        Usage.require(spec, ArtImages.of(p.problem()) != null, "--images needs an image problem (neural-art), got "
            + p.problemSpec());
      }
      for (int t : images) Usage.require(spec, t >= 0, "--images: every step must be ≥ 0, got " + t);
      plans = plans.map(p -> p.withImages(List.ofAll(images).distinct().sorted()));
    }
    run.validate(spec);
    cluster.validate(spec, false);
    Usage.require(spec, plans.head().guard().isEmpty() || !cluster.given(), "--guard runs in this process only; leave"
        + " out the cluster's options");
    run.apply();
    PrintWriter o = spec.commandLine().getOut();
    try (Cluster c = cluster.given() ? cluster.join(true, o) : null) {
      executeAll(plans, test.out, run.progress, o, c == null ? Evaluator.Runner.HERE : Evaluator.Runner.on(c));
    }
    return 0;
  }

  /** The folder of one of several problems: its spec with ':', '=', ',' and '+' (and anything unsafe) as '_'. */
  static String folderName(String problemSpec) {
    return problemSpec.trim().replaceAll("[^A-Za-z0-9.-]", "_");
  }

  /**
   * Runs checked comparisons one after another and prints each table; with several, also writes and
   * prints the {@link Scorecard} (when there are learned optimizers and baselines) into {@code out}.
   */
  static List<Results> executeAll(List<Plan> plans, Path out, Progress.Mode mode, PrintWriter o,
      Evaluator.Runner runner) {
    if (plans.size() == 1) return List.of(execute(plans.head(), "", mode, o, runner));
    List<Tuple2<String, Results>> done = List.empty();
    for (int i = 0; i < plans.size(); i++) {
      Plan p = plans.get(i);
      o.println((i > 0 ? "\n" : "") + "[" + (i + 1) + "/" + plans.size() + "] " + p.problemSpec());
      Results earlier = earlier(p);
      if (earlier != null) {
        o.println("the same comparison's results are in " + p.out() + " (curves.json); not run again");
        o.println();
        o.print(Tables.results(earlier));
        done = done.append(new Tuple2<>(p.problemSpec(), earlier));
        continue;
      }
      o.flush();
      done = done.append(new Tuple2<>(p.problemSpec(), execute(p, "", mode, o, runner)));
    }
    Plan first = plans.head();
    if (!first.learned().isEmpty() && !first.baselines().isEmpty()) {
      java.util.Set<String> learned = done.flatMap(r -> r._2.curves()).map(Curves::name)
          .filter(n -> !Evaluator.baselineNames().contains(n.toLowerCase(Locale.ROOT))).toJavaSet();
      String card = Scorecard.text(done, learned);
      Path file = out.resolve(SCORECARD);
      AtomicFiles.writeString(file, card);
      o.println();
      o.print(card);
      o.println("wrote " + file.toAbsolutePath().normalize());
      o.flush();
    }
    return done.map(Tuple2::_2);
  }

  /** The results of this very comparison in its folder, written by an earlier run, or null. */
  static Results earlier(Plan p) {
    Path file = p.out().resolve(Reports.JSON);
    String id = fingerprint(p);
    if (id == null || !Files.exists(file)) return null;
    try {
      Tuple2<Results, String> r = CurveFiles.read(file);
      return id.equals(r._2) ? r._1 : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * A digest of everything a comparison's results depend on — the library's version, the problem,
   * steps, test and tuning tasks, grid, baselines, each learned optimizer's architecture and φ, the
   * guard, the images — or null when a learned optimizer is not data (then nothing is reused).
   */
  static String fingerprint(Plan p) {
    StringBuilder sb = new StringBuilder(Version.l2l()).append('\n').append(p.problem().name()).append('\n')
        .append(p.steps()).append('\n').append(java.util.Arrays.toString(p.testSeeds())).append('\n')
        .append(java.util.Arrays.toString(p.tuningSeeds())).append('\n').append(java.util.Arrays.toString(p.grid()))
        .append('\n').append(p.baselines().mkString(",")).append('\n').append(p.images().mkString(","));
    for (Evaluator.Entry e : p.learned()) {
      if (e.recipe() == null || e.recipe().architecture() == null) return null;
      sb.append('\n').append(e.name()).append(' ').append(e.setting()).append(' ')
          .append(Json.compact(ArchitectureJson.write(e.recipe().architecture()))).append(' ')
          .append(Json.sha256(Json.compact(TreeJson.write(e.recipe().phi(), TreeJson.Values.NUMBERS))));
    }
    if (p.guard().isDefined()) {
      Guarding g = p.guard().get();
      sb.append("\nguard ").append(g.spec()).append(' ').append(g.tolerance()).append(' ').append(g.smoothing());
    }
    return Json.sha256(sb.toString());
  }

  /** The file of the scorecard of a comparison on several problems. */
  static final String SCORECARD = "scorecard.txt";

  /** Checks every option (also for {@code evaluate} with no baselines). */
  static List<Plan> prepare(CommandSpec spec, java.util.List<Path> files, TestOptions test,
      java.util.List<String> names, int tuningTasks, String lrGrid) {
    List<String> settings = List.ofAll(files).map(Path::toString)
        .appendAll(List.ofAll(test.pretrained).map(n -> "pretrained " + n.trim()));
    List<OptimizerFile> loaded = List.ofAll(files).map(f -> Inputs.optimizerFile(spec, f)).appendAll(List.ofAll(
        test.pretrained).map(n -> Usage.check(spec, "--pretrained", () -> LearnedOptimizers.pretrained(n))));
    List<String> chosen = List.ofAll(names).map(n -> n.trim().toLowerCase(Locale.ROOT)).filter(n -> !n.isEmpty());
    if (chosen.equals(List.of("none"))) chosen = List.empty();
    for (String n : chosen) {
      Usage.require(spec, Evaluator.baselineNames().contains(n), "unknown baseline '" + n + "'; known: "
          + Evaluator.baselineNames().mkString(", ") + " (or none)");
    }
    Usage.require(spec, !loaded.isEmpty() || !chosen.isEmpty(), "nothing to " + spec.name()
        + ": give optimizer files or --pretrained NAME" + (spec.name().equals("compare") ? " or baselines" : ""));
    Inputs.positive(spec, "--tuning-tasks", tuningTasks);
    double[] grid = Inputs.lrGrid(spec, lrGrid);
    List<String> specs = !test.problems.isEmpty() ? List.ofAll(test.problems)
        : List.of(loaded.isEmpty() ? "quadratic" : loaded.head().training().problem());
    for (String s : specs) {
      List<String> same = specs.filter(x -> folderName(x).equals(folderName(s)));
      if (same.size() > 1) {
        throw Usage.error(spec, "--problem " + same.get(0) + " and --problem " + same.get(1) + " would share the"
            + " folder " + folderName(s) + "; give each problem once");
      }
    }
    int steps = test.steps != null ? test.steps : loaded.isEmpty() ? 100 : loaded.head().training().horizon();
    Inputs.positive(spec, "--steps", steps);
    Inputs.positive(spec, "--tasks", test.tasks);
    List<Problem> problems = specs.map(x -> Inputs.problem(spec, x));
    List<Evaluator.Entry> learned = List.empty();
    for (int i = 0; i < loaded.size(); i++) {
      OptimizerFile f = loaded.get(i);
      learned = learned.append(new Evaluator.Entry("LSTM", settings.get(i), f.optimizer(), true,
          Recipe.learned(f.architecture(), f.phi())));
    }
    io.vavr.control.Option<Guarding> guard = io.vavr.control.Option.none();
    if (test.guard != null) {
      Usage.require(spec, !learned.isEmpty(), "--guard needs learned optimizers to guard: give optimizer files or"
          + " --pretrained NAME");
      Usage.require(spec, Double.isFinite(test.guardTolerance) && test.guardTolerance >= 0, "--guard-tolerance must be a"
          + " finite loss ≥ 0, got " + test.guardTolerance);
      Usage.require(spec, test.guardSmoothing >= 0 && test.guardSmoothing < 1, "--guard-smoothing must be in [0, 1),"
          + " got " + test.guardSmoothing);
      String g = test.guard.trim();
      List<Evaluator.Entry> fallbacks = List.empty();
      if (g.equalsIgnoreCase("base")) {
        for (int i = 0; i < loaded.size(); i++) {
          LstmConfig.Base base = loaded.get(i).architecture().base();
          Usage.require(spec, !base.isNone(), "--guard base: " + settings.get(i) + " has no base step (it was not"
              + " trained with --base); give the fallback as an optimizer, e.g. --guard adam:lr=0.01");
          fallbacks = fallbacks.append(fallback(spec, base.kind() == LstmConfig.Base.Kind.NAG
              ? "nag:lr=" + base.lr() + ",beta=" + base.momentum()
              : "adam:lr=" + base.lr() + ",b1=" + base.momentum() + (base.hyper() > 0 ? ",hyper=" + base.hyper() : "")));
        }
      } else if (!chosen.contains(g.toLowerCase(Locale.ROOT))) {
        fallbacks = List.fill(learned.size(), fallback(spec, g));
      }
      guard = io.vavr.control.Option.of(new Guarding(g, fallbacks, test.guardTolerance, test.guardSmoothing));
    } else {
      for (String o : new String[] {"--guard-tolerance", "--guard-smoothing"}) {
        Usage.require(spec, !spec.commandLine().getParseResult().hasMatchedOption(o), o + " needs --guard (the fallback"
            + " optimizer)");
      }
    }
    Path out = Inputs.outputFolder(spec, "--out", test.out);
    List<Plan> plans = List.empty();
    for (int i = 0; i < specs.size(); i++) {
      Path folder = specs.size() == 1 ? out : Inputs.outputFolder(spec, "--out", out.resolve(folderName(specs.get(i))));
      plans = plans.append(new Plan(problems.get(i), specs.get(i), steps, Comparison.testSeeds(test.seed, test.tasks),
          Comparison.tuningSeeds(test.seed, tuningTasks), grid, chosen, learned, folder, List.empty(), guard));
    }
    return plans;
  }

  private static Evaluator.Entry fallback(CommandSpec spec, String text) {
    OptimizerSpecs.Parsed parsed = Inputs.optimizer(spec, "--guard", text);
    return new Evaluator.Entry(parsed.spec(), "", parsed.optimizer(), false);
  }

  /** Runs a checked comparison in this process, writes its files and prints the table; returns the results. */
  static Results execute(Plan p, String title, Progress.Mode mode, PrintWriter o) {
    return execute(p, title, mode, o, Evaluator.Runner.HERE);
  }

  /** Runs a checked comparison, its curves by {@code runner}, writes its files and prints the table; returns the results. */
  static Results execute(Plan p, String title, Progress.Mode mode, PrintWriter o, Evaluator.Runner runner) {
    long tuning = Evaluator.tuningWork(p.baselines().size(), p.grid(), p.tuningSeeds().length);
    long testing = (long) (p.learned().size() * (p.guard().isEmpty() ? 1 : 2) + p.baselines().size())
        * p.testSeeds().length;
    AtomicLong done = new AtomicLong();
    Results r;
    List<Evaluator.Entry> learned;
    long t0 = System.nanoTime();
    try (Progress progress = Progress.create(mode, "compare", tuning + testing, 0, o)) {
      List<Evaluator.Entry> base = p.baselines().isEmpty() ? List.empty()
          : Evaluator.tunedBaselines(p.baselines(), p.problem(), p.steps(), p.tuningSeeds(), p.grid(), runner, progress,
              done);
      if (p.learned().isEmpty() && base.isEmpty()) {
        throw new IllegalStateException("every baseline diverged at every learning rate of the grid (" + Fmt.g(p.grid()[0])
            + " … " + Fmt.g(p.grid()[p.grid().length - 1]) + ") on the tuning tasks, so nothing is left to compare;"
            + " give smaller rates with --lr-grid (e.g. 1e-4:1)");
      }
      String t = !title.isEmpty() ? title : p.learned().isEmpty() ? p.problemSpec() + ": tuned baselines"
          : base.isEmpty() ? p.problemSpec() + ": learned optimizer" : p.problemSpec() + ": learned vs tuned baselines";
      learned = p.learnedWithGuards(base);
      r = Evaluator.run(t, p.problem(), p.steps(), p.testSeeds(), learned.appendAll(base), runner, progress, done);
      if (!p.images().isEmpty()) {
        ArtImages.write(ArtImages.of(p.problem()), p.testSeeds()[0], learned.appendAll(base), p.images(),
            p.out().resolve("images"));
      }
    }
    String table = Reports.write(r, HashSet.ofAll(learned.map(Evaluator.Entry::name)).toJavaSet(), p.out(),
        fingerprint(p));
    o.println();
    o.print(table);
    o.println();
    o.println(String.format(Locale.ROOT, "took %s; wrote %s, %s, %s and %s in %s",
        l2l.dsl.report.Fmt.duration((System.nanoTime() - t0) / 1e9), Reports.TABLE, Reports.CSV, Reports.JSON,
        Reports.PLOT, p.out().toAbsolutePath().normalize()));
    o.flush();
    return r;
  }
}
