package l2l.problems;

import java.util.Arrays;
import java.util.Locale;
import l2l.autodiff.Tensor;

/** The hidden-layer nonlinearities of the MLP problems. */
public enum Activation {
  /** 1 / (1 + e⁻ˣ), the paper's MNIST default. */
  SIGMOID,
  /** max(x, 0). */
  RELU,
  /** tanh x. */
  TANH;

  /** The activation applied entry by entry. */
  public Tensor apply(Tensor x) {
    return switch (this) {
      case SIGMOID -> x.sigmoid();
      case RELU -> x.relu();
      case TANH -> x.tanh();
    };
  }

  /** The plain-double version, for reference computations. */
  public double apply(double x) {
    return switch (this) {
      case SIGMOID -> 1 / (1 + Math.exp(-x));
      case RELU -> Math.max(x, 0);
      case TANH -> Math.tanh(x);
    };
  }

  /** The lower-case name used in problem names and options ("sigmoid", "relu", "tanh"). */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The activation named {@code s} (any case); an unknown name is an error listing the known ones. */
  public static Activation parse(String s) {
    for (Activation a : values()) {
      if (a.name().equalsIgnoreCase(s.trim())) return a;
    }
    throw new IllegalArgumentException("unknown activation '" + s + "'; known: "
        + String.join(", ", Arrays.stream(values()).map(Activation::label).toList()));
  }
}
