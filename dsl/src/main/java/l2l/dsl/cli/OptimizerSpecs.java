package l2l.dsl.cli;

import io.vavr.collection.LinkedHashMap;
import io.vavr.collection.List;
import io.vavr.collection.Map;
import java.nio.file.Path;
import java.util.Locale;
import l2l.dsl.io.OptimizerFile;
import l2l.optimizers.Optimizer;
import l2l.optimizers.Optimizers;
import l2l.optimizers.Schedules;
import l2l.optimizers.Transforms;

/**
 * Hand-designed optimizers written as text, for options such as {@code --meta-optimizer}:
 * {@code NAME[:key=value,...]}, e.g. {@code adam:lr=0.001}, {@code rmsprop:lr=0.01,alpha=0.9},
 * {@code nag:lr=0.1,beta=0.9}, {@code adam:lr=0.001,clip=1} (clip the global gradient norm
 * first), {@code adam:lr=0.003,cosine=10000} (the learning rate decays to 0 along a cosine over
 * 10,000 steps), {@code adam:lr=0.001,average=0.99} (Polyak averaging, {@link
 * Transforms#averaged}), {@code adam:lr=0.03,hyper=0.2} (the rate adapts per run, {@link
 * Transforms#hypergradient}); or {@code file:PATH}, a trained learned optimizer (self-application).
 */
public final class OptimizerSpecs {
  private OptimizerSpecs() {}

  /** The parts of a spec. */
  private record Known(String name, Map<String, Double> defaults, List<String> required) {}

  private static Map<String, Double> d(Object... kv) {
    Map<String, Double> m = LinkedHashMap.empty();
    for (int i = 0; i < kv.length; i += 2) m = m.put((String) kv[i], ((Number) kv[i + 1]).doubleValue());
    return m;
  }

  private static final List<Known> KNOWN = List.of(
      new Known("sgd", d("lr", Double.NaN), List.of("lr")),
      new Known("momentum", d("lr", Double.NaN, "beta", 0.9), List.of("lr")),
      new Known("nag", d("lr", Double.NaN, "beta", 0.9), List.of("lr")),
      new Known("rmsprop", d("lr", 0.01, "alpha", 0.99, "eps", 1e-8), List.empty()),
      new Known("adam", d("lr", 0.001, "b1", 0.9, "b2", 0.999, "eps", 1e-8), List.empty()),
      new Known("adamw", d("lr", 0.001, "wd", 0.01), List.empty()),
      new Known("adagrad", d("lr", 0.01), List.empty()),
      new Known("rprop", d("lr", 0.01), List.empty()));

  /** What the spec names: the optimizer and the spec written in full (every option with its value). */
  public record Parsed(String spec, Optimizer optimizer) {}

  /** One line on the syntax and the names, for help texts. */
  public static final String HELP = "NAME[:key=value,...] with NAME one of sgd (lr), momentum|nag (lr, beta=0.9),"
      + " rmsprop (lr=0.01, alpha=0.99, eps=1e-8), adam (lr=0.001, b1=0.9, b2=0.999, eps=1e-8), adamw (lr=0.001,"
      + " wd=0.01), adagrad (lr=0.01), rprop (lr=0.01); any of them with clip=MAXNORM, and all but rprop with"
      + " cosine=STEPS (cosine decay of lr to 0 over STEPS steps; in --meta-optimizer, schedule=cosine decays over"
      + " the whole run), and average=D (keep an exponential moving average of the parameters with decay D; in"
      + " --meta-optimizer the averaged φ is what is validated and saved), and hyper=BETA (the learning rate adapts per run by a"
      + " hypergradient: times exp(a), a -= BETA·cos(gradient, last update) each step); or file:PATH (a trained optimizer file)";

  /**
   * Replaces {@code schedule=cosine} in a spec by {@code cosine=STEPS}, the run's number of
   * optimizer steps; other specs are returned unchanged.
   */
  public static String resolveSchedule(String text, long steps) {
    return text.replaceAll("(?i)schedule\\s*=\\s*cosine", "cosine=" + Math.max(1, steps));
  }

  /**
   * Parses a spec.
   *
   * @throws IllegalArgumentException with a one-line message for an unknown name or option, a
   *     malformed or impossible value (e.g. a learning rate ≤ 0), or an unreadable optimizer file
   */
  public static Parsed parse(String text) {
    String s = text.trim();
    if (s.regionMatches(true, 0, "file:", 0, 5)) {
      Path p = Path.of(s.substring(5)).toAbsolutePath().normalize();
      OptimizerFile f = OptimizerFile.load(p);
      return new Parsed("file:" + p, f.optimizer());
    }
    int colon = s.indexOf(':');
    String name = (colon < 0 ? s : s.substring(0, colon)).trim().toLowerCase(Locale.ROOT);
    Known k = KNOWN.find(x -> x.name().equals(name)).getOrElseThrow(() -> new IllegalArgumentException(
        "unknown optimizer '" + name + "' in '" + text + "'; known: " + KNOWN.map(Known::name).mkString(", ")
            + ", file:PATH"));
    Map<String, Double> values = k.defaults();
    double clip = Double.NaN;
    double cosine = Double.NaN;
    double average = Double.NaN;
    double hyper = 0;
    if (colon >= 0 && !s.substring(colon + 1).isBlank()) {
      for (String part : s.substring(colon + 1).split(",")) {
        int eq = part.indexOf('=');
        if (eq <= 0) throw new IllegalArgumentException("optimizer '" + text + "': expected key=value, got '" + part + "'");
        String key = part.substring(0, eq).trim().toLowerCase(Locale.ROOT);
        String raw = part.substring(eq + 1).trim();
        double v;
        try {
          v = Double.parseDouble(raw);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("optimizer '" + text + "': " + key + " must be a number, got '" + raw + "'");
        }
        if (key.equals("clip")) {
          if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException("optimizer '" + text + "': clip must be a positive number, got " + raw);
          }
          clip = v;
        } else if (key.equals("hyper")) {
          if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException("optimizer '" + text + "': hyper must be a finite number ≥ 0, got " + raw);
          }
          hyper = v;
        } else if (key.equals("average")) {
          if (!(v >= 0 && v < 1)) {
            throw new IllegalArgumentException("optimizer '" + text + "': average must be a decay in [0, 1), got " + raw);
          }
          average = v;
        } else if (key.equals("cosine")) {
          if (!(v >= 1) || v != Math.rint(v) || name.equals("rprop")) {
            throw new IllegalArgumentException("optimizer '" + text + "': cosine must be a whole number of steps ≥ 1"
                + (name.equals("rprop") ? " and does not apply to rprop" : "") + ", got " + raw);
          }
          cosine = v;
        } else if (values.containsKey(key)) {
          values = values.put(key, v);
        } else {
          throw new IllegalArgumentException("optimizer " + name + " has no option '" + key + "'; its options: "
              + values.keySet().toList().append("clip").append("average").append("hyper").mkString(", "));
        }
      }
    }
    for (String r : k.required()) {
      if (Double.isNaN(values.get(r).get())) {
        throw new IllegalArgumentException("optimizer " + name + " needs " + r + "=VALUE (e.g. '" + name + ":" + r
            + "=0.1')");
      }
    }
    double lr = values.get("lr").get();
    if (!(lr > 0) || Double.isInfinite(lr)) {
      throw new IllegalArgumentException("optimizer '" + text + "': the learning rate must be a positive number, got "
          + lr);
    }
    Optimizer o;
    if (Double.isNaN(cosine)) {
      o = build(name, values);
    } else {
      // the rule at lr = 1, its updates scaled by the decaying learning rate
      o = Transforms.chain(build(name, values.put("lr", 1.0)),
          Transforms.scaleBySchedule(Schedules.cosineDecay(lr, (long) cosine)));
    }
    String full = name + ":" + values.map(t -> t._1 + "=" + t._2).mkString(",") + (Double.isNaN(clip) ? "" : ",clip=" + clip)
        + (Double.isNaN(cosine) ? "" : ",cosine=" + (long) cosine) + (hyper == 0 ? "" : ",hyper=" + hyper)
        + (Double.isNaN(average) ? "" : ",average=" + average);
    if (hyper != 0) o = Transforms.hypergradient(o, hyper);
    if (!Double.isNaN(clip)) o = Transforms.chain(Transforms.clipByGlobalNorm(clip), o);
    if (!Double.isNaN(average)) o = Transforms.averaged(o, average);
    return new Parsed(full, o);
  }

  private static Optimizer build(String name, Map<String, Double> v) {
    double lr = v.get("lr").get();
    try {
      return switch (name) {
        case "sgd" -> Optimizers.sgd(lr);
        case "momentum" -> Optimizers.momentum(lr, v.get("beta").get());
        case "nag" -> Optimizers.nag(lr, v.get("beta").get());
        case "rmsprop" -> Optimizers.rmsprop(lr, v.get("alpha").get(), v.get("eps").get());
        case "adam" -> Optimizers.adam(lr, v.get("b1").get(), v.get("b2").get(), v.get("eps").get());
        case "adamw" -> Optimizers.adamw(lr, v.get("wd").get());
        case "adagrad" -> Optimizers.adagrad(lr);
        case "rprop" -> Optimizers.rprop(lr);
        default -> throw new IllegalStateException(name);
      };
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("optimizer " + name + ": " + e.getMessage(), e);
    }
  }
}
