package l2l.dsl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vavr.collection.List;
import java.util.stream.Stream;
import l2l.optimizers.Optimizers;
import l2l.problems.Activation;
import l2l.problems.ConvNet;
import l2l.problems.ImageInput;
import l2l.problems.Mlp;
import l2l.problems.NeuralArt;
import l2l.problems.Problem;
import l2l.problems.Rosenbrock;
import l2l.problems.Simple;
import l2l.problems.TestData;
import l2l.problems.data.ImageDataset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Adam, through {@link Minimize#minimize}, drives the loss of every kind of problem down: the
 * problems, the optimizers and the stream agree on shapes, steps and minibatches. Small
 * instances: a 40-coordinate quadratic, x², 2-D Rosenbrock, an MLP and a conv net on synthetic
 * 7×7 images, neural art on an 8×8 image.
 */
class AdamDescentTest {
  static final ImageDataset TRAIN = TestData.images("train", 60, 1, 7, 7, 3, 1);
  static final ImageDataset TEST = TestData.images("test", 30, 1, 7, 7, 3, 2);
  static final ImageDataset RGB_TRAIN = TestData.images("rgb-train", 40, 3, 7, 7, 3, 3);
  static final ImageDataset RGB_TEST = TestData.images("rgb-test", 20, 3, 7, 7, 3, 4);
  static final ImageDataset STYLE = TestData.images("style", 1, 3, 10, 10, 2, 5);
  static final ImageDataset CONTENTS = TestData.images("contents", 2, 3, 12, 12, 2, 6);

  /**
   * (name, problem, Adam's learning rate, steps, factor): the mean loss over the last five steps must be
   * below {@code factor} times the mean over the first five (minibatch problems are noisy).
   */
  static Stream<Arguments> problems() {
    return Stream.of(
        Arguments.of("quadratic", Fixtures.TINY, 0.1, 100, 0.2),
        Arguments.of("simple", new Simple(), 0.1, 60, 0.2),
        Arguments.of("rosenbrock", Rosenbrock.defaults(), 0.05, 300, 0.2),
        Arguments.of("mlp", new Mlp(TRAIN, TEST, List.of(8), Activation.SIGMOID, 16, 0.1), 0.05, 100, 0.5),
        Arguments.of("conv", new ConvNet(ImageInput.of(RGB_TRAIN), ImageInput.of(RGB_TEST), List.of(2, 3), 3, List.of(4),
            true, 6, 0.1), 0.05, 60, 0.7),
        Arguments.of("neural art", new NeuralArt(STYLE, CONTENTS, 8, 2, 3, 3, 1, 1, NeuralArt.Init.NOISE, 0.1, 4), 0.02,
            60, 0.5));
  }

  private static double mean(double[] c, int from, int to) {
    double s = 0;
    for (int i = from; i < to; i++) s += c[i] / (to - from);
    return s;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("problems")
  void adamDrivesTheLossDown(String name, Problem problem, double lr, int steps, double factor) {
    double[] curve = Minimize.lossCurve(problem.sample(11), Optimizers.adam(lr), steps);
    double first = mean(curve, 0, 5), last = mean(curve, steps - 4, steps + 1);
    System.out.printf(java.util.Locale.ROOT, "adam(%s) on %s: mean loss %.4g over the first 5 steps, %.4g over the last 5%n",
        lr, name, first, last);
    assertTrue(Double.isFinite(last) && last < factor * first,
        () -> problem.name() + ": loss went from " + first + " to " + last + " (wanted below " + factor + "×)");
  }
}
