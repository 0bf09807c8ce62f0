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
 * @param head how the output layer's value becomes the update: Δ = scale·v, or scale·tanh(v)
 * @param base an analytic step the LSTM's output is added to or scales ({@link Base#none()}: none);
 *     with a base the output layer starts at zero, so g(φ₀) is the base exactly and φ learns a correction
 */
public record LstmConfig(List<Integer> hidden, Preprocess preprocess, double scale, double forgetBias, Init init,
    List<Integer> globalAveragingCells, Head head, Base base) {

  /** The map from the output layer's value v to the update. */
  public enum Head {
    /** Δ = scale·v (the paper's). */
    LINEAR,
    /** Δ = scale·tanh(v): every step is bounded by the scale (RNNprop's). */
    TANH
  }

  /**
   * An analytic step under the learned one, on θ and ∇ as one 1×n row: Nesterov's accelerated
   * gradient (b' = μb + g, s = −lr·(g + μb'); μ = 0 is SGD) or Adam (β₁ = momentum, β₂ = 0.999,
   * ε = 10⁻⁸), to which the LSTM's output u (= scale·v or scale·tanh v) is added (Δ = s + u), by
   * whose exponential it scales the step coordinatewise (Δ = s·exp(u)), or whose running sum ℓ scales
   * it (Δ = s·exp(ℓ), ℓ ← ℓ + u); lr = 0 is no base.
   *
   * @param kind which analytic step
   * @param lr its learning rate
   * @param momentum NAG's momentum or Adam's β₁
   * @param combine how the LSTM's output meets the step
   * @param hyper β of a hypergradient on the step's learning rate ({@code Transforms.hypergradient}:
   *     the rate adapts per run by exp(a), a ← a − β·cos(∇_t, s_{t−1})); 0: a fixed rate
   */
  public record Base(Kind kind, double lr, double momentum, Combine combine, double hyper) {
    /** The analytic step. */
    public enum Kind {
      /** Nesterov's accelerated gradient ({@code Optimizers.nag}). */
      NAG,
      /** Adam ({@code Optimizers.adam}), its step count kept per coordinate. */
      ADAM
    }

    /** How the LSTM's output u meets the base step s. */
    public enum Combine {
      /** Δ = s + u. */
      ADD,
      /** Δ = s·exp(u): a learned per-coordinate, per-step factor on the base's learning rate. */
      SCALE,
      /**
       * Δ = s·exp(ℓ) with ℓ ← ℓ + u from ℓ = 0: a learned per-coordinate log learning rate that the
       * LSTM moves by u each step (a learned delta-bar-delta), so steps can grow or shrink without bound.
       */
      ACCUMULATE
    }

    /** Checks lr ≥ 0 and 0 ≤ momentum < 1, both finite. */
    public Base {
      java.util.Objects.requireNonNull(kind, "Base: kind");
      java.util.Objects.requireNonNull(combine, "Base: combine");
      if (!(lr >= 0) || !Double.isFinite(lr)) {
        throw new IllegalArgumentException("the base's learning rate must be a finite number ≥ 0, got " + lr);
      }
      if (!(momentum >= 0 && momentum < 1)) {
        throw new IllegalArgumentException("the base's momentum must be in [0, 1), got " + momentum);
      }
      if (!(hyper >= 0) || Double.isInfinite(hyper)) {
        throw new IllegalArgumentException("the base's hypergradient β must be a finite number ≥ 0, got " + hyper);
      }
    }

    /** A base with a fixed learning rate (no hypergradient). */
    public Base(Kind kind, double lr, double momentum, Combine combine) {
      this(kind, lr, momentum, combine, 0);
    }

    /** No base: the update is the LSTM's alone. */
    public static Base none() {
      return new Base(Kind.NAG, 0, 0, Combine.ADD);
    }

    /** NAG with this learning rate and momentum, the LSTM's output added to its step. */
    public static Base nag(double lr, double momentum) {
      return new Base(Kind.NAG, lr, momentum, Combine.ADD);
    }

    /** NAG with this learning rate and momentum, its step scaled by the exponential of the LSTM's output. */
    public static Base scaledNag(double lr, double momentum) {
      return new Base(Kind.NAG, lr, momentum, Combine.SCALE);
    }

    /** Adam with this learning rate (β₁ = 0.9), the LSTM's output added to its step. */
    public static Base adam(double lr) {
      return new Base(Kind.ADAM, lr, 0.9, Combine.ADD);
    }

    /** Whether there is no base. */
    public boolean isNone() {
      return lr == 0;
    }

    /**
     * The base as an optimizer of a 1×n row: {@code Optimizers.nag}, or {@code Optimizers.adam}
     * with its step count held as a row (every state leaf has one column per coordinate).
     */
    public l2l.optimizers.Optimizer optimizer() {
      l2l.optimizers.Optimizer step = kind == Kind.NAG ? l2l.optimizers.Optimizers.nag(lr, momentum)
          : new CountsAsRows(l2l.optimizers.Optimizers.adam(lr, momentum, 0.999, 1e-8));
      return hyper == 0 ? step : l2l.optimizers.Transforms.hypergradient(step, hyper);
    }

    /** E.g. "NAG(lr=1.0, momentum=0.9) + u", "Adam(lr=0.03, b1=0.9) · exp(u)", "… · exp(Σu)" or "none". */
    public String describe() {
      if (isNone()) return "none";
      String step = kind == Kind.NAG ? "NAG(lr=" + lr + ", momentum=" + momentum + ")"
          : "Adam(lr=" + lr + ", b1=" + momentum + ")";
      if (hyper != 0) step = "hypergradient(beta=" + hyper + ", " + step + ")";
      return step + switch (combine) {
        case ADD -> " + u";
        case SCALE -> " · exp(u)";
        case ACCUMULATE -> " · exp(Σu)";
      };
    }
  }

  /** A configuration without a base. */
  public LstmConfig(List<Integer> hidden, Preprocess preprocess, double scale, double forgetBias, Init init,
      List<Integer> globalAveragingCells, Head head) {
    this(hidden, preprocess, scale, forgetBias, init, globalAveragingCells, head, Base.none());
  }

  /** A configuration with the linear head. */
  public LstmConfig(List<Integer> hidden, Preprocess preprocess, double scale, double forgetBias, Init init,
      List<Integer> globalAveragingCells) {
    this(hidden, preprocess, scale, forgetBias, init, globalAveragingCells, Head.LINEAR);
  }

  /** The most values one φ entry holds: its doubles must fit one Java array of bytes (2³¹ / 8). */
  public static final long MAX_ENTRY = Integer.MAX_VALUE / 8;

  /** Whether a layer of {@code width} units fed {@code inputs} values has weights ((inputs + width)×4·width) that fit one φ entry. */
  public static boolean layerFits(long inputs, long width) {
    return (double) (inputs + width) * 4.0 * width <= MAX_ENTRY;
  }

  /** Checks widths (each layer's weights must fit one φ entry), scale and the GAC counts. */
  public LstmConfig {
    java.util.Objects.requireNonNull(head, "LstmConfig: head");
    java.util.Objects.requireNonNull(base, "LstmConfig: base");
    java.util.Objects.requireNonNull(preprocess, "LstmConfig: preprocess");
    for (int i = 0; i < hidden.size(); i++) {
      int h = hidden.get(i);
      if (h <= 0) {
        throw new IllegalArgumentException("LSTM layer " + i + " has width " + h + "; every width must be at least 1");
      }
      long in = i == 0 ? preprocess.width() : hidden.get(i - 1);
      if (!layerFits(in, h)) {
        throw new IllegalArgumentException("LSTM layer " + i + " of width " + h + " would have " + (in + h) + "×" + 4L * h
            + " weights, more than one entry of φ can hold (" + MAX_ENTRY + ")");
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

  /**
   * RNNprop (Lv et al. 2017): layers (20, 20) fed Adam's normalised gradient and momentum
   * (β₁ = β₂ = 0.95), updates scale·tanh(v) with scale 0.1.
   */
  public static LstmConfig rnnprop() {
    return new LstmConfig(List.of(20, 20), Preprocess.adamNormalized(0.95, 0.95), 0.1, 1.0, Init.original(),
        List.empty(), Head.TANH);
  }

  /**
   * The LSTM fed the gradient and its momenta at timescales 0.5, 0.9 and 0.99, normalised by a slow
   * RMS (0.999), and that RMS's log: layers (20, 20), scale 0.01.
   */
  public static LstmConfig lstmFeatures() {
    return new LstmConfig(List.of(20, 20), Preprocess.momenta(List.of(0.5, 0.9, 0.99), 0.999), 0.01, 1.0,
        Init.original(), List.empty(), Head.LINEAR);
  }

  /** This configuration with other layer widths (drops any GAC setting). */
  public LstmConfig withHidden(int... widths) {
    return withHidden(List.ofAll(widths));
  }

  /** This configuration with other layer widths (drops any GAC setting). */
  public LstmConfig withHidden(List<Integer> widths) {
    return new LstmConfig(widths, preprocess, scale, forgetBias, init, List.empty(), head, base);
  }

  /** This configuration with another preprocessing. */
  public LstmConfig withPreprocess(Preprocess p) {
    return new LstmConfig(hidden, p, scale, forgetBias, init, globalAveragingCells, head, base);
  }

  /** This configuration with another output scale. */
  public LstmConfig withScale(double s) {
    return new LstmConfig(hidden, preprocess, s, forgetBias, init, globalAveragingCells, head, base);
  }

  /** This configuration with another forget bias. */
  public LstmConfig withForgetBias(double b) {
    return new LstmConfig(hidden, preprocess, scale, b, init, globalAveragingCells, head, base);
  }

  /** This configuration with another initialisation. */
  public LstmConfig withInit(Init i) {
    return new LstmConfig(hidden, preprocess, scale, forgetBias, i, globalAveragingCells, head, base);
  }

  /** This configuration with another head. */
  public LstmConfig withHead(Head h) {
    return new LstmConfig(hidden, preprocess, scale, forgetBias, init, globalAveragingCells, h, base);
  }

  /** This configuration with {@code cells} globally averaged cells in every layer (LSTM+GAC; 0: none). */
  public LstmConfig withGlobalAveragingCells(int cells) {
    return new LstmConfig(hidden, preprocess, scale, forgetBias, init, cells == 0 ? List.empty() : hidden.map(h -> cells),
        head, base);
  }

  /** This configuration with another base step. */
  public LstmConfig withBase(Base b) {
    return new LstmConfig(hidden, preprocess, scale, forgetBias, init, globalAveragingCells, head, b);
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
        + (hasGlobalAveraging() ? ", global averaging cells " + globalAveragingCells.mkString("(", ", ", ")") : "")
        + (head == Head.TANH ? ", tanh head" : "") + (base.isNone() ? "" : ", base " + base.describe());
  }
}
