package l2l.problems;

import io.vavr.collection.List;
import io.vavr.collection.Map;
import java.util.SplittableRandom;
import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;
import l2l.problems.data.Datasets;
import l2l.problems.data.ImageDataset;

/**
 * Image classification with a multi-layer perceptron, as the original code's
 * {@code problems.mnist}: images flattened to rows of pixels in [0, 1], hidden layers
 * {@code act(h·w + b)}, a linear output layer, mean softmax cross-entropy over a minibatch of
 * {@code batch} images drawn uniformly with replacement. Weights and biases start from
 * N(0, initStd²). Parameters: "layer0/w" (in×out), "layer0/b" (1×out), …, the output layer last.
 *
 * <p>A task's seed fixes θ₀ and the minibatch of every step t (drawn from (seed, t) alone).
 *
 * @param train the images minibatches are drawn from
 * @param test the images {@link Task#evaluate} reports on
 * @param hidden the hidden layers' widths (empty: logistic regression)
 * @param activation the hidden layers' nonlinearity
 * @param batch images per minibatch
 * @param initStd standard deviation of the initial weights and biases
 */
public record Mlp(ImageDataset train, ImageDataset test, List<Integer> hidden, Activation activation, int batch,
    double initStd) implements Problem {

  /** Checks the settings. */
  public Mlp {
    if (train == null || test == null || hidden == null || activation == null) {
      throw new IllegalArgumentException("mlp: train, test, hidden and activation must be given");
    }
    if (hidden.exists(w -> w == null || w < 1)) {
      throw new IllegalArgumentException("mlp: hidden widths must be positive, got " + hidden.mkString(", "));
    }
    if (batch < 1) throw new IllegalArgumentException("mlp: batch must be at least 1, got " + batch);
    if (!(initStd >= 0)) throw new IllegalArgumentException("mlp: init-std must be ≥ 0, got " + initStd);
    if (train.features() != test.features() || train.classes() != test.classes()) {
      throw new IllegalArgumentException("mlp: " + train + " and " + test + " differ in shape or classes");
    }
  }

  /** The paper's defaults on the given data: 20 sigmoid hidden units, batch 128, N(0, 0.01²). */
  public static Mlp of(ImageDataset train, ImageDataset test) {
    return new Mlp(train, test, List.of(20), Activation.SIGMOID, 128, 0.01);
  }

  /**
   * The paper's MNIST problem: {@link #of} on MNIST from the standard cache (fetched if absent).
   * Minibatches come from training images 5000..59999, the 55000 that TensorFlow's
   * {@code read_data_sets} (the original code's loader) calls "train"; the test split is the
   * 10000 test images.
   */
  public static Mlp mnist() {
    return of(Datasets.mnistTrain().slice(5000, 60000), Datasets.mnistTest());
  }

  /** As {@link #mnist()} on Fashion-MNIST (the same 55000/10000 split). */
  public static Mlp fashionMnist() {
    return of(Datasets.fashionMnistTrain().slice(5000, 60000), Datasets.fashionMnistTest());
  }

  /** The same with these hidden widths. */
  public Mlp withHidden(Integer... widths) {
    return new Mlp(train, test, List.of(widths), activation, batch, initStd);
  }

  /** The same with this activation. */
  public Mlp withActivation(Activation a) {
    return new Mlp(train, test, hidden, a, batch, initStd);
  }

  /** The same with this minibatch size. */
  public Mlp withBatch(int size) {
    return new Mlp(train, test, hidden, activation, size, initStd);
  }

  /** The same with this initial standard deviation. */
  public Mlp withInitStd(double std) {
    return new Mlp(train, test, hidden, activation, batch, std);
  }

  /** E.g. "mlp(data=mnist-train[5000:60000], hidden=20, activation=sigmoid, batch=128, init-std=0.01)". */
  @Override
  public String name() {
    return "mlp(data=" + train.name() + ", hidden=" + (hidden.isEmpty() ? "none" : hidden.mkString("x"))
        + ", activation=" + activation.label() + ", batch=" + batch + ", init-std=" + initStd + ")";
  }

  /** Layer widths from input to output: features, hidden…, classes. */
  public List<Integer> widths() {
    return hidden.prepend(train.features()).append(train.classes());
  }

  /** The task of this seed. */
  @Override
  public Instance sample(long seed) {
    SplittableRandom rng = Seeds.rng(seed, Seeds.INIT);
    List<Integer> w = widths();
    Tree init = Tree.empty();
    for (int i = 0; i + 1 < w.size(); i++) {
      Tensor weights = Layers.normal(w.get(i), w.get(i + 1), initStd, rng);
      Tensor bias = Layers.normal(1, w.get(i + 1), initStd, rng);
      init = init.with("layer" + i, Tree.of("w", weights, "b", bias));
    }
    return new Instance(this, seed, init);
  }

  /** The logits (rows×classes) of images x (rows×features) under parameters θ. */
  public Tensor logits(Tree params, Tensor x) {
    Tensor h = x;
    int layers = hidden.size();
    for (int i = 0; i <= layers; i++) {
      Tree layer = params.get("layer" + i);
      h = h.matmul(layer.tensor("w")).add(layer.tensor("b"));
      if (i < layers) h = activation.apply(h);
    }
    return h;
  }

  /**
   * One task.
   *
   * @param problem the settings and data
   * @param seed fixes θ₀ and every step's minibatch
   * @param init θ₀
   */
  public record Instance(Mlp problem, long seed, Tree init) implements Task {

    /** The indices into the training images of step t's minibatch (uniform, with replacement). */
    public int[] batchIndices(int step) {
      return Layers.indices(problem.batch, problem.train.count(), Seeds.rng(seed, Seeds.STEP, step));
    }

    /** Mean softmax cross-entropy over step t's minibatch. */
    @Override
    public Tensor loss(Tree params, int step) {
      int[] idx = batchIndices(step);
      ImageInput in = ImageInput.of(problem.train);
      return problem.logits(params, in.images(idx)).softmaxCrossEntropy(in.labels(idx)).mean();
    }

    /** "test_loss" and "test_accuracy" over the whole test split. */
    @Override
    public Map<String, Double> evaluate(Tree params) {
      Tree p = params.detach();
      return Layers.classify(ImageInput.of(problem.test), Integer.MAX_VALUE, 1000, x -> problem.logits(p, x));
    }
  }
}
