package l2l.dsl.cli;

import io.vavr.collection.List;
import java.util.Locale;
import l2l.optimizers.learned.Init;
import l2l.optimizers.learned.LstmConfig;
import l2l.optimizers.learned.Preprocess;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** The learned optimizer's architecture as options; unset ones come from the named architecture. */
final class ArchitectureOptions {
  /** The names {@code --architecture} takes. */
  static final String NAMES = "lstm, rnnprop, lstm-features, linear";

  @Option(names = "--architecture", paramLabel = "NAME",
      description = "The learned optimizer: lstm (the paper's coordinatewise LSTM 20x20, with the original code's"
          + " settings for the problem: raw gradients and scale 1 on quadratic, simple, rosenbrock and noisy-quadratic"
          + " problems, log-and-sign k=5 and scale 0.01 on the others), rnnprop (LSTM 20x20 fed Adam's normalised"
          + " gradient and momentum, update 0.1·tanh), lstm-features (LSTM 20x20 fed the gradient and momenta at"
          + " timescales 0.5/0.9/0.99 over a slow RMS, scale 0.01) or linear (no LSTM layers, zero weights); the"
          + " options below change single settings. Default: lstm.")
  String architecture;

  @Option(names = "--hidden", paramLabel = "WIDTHS",
      description = "LSTM layer widths joined with 'x' or ',' (e.g. 20x20), or none for the linear optimizer.")
  String hidden;

  @Option(names = "--preprocess", paramLabel = "P",
      description = "Gradient preprocessing: none, log-and-sign (k = 5), log-and-sign:K, adam-normalized[:B1:B2]"
          + " (default 0.95:0.95) or momenta.")
  String preprocess;

  @Option(names = "--head", paramLabel = "H", description = "The update: linear (scale·v) or tanh (scale·tanh(v)).")
  String head;

  @Option(names = "--base", paramLabel = "B",
      description = "An analytic step under the learned one: none, or nag|adam:lr=LR[,momentum=M][,combine=add|scale|accumulate][,hyper=BETA]"
          + " (Nesterov, momentum 0.9 unless given, 0 is SGD; or Adam, momentum its β₁, 0.9 unless given, β₂ 0.999;"
          + " the LSTM's output u is added to its step, scales it by exp(u), or, with accumulate, moves a"
          + " log learning rate l (from 0, l += u each step) that scales it by exp(l); hyper=BETA > 0 lets the"
          + " step's own rate adapt per run, by exp(a) with a -= BETA·cos(gradient, last step) each step)."
          + " With a base the output layer starts at zero, so training starts from the base exactly and"
          + " learns a correction.")
  String base;

  @Option(names = "--scale", paramLabel = "X", description = "Output scale (the update is scale times the LSTM's output).")
  Double scale;

  @Option(names = "--forget-bias", paramLabel = "X", description = "Added to the forget gate (default of the presets: 1).")
  Double forgetBias;

  @Option(names = "--init", paramLabel = "I", description = "Initialisation of φ: original, zeros or normal:STD.")
  String init;

  @Option(names = "--gac", paramLabel = "CELLS",
      description = "LSTM+GAC: this many cells of every layer averaged over all coordinates (default 0: plain LSTM).")
  Integer gac;

  /** The original code's LSTM settings for a problem spec: the quadratic's for small analytic problems, else MNIST's. */
  static LstmConfig lstmFor(String problemSpec) {
    String name = problemSpec.split(":", 2)[0].trim().toLowerCase(Locale.ROOT);
    return switch (name) {
      case "quadratic", "quadratic-gaussian", "simple", "simple-multi", "rosenbrock", "noisy-quadratic" ->
          LstmConfig.quadratic();
      default -> LstmConfig.mnist();
    };
  }

  /** The architecture, or a usage error naming the option at fault. */
  LstmConfig config(CommandSpec spec, String problemSpec) {
    return config(spec, named(spec, architecture == null ? "lstm" : architecture, problemSpec));
  }

  /** The architecture of a name (lstm's settings follow the problem). */
  static LstmConfig named(CommandSpec spec, String name, String problemSpec) {
    return switch (name.trim().toLowerCase(Locale.ROOT)) {
      case "lstm" -> lstmFor(problemSpec);
      case "rnnprop" -> LstmConfig.rnnprop();
      case "lstm-features" -> LstmConfig.lstmFeatures();
      case "linear" -> LstmConfig.linear();
      default -> throw Usage.error(spec, "unknown --architecture '" + name + "'; known: " + NAMES);
    };
  }

  /** The architecture with unset options taken from {@code base}. */
  LstmConfig config(CommandSpec spec, LstmConfig base) {
    LstmConfig c = base;
    if (hidden != null) c = c.withHidden(widths(spec, hidden));
    if (preprocess != null) c = c.withPreprocess(preprocess(spec, preprocess));
    if (head != null) {
      c = c.withHead(switch (head.trim().toLowerCase(Locale.ROOT)) {
        case "linear" -> LstmConfig.Head.LINEAR;
        case "tanh" -> LstmConfig.Head.TANH;
        default -> throw Usage.error(spec, "unknown --head '" + head + "'; known: linear, tanh");
      });
    }
    if (scale != null) {
      Usage.require(spec, Double.isFinite(scale) && scale != 0, "--scale must be a finite nonzero number, got " + scale);
      c = c.withScale(scale);
    }
    if (forgetBias != null) {
      Usage.require(spec, Double.isFinite(forgetBias), "--forget-bias must be finite, got " + forgetBias);
      c = c.withForgetBias(forgetBias);
    }
    if (init != null) c = c.withInit(init(spec, init));
    if (this.base != null) c = c.withBase(baseStep(spec, this.base));
    if (gac != null) {
      Usage.require(spec, gac >= 0, "--gac must be ≥ 0, got " + gac);
      LstmConfig x = c;
      for (int i = 0; i < x.hidden().size(); i++) {
        Usage.require(spec, gac <= x.hidden().get(i), "--gac " + gac + " is more cells than layer " + i + " has ("
            + x.hidden().get(i) + ")");
      }
      c = x.withGlobalAveragingCells(gac);
    }
    return c;
  }

  /** Whether any architecture option was given. */
  boolean anyGiven() {
    return architecture != null || hidden != null || preprocess != null || head != null || scale != null
        || forgetBias != null || init != null || gac != null || base != null;
  }

  static List<Integer> widths(CommandSpec spec, String text) {
    String t = text.trim();
    if (t.equalsIgnoreCase("none") || t.isEmpty()) return List.empty();
    List<Integer> out = List.empty();
    for (String part : t.split("[x,]")) {
      int w;
      try {
        w = Integer.parseInt(part.trim());
      } catch (NumberFormatException e) {
        throw Usage.error(spec, "--hidden must be widths joined with 'x' (e.g. 20x20) or 'none', got '" + text + "'");
      }
      Usage.require(spec, w >= 1, "--hidden " + text + ": layer " + out.size() + " has width " + w
          + "; every LSTM layer must be at least 1 wide");
      out = out.append(w);
    }
    return out;
  }

  static Preprocess preprocess(CommandSpec spec, String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.equals("none") || t.equals("identity")) return Preprocess.none();
    String[] parts = t.split(":", 2);
    if (parts[0].equals("momenta")) return LstmConfig.lstmFeatures().preprocess();
    if (parts[0].equals("adam-normalized")) {
      if (parts.length == 1) return LstmConfig.rnnprop().preprocess();
      String[] b = parts[1].split(":");
      Usage.require(spec, b.length == 2, "--preprocess adam-normalized:B1:B2 takes two decays, got '" + text + "'");
      double b1, b2;
      try {
        b1 = Double.parseDouble(b[0]);
        b2 = Double.parseDouble(b[1]);
      } catch (NumberFormatException e) {
        throw Usage.error(spec, "--preprocess adam-normalized:B1:B2 needs two numbers, got '" + parts[1] + "'");
      }
      return Usage.check(spec, "--preprocess", () -> Preprocess.adamNormalized(b1, b2));
    }
    if (parts[0].equals("log-and-sign") || parts[0].equals("logandsign")) {
      if (parts.length == 1) return Preprocess.logAndSign(5);
      try {
        double k = Double.parseDouble(parts[1]);
        return Usage.check(spec, "--preprocess", () -> Preprocess.logAndSign(k));
      } catch (NumberFormatException e) {
        throw Usage.error(spec, "--preprocess log-and-sign:K needs a number K, got '" + parts[1] + "'");
      }
    }
    throw Usage.error(spec, "unknown --preprocess '" + text + "'; known: none, log-and-sign, log-and-sign:K,"
        + " adam-normalized, adam-normalized:B1:B2, momenta");
  }

  static LstmConfig.Base baseStep(CommandSpec spec, String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.equals("none")) return LstmConfig.Base.none();
    String form = "--base must be none or nag|adam:lr=LR[,momentum=M][,combine=add|scale|accumulate][,hyper=BETA], got '" + text + "'";
    Usage.require(spec, t.startsWith("nag:") || t.startsWith("adam:"), form);
    LstmConfig.Base.Kind kind = t.startsWith("nag:") ? LstmConfig.Base.Kind.NAG : LstmConfig.Base.Kind.ADAM;
    double lr = Double.NaN, momentum = 0.9, hyper = 0;
    LstmConfig.Base.Combine combine = LstmConfig.Base.Combine.ADD;
    for (String kv : t.substring(t.indexOf(':') + 1).split(",")) {
      String[] p = kv.split("=", 2);
      Usage.require(spec, p.length == 2, form);
      String k = p[0].trim(), v = p[1].trim();
      try {
        switch (k) {
          case "lr" -> lr = Double.parseDouble(v);
          case "momentum" -> momentum = Double.parseDouble(v);
          case "hyper" -> hyper = Double.parseDouble(v);
          case "combine" -> combine = switch (v) {
            case "add" -> LstmConfig.Base.Combine.ADD;
            case "scale" -> LstmConfig.Base.Combine.SCALE;
            case "accumulate" -> LstmConfig.Base.Combine.ACCUMULATE;
            default -> throw Usage.error(spec, "--base combine must be add, scale or accumulate, got '" + v + "'");
          };
          default -> throw Usage.error(spec, "--base has no key '" + k + "'; known: lr, momentum, combine, hyper");
        }
      } catch (NumberFormatException e) {
        throw Usage.error(spec, "--base " + k + " must be a number, got '" + v + "'");
      }
    }
    Usage.require(spec, lr > 0, "--base needs lr > 0, got " + (Double.isNaN(lr) ? "none" : lr));
    double l = lr, m = momentum, h = hyper;
    LstmConfig.Base.Combine c = combine;
    return Usage.check(spec, "--base", () -> new LstmConfig.Base(kind, l, m, c, h));
  }

  static Init init(CommandSpec spec, String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.equals("original")) return Init.original();
    if (t.equals("zeros")) return Init.zeros();
    if (t.startsWith("normal:")) {
      try {
        double std = Double.parseDouble(t.substring(7));
        return Usage.check(spec, "--init", () -> Init.normal(std));
      } catch (NumberFormatException e) {
        throw Usage.error(spec, "--init normal:STD needs a number STD, got '" + t.substring(7) + "'");
      }
    }
    throw Usage.error(spec, "unknown --init '" + text + "'; known: original, zeros, normal:STD");
  }
}
