package l2l.optimizers.learned;

import java.util.SplittableRandom;
import l2l.autodiff.Tensor;

/** How a learned optimizer's weights are initialised. */
public sealed interface Init {
  /** A fan_in×fan_out weight matrix (or 1×fan_out bias, with {@code bias} set). */
  Tensor draw(int rows, int cols, int fanIn, boolean bias, boolean outputLayer, SplittableRandom rng);

  /** A short description. */
  String describe();

  /**
   * The original code's initialisation (Sonnet's defaults): LSTM weights and biases from a normal
   * truncated at two standard deviations with σ = 1/√(input + hidden); output weights the same
   * with σ = 1/√hidden; output bias zero.
   */
  static Init original() {
    return new Original();
  }

  /** Every weight and bias zero (the original code's check of the linear optimizer uses it). */
  static Init zeros() {
    return new Zeros();
  }

  /** Weights from N(0, std²), biases zero. */
  static Init normal(double std) {
    return new Normal(std);
  }

  /** See {@link Init#original()}. */
  record Original() implements Init {
    @Override
    public Tensor draw(int rows, int cols, int fanIn, boolean bias, boolean outputLayer, SplittableRandom rng) {
      if (bias && outputLayer) return Tensor.zeros(rows, cols);
      double std = 1 / Math.sqrt(fanIn);
      double[] d = new double[rows * cols];
      for (int i = 0; i < d.length; i++) d[i] = std * truncatedGaussian(rng);
      return Tensor.fromRowMajor(rows, cols, d);
    }

    @Override
    public String describe() {
      return "original (truncated normal, σ = 1/√fan_in)";
    }
  }

  /** See {@link Init#zeros()}. */
  record Zeros() implements Init {
    @Override
    public Tensor draw(int rows, int cols, int fanIn, boolean bias, boolean outputLayer, SplittableRandom rng) {
      return Tensor.zeros(rows, cols);
    }

    @Override
    public String describe() {
      return "zeros";
    }
  }

  /** See {@link Init#normal(double)}. */
  record Normal(double std) implements Init {
    /** Checks std ≥ 0. */
    public Normal {
      if (!(std >= 0) || !Double.isFinite(std)) {
        throw new IllegalArgumentException("Init.normal: std must be a finite number ≥ 0, got " + std);
      }
    }

    @Override
    public Tensor draw(int rows, int cols, int fanIn, boolean bias, boolean outputLayer, SplittableRandom rng) {
      return bias ? Tensor.zeros(rows, cols) : Tensor.normal(rows, cols, 0, std, rng);
    }

    @Override
    public String describe() {
      return "normal(σ=" + std + ")";
    }
  }

  /** A standard normal draw conditioned on |z| ≤ 2 (TensorFlow's truncated normal). */
  static double truncatedGaussian(SplittableRandom rng) {
    double z;
    do {
      z = Tensor.gaussian(rng);
    } while (Math.abs(z) > 2);
    return z;
  }
}
