package l2l.problems;

import io.vavr.collection.LinkedHashMap;
import io.vavr.collection.List;
import io.vavr.collection.Map;
import io.vavr.control.Try;
import java.util.Locale;
import java.util.function.Function;
import l2l.problems.data.Datasets;
import l2l.problems.data.ImageDataset;

/**
 * The registry the command line uses: a problem name plus options (strings) gives a
 * {@link Problem}. A spec is {@code name} or {@code name:key=value,key=value}; lists inside a value
 * are joined with 'x' (widths, e.g. {@code hidden=20x20}) or '+' (names, e.g.
 * {@code content=astronaut+camera}); {@code none} is the empty list. A mixture is
 * {@code mix:SPEC+SPEC+…}: components joined with '+' (so inside one, lists are joined with 'x'),
 * each an ordinary spec whose options may include {@code weight=W} (default 1), e.g.
 * {@code mix:quadratic:weight=2+rosenbrock:dims=5+mnist-relu} ({@link #mixture}). Unknown names and options
 * are errors that list the known ones. Problems with data load it from the standard
 * {@link l2l.problems.data.DataCache} (fetching it on first use).
 */
public final class Problems {
  private Problems() {}

  /**
   * One registered problem.
   *
   * @param name the name a spec starts with
   * @param description one line on what it is and where its defaults come from
   * @param defaults its options with their default values, in order
   * @param build makes the problem from options (defaults filled in)
   */
  public record Entry(String name, String description, Map<String, String> defaults, Function<Options, Problem> build) {}

  /**
   * Options given to an entry, defaults filled in; typed getters fail naming the option and its value.
   *
   * @param problem the entry's name, for messages
   * @param values option name to raw value
   */
  public record Options(String problem, Map<String, String> values) {
    /** The raw value. */
    public String string(String key) {
      return values.get(key).getOrElseThrow(() -> new IllegalStateException(problem + ": no option " + key));
    }

    /** An integer value. */
    public int integer(String key) {
      return parse(key, "an integer", Integer::parseInt);
    }

    /** A decimal value. */
    public double real(String key) {
      return parse(key, "a number", Double::parseDouble);
    }

    /** A boolean value ("true"/"false"). */
    public boolean bool(String key) {
      return parse(key, "true or false", s -> switch (s.toLowerCase(Locale.ROOT)) {
        case "true", "yes", "on" -> true;
        case "false", "no", "off" -> false;
        default -> throw new IllegalArgumentException(s);
      });
    }

    /** A list of integers joined with 'x' or '+' ("none" or "" for empty). */
    public List<Integer> integers(String key) {
      return parse(key, "a list of integers joined with 'x'", v -> names(key).map(Integer::parseInt));
    }

    /** A list of names joined with '+' or 'x' ("none" or "" for empty). */
    public List<String> names(String key) {
      String v = string(key).trim();
      if (v.isEmpty() || v.equalsIgnoreCase("none")) return List.empty();
      return List.of(v.split("[x+]")).map(String::trim);
    }

    private <T> T parse(String key, String what, Function<String, T> f) {
      String v = string(key);
      try {
        return f.apply(v.trim());
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(problem + ": option " + key + " must be " + what + ", got '" + v + "'", e);
      }
    }
  }

  private static Map<String, String> opts(String... kv) {
    Map<String, String> m = LinkedHashMap.empty();
    for (int i = 0; i < kv.length; i += 2) m = m.put(kv[i], kv[i + 1]);
    return m;
  }

  private static final String MLP_HELP = "MLP on MNIST (paper §3.2; minibatches from training images 5000..59999)";

  private static final List<Entry> ENTRIES = List.of(
      new Entry("simple", "f(x) = x², x₀ = 1 (the original code's 'simple')", opts(), o -> new Simple()),
      new Entry("simple-multi", "Σ xᵢ² over scalar variables x_0, x_1, … each from 1 (the original's 'simple-multi')",
          opts("dims", "2"), o -> new SimpleMulti(o.integer("dims"))),
      new Entry("quadratic", "mean over a batch of ‖Wx − y‖², W, y ~ U[0,1) per task (paper §3.1, original code);"
          + " conditioning=κ: W with singular values from 1 to 1/√κ, so Hessians of condition number κ",
          quadraticOpts("uniform"), Problems::quadratic),
      new Entry("quadratic-gaussian", "the quadratic with W, y ~ N(0, 1) (the paper's text)",
          quadraticOpts("gaussian"), Problems::quadratic),
      new Entry("rosenbrock", "Σ b(xᵢ₊₁ − xᵢ²)² + (a − xᵢ)² from (−1.2, 1, …)",
          opts("dims", "2", "a", "1", "b", "100", "init-std", "0"),
          o -> new Rosenbrock(o.integer("dims"), o.real("a"), o.real("b"), o.real("init-std"))),
      new Entry("noisy-quadratic", "½ Σ hᵢ(xᵢ − cᵢ − σε)², fresh noise ε every step, curvatures in [1/κ, 1]",
          opts("dim", "10", "noise", "0.1", "conditioning", "100", "init-std", "1"),
          o -> new NoisyQuadratic(o.integer("dim"), o.real("noise"), o.real("conditioning"), o.real("init-std"))),
      new Entry("mnist", MLP_HELP + ": 784-20-10, sigmoid, batch 128",
          mlpOpts("20", "sigmoid"), Problems::mlp),
      new Entry("mnist-40", "the MNIST MLP with 40 hidden units (transfer: wider)", mlpOpts("40", "sigmoid"),
          Problems::mlp),
      new Entry("mnist-2layer", "the MNIST MLP with two hidden layers of 20 (transfer: deeper)",
          mlpOpts("20x20", "sigmoid"), Problems::mlp),
      new Entry("mnist-relu", "the MNIST MLP with ReLU hidden units (transfer: other activation)",
          mlpOpts("20", "relu"), Problems::mlp),
      new Entry("fashion-mnist", "the MNIST MLP on Fashion-MNIST", mlpOpts("20", "sigmoid").put("data", "fashion-mnist"),
          Problems::mlp),
      new Entry("logistic", "multinomial logistic regression on MNIST (or data=fashion-mnist) pixels: the MLP with"
          + " no hidden layer",
          mlpOpts("none", "sigmoid").remove("hidden").remove("activation"),
          o -> mlp(new Options(o.problem(), o.values().put("hidden", "none").put("activation", "sigmoid")))),
      new Entry("cifar", "the paper's CIFAR-10 conv net (§3.3); CIFAR-10 cannot be fetched here: data=auto uses it when"
          + " its files are in the cache, else MNIST padded to 3×32×32 (data=mnist|fashion-mnist|cifar10 to choose)",
          opts("data", "auto", "channels", "16x16x16", "kernel", "5", "linear", "32", "batch-norm", "true", "batch", "128",
              "init-std", "0.01"), Problems::conv),
      new Entry("neural-art", "style + content of a 64×64 image under fixed random multi-scale conv features (§3.4)",
          opts("style", "brick", "content", "astronaut+chelsea+coffee+camera", "size", "64", "scales", "3", "filters",
              "32", "kernel", "5", "style-weight", "1", "content-weight", "1", "init", "noise", "init-std", "0.1",
              "filter-seed", "0"), Problems::neuralArt));

  private static Map<String, String> quadraticOpts(String dist) {
    return opts("batch", "128", "dim", "10", "init-std", "0.01", "dist", dist, "conditioning", "none");
  }

  private static Map<String, String> mlpOpts(String hidden, String activation) {
    return opts("hidden", hidden, "activation", activation, "batch", "128", "init-std", "0.01", "data", "mnist");
  }

  private static Map<String, Entry> byName() {
    Map<String, Entry> m = LinkedHashMap.empty();
    for (Entry e : ENTRIES) m = m.put(e.name(), e);
    return m.put("conv", ENTRIES.find(e -> e.name().equals("cifar")).get());
  }

  /** The registered names, in order ("conv" is another name of "cifar"). */
  public static List<String> names() {
    return byName().keySet().toList();
  }

  /** The registered entries, in order. */
  public static List<Entry> entries() {
    return ENTRIES;
  }

  /** The entry of a name; an unknown name is an error listing the known ones. */
  public static Entry entry(String name) {
    return byName().get(name.trim().toLowerCase(Locale.ROOT)).getOrElseThrow(() -> new IllegalArgumentException(
        "unknown problem '" + name + "'; known problems: " + names().mkString(", ") + ", and mix:SPEC+SPEC+…"));
  }

  /** One line per problem: its name, description and options with their defaults. */
  public static String help() {
    return ENTRIES.map(e -> e.name() + (e.defaults().isEmpty() ? "" : " [" + e.defaults().map(
        t -> t._1 + "=" + t._2).mkString(", ") + "]") + "\n    " + e.description()).mkString("\n")
        + "\nmix:SPEC+SPEC+…\n    a mixture: each task from one component, chosen with probability ∝ its weight=W option"
        + " (default 1); inside a component lists are joined with 'x'"
        + "\nany problem takes rescale=R: its parameters scaled coordinatewise by random factors in [1/R, R] per task";
  }

  /** A mixture: each task is drawn from problem i with probability weights[i] / Σ weights ({@link Mixture}). */
  public static Mixture mixture(double[] weights, Problem... problems) {
    return new Mixture(List.ofAll(weights), List.of(problems));
  }

  /** The problem of a name and options (missing options take their defaults). */
  public static Problem create(String name, Map<String, String> options) {
    Entry e = entry(name);
    List<String> unknown = options.keySet().toList().filter(k -> !e.defaults().containsKey(k));
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("problem " + e.name() + " has no option " + unknown.mkString(", ")
          + "; its options: " + (e.defaults().isEmpty() ? "(none)" : e.defaults().keySet().mkString(", ")));
    }
    return e.build().apply(new Options(e.name(), e.defaults().merge(options, (a, b) -> b)));
  }

  /**
   * A problem together with the spec it was made from, so that it can be written to a file and
   * read back ({@link #specOf}); it behaves as the problem.
   *
   * @param spec the spec, as given to {@link #parse}
   * @param problem the problem
   */
  public record Specified(String spec, Problem problem) implements Problem {
    @Override
    public String name() {
      return problem.name();
    }

    @Override
    public Task sample(long seed) {
      return problem.sample(seed);
    }
  }

  /** The spec a problem was parsed from, if it was ({@link #parse} keeps it). */
  public static io.vavr.control.Option<String> specOf(Problem p) {
    return p instanceof Specified s ? io.vavr.control.Option.of(s.spec()) : io.vavr.control.Option.none();
  }

  /** The problem of a spec {@code name} or {@code name:key=value,key=value}; it remembers the spec ({@link #specOf}). */
  public static Problem parse(String spec) {
    return new Specified(spec.trim(), build(spec));
  }

  private static Problem build(String spec) {
    if (name(spec).equalsIgnoreCase("mix")) return mix(spec);
    return rescaled(name(spec), options(spec));
  }

  /** The problem of a name and options, with its parameters randomly scaled ({@link Rescaled}) if there is a rescale=R. */
  private static Problem rescaled(String name, Map<String, String> o) {
    Problem p = create(name, o.remove("rescale"));
    if (!o.containsKey("rescale")) return p;
    Options r = new Options("problem " + name.trim(), LinkedHashMap.of("rescale", o.get("rescale").get()));
    if (!(r.real("rescale") >= 1) || Double.isInfinite(r.real("rescale"))) {
      throw new IllegalArgumentException(r.problem() + ": rescale must be a finite number ≥ 1, got " + r.string("rescale"));
    }
    return new Rescaled(p, r.real("rescale"));
  }

  private static String name(String spec) {
    int colon = spec.indexOf(':');
    return (colon < 0 ? spec : spec.substring(0, colon)).trim();
  }

  private static Map<String, String> options(String spec) {
    int colon = spec.indexOf(':');
    Map<String, String> options = LinkedHashMap.empty();
    if (colon >= 0 && !spec.substring(colon + 1).isBlank()) {
      for (String part : spec.substring(colon + 1).split(",")) {
        int eq = part.indexOf('=');
        if (eq <= 0) {
          throw new IllegalArgumentException("problem spec '" + spec + "': expected key=value, got '" + part + "'");
        }
        options = options.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
      }
    }
    return options;
  }

  /** {@code mix:SPEC+SPEC+…}, each SPEC with an optional weight=W. */
  private static Mixture mix(String spec) {
    String body = spec.substring(spec.indexOf(':') + 1);
    if (spec.indexOf(':') < 0 || body.isBlank()) {
      throw new IllegalArgumentException("problem spec '" + spec + "': expected mix:SPEC+SPEC+…, e.g. mix:quadratic+mnist");
    }
    List<Double> weights = List.empty();
    List<Problem> problems = List.empty();
    for (String part : body.split("\\+")) {
      if (name(part).equalsIgnoreCase("mix")) {
        throw new IllegalArgumentException("problem spec '" + spec + "': a component of a mixture cannot be a mixture");
      }
      Map<String, String> o = options(part);
      Options w = new Options("mix component '" + part.trim() + "'", LinkedHashMap.of("weight", o.getOrElse("weight", "1")));
      if (!(w.real("weight") > 0) || Double.isInfinite(w.real("weight"))) {
        throw new IllegalArgumentException(w.problem() + ": weight must be a positive number, got " + w.string("weight"));
      }
      weights = weights.append(w.real("weight"));
      problems = problems.append(rescaled(name(part), o.remove("weight")));
    }
    return new Mixture(weights, problems);
  }

  /** {@link #parse} as a Try (failures carry the error message). */
  public static Try<Problem> tryParse(String spec) {
    return Try.of(() -> parse(spec));
  }

  // ------------------------------------------------------------------ builders

  private static Problem quadratic(Options o) {
    Quadratic.Distribution d = switch (o.string("dist").toLowerCase(Locale.ROOT)) {
      case "uniform" -> Quadratic.Distribution.UNIFORM;
      case "gaussian", "normal" -> Quadratic.Distribution.GAUSSIAN;
      default -> throw new IllegalArgumentException(o.problem() + ": dist must be uniform or gaussian, got '"
          + o.string("dist") + "'");
    };
    double conditioning = o.string("conditioning").equalsIgnoreCase("none") ? 0 : o.real("conditioning");
    return new Quadratic(o.integer("batch"), o.integer("dim"), o.real("init-std"), d, conditioning);
  }

  private static Problem mlp(Options o) {
    Activation a = Activation.parse(o.string("activation"));
    Mlp base = switch (o.string("data")) {
      case "mnist" -> Mlp.mnist();
      case "fashion-mnist" -> Mlp.fashionMnist();
      default -> throw new IllegalArgumentException(o.problem() + ": data must be mnist or fashion-mnist, got '"
          + o.string("data") + "'");
    };
    return new Mlp(base.train(), base.test(), o.integers("hidden"), a, o.integer("batch"), o.real("init-std"));
  }

  private static Problem conv(Options o) {
    ConvNet base = switch (o.string("data")) {
      case "auto" -> ConvNet.paper();
      case "cifar10", "cifar" -> ConvNet.cifar10();
      case "mnist" -> ConvNet.mnistAsCifar();
      case "fashion-mnist" -> ConvNet.fashionMnistAsCifar();
      default -> throw new IllegalArgumentException(o.problem() + ": data must be auto, cifar10, mnist or fashion-mnist,"
          + " got '" + o.string("data") + "'");
    };
    return new ConvNet(base.train(), base.test(), o.integers("channels"), o.integer("kernel"), o.integers("linear"),
        o.bool("batch-norm"), o.integer("batch"), o.real("init-std"));
  }

  private static Problem neuralArt(Options o) {
    NeuralArt.Init init = switch (o.string("init").toLowerCase(Locale.ROOT)) {
      case "noise" -> NeuralArt.Init.NOISE;
      case "content" -> NeuralArt.Init.CONTENT;
      default -> throw new IllegalArgumentException(o.problem() + ": init must be noise or content, got '"
          + o.string("init") + "'");
    };
    List<String> known = List.ofAll(Datasets.SKIMAGE_FILES).map(f -> f.replace(".png", ""));
    List<String> pictures = o.names("content").prepend(o.string("style"));
    pictures.find(p -> !known.contains(p)).peek(p -> {
      throw new IllegalArgumentException(o.problem() + ": no picture '" + p + "'; known: " + known.mkString(", "));
    });
    NeuralArt p = NeuralArt.pictures(o.string("style"), o.names("content"), o.integer("size"));
    ImageDataset s = p.style(), c = p.contents();
    return new NeuralArt(s, c, o.integer("size"), o.integer("scales"), o.integer("filters"), o.integer("kernel"),
        o.real("style-weight"), o.real("content-weight"), init, o.real("init-std"), o.integer("filter-seed"));
  }
}
