package l2l.optimizers.learned;

import io.vavr.collection.List;

/**
 * The architecture of the coordinatewise LSTM optimizer.
 *
 * @param hidden the widths of the LSTM layers (may be empty: then the optimizer is linear in the
 *     preprocessed gradient, Δ = scale·(w·x + b))
 * @param preprocess how gradients become input features
 * @param scale the output scale (Δ = scale · linear(h))
 * @param forgetBias added to the forget gate's pre-activation (Sonnet's default 1)
 * @param init how φ is initialised
 * @param globalAveragingCells per layer, how many of its cells (the last ones) are averaged
 *     across all coordinates at every step (LSTM+GAC); empty or zeros for the plain LSTM
 */
public record LstmConfig(List<Integer> hidden, Preprocess preprocess, double scale, double forgetBias, Init init,
    List<Integer> globalAveragingCells) {

  /** Checks widths, scale and the GAC counts. */
  public LstmConfig {
    for (int i = 0; i < hidden.size(); i++) {
      if (hidden.get(i) <= 0) {
        throw new IllegalArgumentException("LSTM layer " + i + " has width " + hidden.get(i)
            + "; every width must be at least 1");
      }
    }
    if (!Double.isFinite(scale) || scale == 0) {
      throw new IllegalArgumentException("LSTM output scale must be a finite nonzero number, got " + scale);
    }
    if (!Double.isFinite(forgetBias)) {
      throw new IllegalArgumentException("LSTM forget bias must be finite, got " + forgetBias);
    }
    if (!globalAveragingCells.isEmpty() && globalAveragingCells.size() != hidden.size()) {
      throw new IllegalArgumentException("LSTM+GAC needs one count of averaged cells per layer (" + hidden.size()
          + " layers), got " + globalAveragingCells.size());
    }
    for (int i = 0; i < globalAveragingCells.size(); i++) {
      int g = globalAveragingCells.get(i);
      if (g < 0 || g > hidden.get(i)) {
        throw new IllegalArgumentException("LSTM+GAC layer " + i + ": " + g + " averaged cells is outside [0, "
            + hidden.get(i) + "]");
      }
    }
  }

  /** The original code's quadratic setting: layers (20, 20), no preprocessing, scale 1. */
  public static LstmConfig quadratic() {
    return new LstmConfig(List.of(20, 20), Preprocess.none(), 1.0, 1.0, Init.original(), List.empty());
  }

  /** The original code's MNIST and CIFAR setting: layers (20, 20), log-and-sign with k = 5, scale 0.01. */
  public static LstmConfig mnist() {
    return new LstmConfig(List.of(20, 20), Preprocess.logAndSign(5), 0.01, 1.0, Init.original(), List.empty());
  }

  /** The original code's check: no LSTM layers, zero weights, no preprocessing, scale 1 (Δ = w·g + b). */
  public static LstmConfig linear() {
    return new LstmConfig(List.empty(), Preprocess.none(), 1.0, 1.0, Init.zeros(), List.empty());
  }

  /** This configuration with other layer widths (drops any GAC setting). */
  public LstmConfig withHidden(int... widths) {
    return new LstmConfig(List.ofAll(widths), preprocess, scale, forgetBias, init, List.empty());
  }

  /** This configuration with another preprocessing. */
  public LstmConfig withPreprocess(Preprocess p) {
    return new LstmConfig(hidden, p, scale, forgetBias, init, globalAveragingCells);
  }

  /** This configuration with another output scale. */
  public LstmConfig withScale(double s) {
    return new LstmConfig(hidden, preprocess, s, forgetBias, init, globalAveragingCells);
  }

  /** This configuration with another initialisation. */
  public LstmConfig withInit(Init i) {
    return new LstmConfig(hidden, preprocess, scale, forgetBias, i, globalAveragingCells);
  }

  /** This configuration with {@code cells} globally averaged cells in every layer (LSTM+GAC). */
  public LstmConfig withGlobalAveragingCells(int cells) {
    return new LstmConfig(hidden, preprocess, scale, forgetBias, init, hidden.map(h -> cells));
  }

  /** Whether some cells are averaged across coordinates. */
  public boolean hasGlobalAveraging() {
    return globalAveragingCells.exists(g -> g > 0);
  }

  /** The number of averaged cells of layer l. */
  public int averagedCells(int layer) {
    return globalAveragingCells.isEmpty() ? 0 : globalAveragingCells.get(layer);
  }

  /** The input width of layer l (the preprocessed width for layer 0). */
  public int inputWidth(int layer) {
    return layer == 0 ? preprocess.width() : hidden.get(layer - 1);
  }

  /** The width feeding the output layer. */
  public int outputInputWidth() {
    return hidden.isEmpty() ? preprocess.width() : hidden.last();
  }

  /** A one-line description. */
  public String describe() {
    return "coordinatewise LSTM " + hidden.mkString("(", ", ", ")") + ", preprocess " + preprocess.describe()
        + ", scale " + scale + ", forget bias " + forgetBias + ", init " + init.describe()
        + (hasGlobalAveraging() ? ", global averaging cells " + globalAveragingCells.mkString("(", ", ", ")") : "");
  }
}
