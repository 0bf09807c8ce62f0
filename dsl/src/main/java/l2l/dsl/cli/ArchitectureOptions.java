package l2l.dsl.cli;

import io.vavr.collection.List;
import java.util.Locale;
import l2l.optimizers.learned.Init;
import l2l.optimizers.learned.LstmConfig;
import l2l.optimizers.learned.Preprocess;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** The learned optimizer's architecture as options; unset ones come from a preset. */
final class ArchitectureOptions {
  @Option(names = "--preset", paramLabel = "NAME",
      description = "Start from the original code's architecture: quadratic (LSTM 20x20, no preprocessing, scale 1),"
          + " mnist (LSTM 20x20, log-and-sign k=5, scale 0.01) or linear (no LSTM layers, zero weights). Default:"
          + " quadratic for quadratic, simple, rosenbrock and noisy-quadratic problems, mnist for the others.")
  String preset;

  @Option(names = "--hidden", paramLabel = "WIDTHS",
      description = "LSTM layer widths joined with 'x' or ',' (e.g. 20x20), or none for the linear optimizer.")
  String hidden;

  @Option(names = "--preprocess", paramLabel = "P",
      description = "Gradient preprocessing: none, log-and-sign (k = 5) or log-and-sign:K.")
  String preprocess;

  @Option(names = "--scale", paramLabel = "X", description = "Output scale (the update is scale times the LSTM's output).")
  Double scale;

  @Option(names = "--forget-bias", paramLabel = "X", description = "Added to the forget gate (default of the presets: 1).")
  Double forgetBias;

  @Option(names = "--init", paramLabel = "I", description = "Initialisation of φ: original, zeros or normal:STD.")
  String init;

  @Option(names = "--gac", paramLabel = "CELLS",
      description = "LSTM+GAC: this many cells of every layer averaged over all coordinates (default 0: plain LSTM).")
  Integer gac;

  /** The preset a problem spec suggests. */
  static String presetFor(String problemSpec) {
    String name = problemSpec.split(":", 2)[0].trim().toLowerCase(Locale.ROOT);
    return switch (name) {
      case "quadratic", "quadratic-gaussian", "simple", "simple-multi", "rosenbrock", "noisy-quadratic" -> "quadratic";
      default -> "mnist";
    };
  }

  /** The architecture, or a usage error naming the option at fault. */
  LstmConfig config(CommandSpec spec, String problemSpec) {
    return config(spec, presetConfig(spec, preset != null ? preset : presetFor(problemSpec)));
  }

  /** The architecture with unset options taken from {@code base}. */
  LstmConfig config(CommandSpec spec, LstmConfig base) {
    LstmConfig c = base;
    if (hidden != null) {
      List<Integer> widths = widths(spec, hidden);
      c = new LstmConfig(widths, c.preprocess(), c.scale(), c.forgetBias(), c.init(), List.empty());
    }
    if (preprocess != null) c = c.withPreprocess(preprocess(spec, preprocess));
    if (scale != null) {
      Usage.require(spec, Double.isFinite(scale) && scale != 0, "--scale must be a finite nonzero number, got " + scale);
      c = c.withScale(scale);
    }
    if (forgetBias != null) {
      Usage.require(spec, Double.isFinite(forgetBias), "--forget-bias must be finite, got " + forgetBias);
      LstmConfig x = c;
      c = new LstmConfig(x.hidden(), x.preprocess(), x.scale(), forgetBias, x.init(), x.globalAveragingCells());
    }
    if (init != null) c = c.withInit(init(spec, init));
    if (gac != null) {
      Usage.require(spec, gac >= 0, "--gac must be ≥ 0, got " + gac);
      LstmConfig x = c;
      for (int i = 0; i < x.hidden().size(); i++) {
        Usage.require(spec, gac <= x.hidden().get(i), "--gac " + gac + " is more cells than layer " + i + " has ("
            + x.hidden().get(i) + ")");
      }
      c = gac == 0 ? new LstmConfig(x.hidden(), x.preprocess(), x.scale(), x.forgetBias(), x.init(), List.empty())
          : x.withGlobalAveragingCells(gac);
    }
    return c;
  }

  /** Whether any architecture option was given. */
  boolean anyGiven() {
    return preset != null || hidden != null || preprocess != null || scale != null || forgetBias != null || init != null
        || gac != null;
  }

  static LstmConfig presetConfig(CommandSpec spec, String name) {
    return switch (name.trim().toLowerCase(Locale.ROOT)) {
      case "quadratic" -> LstmConfig.quadratic();
      case "mnist" -> LstmConfig.mnist();
      case "linear" -> LstmConfig.linear();
      default -> throw Usage.error(spec, "unknown --preset '" + name + "'; known: quadratic, mnist, linear");
    };
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
    if (parts[0].equals("log-and-sign") || parts[0].equals("logandsign")) {
      if (parts.length == 1) return Preprocess.logAndSign(5);
      try {
        double k = Double.parseDouble(parts[1]);
        return Usage.check(spec, "--preprocess", () -> Preprocess.logAndSign(k));
      } catch (NumberFormatException e) {
        throw Usage.error(spec, "--preprocess log-and-sign:K needs a number K, got '" + parts[1] + "'");
      }
    }
    throw Usage.error(spec, "unknown --preprocess '" + text + "'; known: none, log-and-sign, log-and-sign:K");
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
