package l2l.optimizers.learned;

import java.util.SplittableRandom;
import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;
import l2l.optimizers.Optimizer;

/**
 * The paper's coordinatewise LSTM optimizer as a {@link LearnedOptimizer}: every coordinate of θ
 * is one row of a single batch; the LSTM layers' weights are shared by all coordinates, each
 * coordinate has its own hidden and cell state; a linear layer maps the last hidden state to the
 * update, times the output scale.
 *
 * <p>φ is a tree {@code lstm0/w ((in+h)×4h), lstm0/b (1×4h), …, out/w (h×1), out/b (1×1)}.
 */
public final class CoordinatewiseLstm implements LearnedOptimizer {
  private final LstmConfig config;
  /** φ's structure (zeros), to check a given φ against. */
  private final Tree shapes;

  private CoordinatewiseLstm(LstmConfig config) {
    this.config = config;
    this.shapes = CoordinatewiseLstm.init(config.withInit(Init.zeros()), 0);
  }

  /** The learned optimizer of this architecture. */
  public static CoordinatewiseLstm of(LstmConfig config) {
    return new CoordinatewiseLstm(config);
  }

  /** The architecture. */
  public LstmConfig config() {
    return config;
  }

  @Override
  public Tree init(long seed) {
    return init(config, seed);
  }

  private static Tree init(LstmConfig config, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    Tree phi = Tree.empty();
    for (int l = 0; l < config.hidden().size(); l++) {
      int in = config.inputWidth(l), h = config.hidden().get(l);
      Tensor w = config.init().draw(in + h, 4 * h, in + h, false, false, rng);
      Tensor b = config.init().draw(1, 4 * h, in + h, true, false, rng);
      phi = phi.with(layerName(l), Tree.of("w", w, "b", b));
    }
    int width = config.outputInputWidth();
    Init out = config.base().isNone() ? config.init() : Init.zeros(); // with a base, g(φ₀) is the base
    Tensor w = out.draw(width, 1, width, false, true, rng);
    Tensor b = out.draw(1, 1, width, true, true, rng);
    return phi.with("out", Tree.of("w", w, "b", b));
  }

  @Override
  public Optimizer apply(Tree phi) {
    shapes.requireSameStructure(phi, "the parameters φ do not fit " + config.describe());
    LstmRule rule = new LstmRule(config, phi);
    return coordinatewise() ? new InBlocks(rule) : rule;
  }

  @Override
  public String describe() {
    return config.describe();
  }

  /**
   * With stateless inputs, the linear head and no base, the hand-written first-order engine
   * ({@link LstmUnroll}) in double or float32; otherwise the general reverse mode, in double.
   */
  @Override
  public Engine engine(Precision precision) {
    if (LstmEngine.covers(config)) return new LstmEngine(this, precision);
    return LearnedOptimizer.super.engine(precision);
  }

  /** Coordinatewise unless some cells are averaged across coordinates (LSTM+GAC) or the base's rate adapts per run. */
  @Override
  public boolean coordinatewise() {
    return !config.hasGlobalAveraging() && config.base().hyper() == 0;
  }

  static String layerName(int l) {
    return "lstm" + l;
  }

  @Override
  public String toString() {
    return describe();
  }

  /** Equal when the architectures are. */
  @Override
  public boolean equals(Object o) {
    return o instanceof CoordinatewiseLstm c && c.config.equals(config);
  }

  @Override
  public int hashCode() {
    return config.hashCode();
  }
}
