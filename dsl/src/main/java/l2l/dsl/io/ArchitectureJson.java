package l2l.dsl.io;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.vavr.collection.List;
import l2l.optimizers.learned.Init;
import l2l.optimizers.learned.LstmConfig;
import l2l.optimizers.learned.Preprocess;

/**
 * The coordinatewise LSTM's architecture ({@link LstmConfig}) as JSON, every field:
 *
 * <pre>{@code
 * {"kind": "coordinatewise-lstm", "description": "...", "hidden": [20, 20],
 *  "preprocess": {"kind": "none"} | {"kind": "log-and-sign", "k": 5.0, "epsilon": 1.1920928955078125E-7}
 *              | {"kind": "adam-normalized", "b1": 0.95, "b2": 0.95, "epsilon": 1e-8}
 *              | {"kind": "momenta", "decays": [0.5, 0.9, 0.99], "rms_decay": 0.999, "epsilon": 1e-8},
 *  "scale": 1.0, "forget_bias": 1.0, "head": "linear" | "tanh",
 *  "init": {"kind": "original"} | {"kind": "zeros"} | {"kind": "normal", "std": 0.1},
 *  "global_averaging_cells": [],
 *  "base": {"kind": "none"} | {"kind": "nag" | "adam", "lr": 1.0, "momentum": 0.9, "combine": "add" | "scale" | "accumulate"}}
 * }</pre>
 *
 * Files of version 1 have no head (it is linear) and only the first two preprocessings; files
 * without a base have none.
 */
public final class ArchitectureJson {
  private ArchitectureJson() {}

  /** The only kind of learned optimizer these files hold. */
  public static final String KIND = "coordinatewise-lstm";

  /** The JSON of a configuration. */
  public static JsonObject write(LstmConfig c) {
    JsonObject o = new JsonObject();
    o.addProperty("kind", KIND);
    o.addProperty("description", c.describe());
    o.add("hidden", ints(c.hidden()));
    JsonObject p = new JsonObject();
    if (c.preprocess() instanceof Preprocess.LogAndSign ls) {
      p.addProperty("kind", "log-and-sign");
      p.addProperty("k", ls.k());
      p.addProperty("epsilon", ls.epsilon());
    } else if (c.preprocess() instanceof Preprocess.AdamNormalized a) {
      p.addProperty("kind", "adam-normalized");
      p.addProperty("b1", a.b1());
      p.addProperty("b2", a.b2());
      p.addProperty("epsilon", a.epsilon());
    } else if (c.preprocess() instanceof Preprocess.Momenta m) {
      p.addProperty("kind", "momenta");
      JsonArray d = new JsonArray();
      m.decays().forEach(d::add);
      p.add("decays", d);
      p.addProperty("rms_decay", m.rmsDecay());
      p.addProperty("epsilon", m.epsilon());
    } else {
      p.addProperty("kind", "none");
    }
    o.add("preprocess", p);
    o.addProperty("scale", c.scale());
    o.addProperty("forget_bias", c.forgetBias());
    o.addProperty("head", c.head().name().toLowerCase(java.util.Locale.ROOT));
    JsonObject i = new JsonObject();
    if (c.init() instanceof Init.Normal n) {
      i.addProperty("kind", "normal");
      i.addProperty("std", n.std());
    } else {
      i.addProperty("kind", c.init() instanceof Init.Zeros ? "zeros" : "original");
    }
    o.add("init", i);
    o.add("global_averaging_cells", ints(c.globalAveragingCells()));
    JsonObject b = new JsonObject();
    b.addProperty("kind", c.base().isNone() ? "none" : c.base().kind().name().toLowerCase(java.util.Locale.ROOT));
    if (!c.base().isNone()) {
      b.addProperty("lr", c.base().lr());
      b.addProperty("momentum", c.base().momentum());
      b.addProperty("combine", c.base().combine().name().toLowerCase(java.util.Locale.ROOT));
      if (c.base().hyper() != 0) b.addProperty("hyper", c.base().hyper());
    }
    o.add("base", b);
    return o;
  }

  private static JsonArray ints(List<Integer> xs) {
    JsonArray a = new JsonArray();
    xs.forEach(a::add);
    return a;
  }

  /** The configuration of its JSON; anything missing, malformed or impossible is {@link Json.Bad}. */
  public static LstmConfig read(JsonObject o, String where) {
    String kind = Json.string(o, where, "kind");
    if (!kind.equals(KIND)) {
      throw new Json.Bad("field '" + where + ".kind' is '" + kind + "'; this l2l knows only '" + KIND + "'");
    }
    List<Integer> hidden = ints(Json.array(o, where, "hidden"), where + ".hidden");
    JsonObject p = Json.object(o, where, "preprocess");
    String pk = Json.string(p, where + ".preprocess", "kind");
    JsonObject i = Json.object(o, where, "init");
    String ik = Json.string(i, where + ".init", "kind");
    try {
      String pw = where + ".preprocess";
      Preprocess pre = switch (pk) {
        case "none" -> Preprocess.none();
        case "log-and-sign" -> new Preprocess.LogAndSign(Json.real(p, pw, "k"), Json.real(p, pw, "epsilon"));
        case "adam-normalized" -> new Preprocess.AdamNormalized(Json.real(p, pw, "b1"), Json.real(p, pw, "b2"),
            Json.real(p, pw, "epsilon"));
        case "momenta" -> new Preprocess.Momenta(reals(Json.array(p, pw, "decays"), pw + ".decays"),
            Json.real(p, pw, "rms_decay"), Json.real(p, pw, "epsilon"));
        default -> throw new Json.Bad("field '" + pw + ".kind' is '" + pk
            + "'; known: none, log-and-sign, adam-normalized, momenta");
      };
      String hk = o.has("head") ? Json.string(o, where, "head") : "linear";
      LstmConfig.Head head = switch (hk) {
        case "linear" -> LstmConfig.Head.LINEAR;
        case "tanh" -> LstmConfig.Head.TANH;
        default -> throw new Json.Bad("field '" + where + ".head' is '" + hk + "'; known: linear, tanh");
      };
      Init init = switch (ik) {
        case "original" -> Init.original();
        case "zeros" -> Init.zeros();
        case "normal" -> Init.normal(Json.real(i, where + ".init", "std"));
        default -> throw new Json.Bad("field '" + where + ".init.kind' is '" + ik + "'; known: original, zeros, normal");
      };
      for (int l = 0; l < hidden.size(); l++) {
        long inputs = l == 0 ? pre.width() : hidden.get(l - 1);
        if (hidden.get(l) > 0 && !LstmConfig.layerFits(inputs, hidden.get(l))) {
          throw new Json.Bad("field '" + where + ".hidden[" + l + "]' is " + hidden.get(l) + ": layer " + l
              + "'s weights would be " + (inputs + hidden.get(l)) + "×" + 4L * hidden.get(l)
              + " values, more than an entry of φ can hold (" + LstmConfig.MAX_ENTRY + ")");
        }
      }
      LstmConfig.Base base = LstmConfig.Base.none();
      if (o.has("base")) {
        String bw = where + ".base";
        JsonObject b = Json.object(o, where, "base");
        String bk = Json.string(b, bw, "kind");
        base = switch (bk) {
          case "none" -> LstmConfig.Base.none();
          case "nag", "adam" -> {
            String ck = Json.string(b, bw, "combine");
            LstmConfig.Base.Combine combine = switch (ck) {
              case "add" -> LstmConfig.Base.Combine.ADD;
              case "scale" -> LstmConfig.Base.Combine.SCALE;
              case "accumulate" -> LstmConfig.Base.Combine.ACCUMULATE;
              default -> throw new Json.Bad("field '" + bw + ".combine' is '" + ck + "'; known: add, scale, accumulate");
            };
            yield new LstmConfig.Base(LstmConfig.Base.Kind.valueOf(bk.toUpperCase(java.util.Locale.ROOT)),
                Json.real(b, bw, "lr"), Json.real(b, bw, "momentum"), combine,
                b.has("hyper") ? Json.real(b, bw, "hyper") : 0);
          }
          default -> throw new Json.Bad("field '" + bw + ".kind' is '" + bk + "'; known: none, nag, adam");
        };
      }
      return new LstmConfig(hidden, pre, Json.real(o, where, "scale"), Json.real(o, where, "forget_bias"), init,
          ints(Json.array(o, where, "global_averaging_cells"), where + ".global_averaging_cells"), head, base);
    } catch (IllegalArgumentException e) {
      throw new Json.Bad(where + " is impossible: " + e.getMessage(), e);
    }
  }

  private static List<Double> reals(JsonArray a, String where) {
    List<Double> out = List.empty();
    for (int k = 0; k < a.size(); k++) out = out.append(Json.real(a.get(k), where + "[" + k + "]"));
    return out;
  }

  private static List<Integer> ints(JsonArray a, String where) {
    List<Integer> out = List.empty();
    for (int k = 0; k < a.size(); k++) {
      JsonElement e = a.get(k);
      out = out.append(Json.integer(e, where + "[" + k + "]"));
    }
    return out;
  }
}
