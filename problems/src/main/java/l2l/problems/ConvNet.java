package l2l.problems;

import io.vavr.collection.List;
import io.vavr.collection.Map;
import java.util.SplittableRandom;
import l2l.autodiff.Conv;
import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;
import l2l.problems.data.DataCache;
import l2l.problems.data.DataFetchException;
import l2l.problems.data.Datasets;

/**
 * Image classification with the paper's CIFAR-10 convolutional net, as the original code's
 * {@code problems.cifar10} with {@code conv_channels=(16, 16, 16), linear_layers=(32,)}: per conv
 * layer a k×k convolution (SAME padding, stride 1), batch normalisation, ReLU and 2×2 max-pooling
 * (stride 2, SAME); then fully connected layers with batch normalisation and ReLU; then a linear
 * output layer; mean softmax cross-entropy over a minibatch drawn uniformly with replacement (the
 * original streams CIFAR-10 through a shuffling queue; drawing keeps step t's batch a function of (seed, t)).
 * Batch normalisation uses the minibatch's statistics with a learned offset "beta" (no scale,
 * ε = 10⁻³) as the original's {@code nn.BatchNorm} in training mode; weights and biases start
 * from N(0, initStd²), offsets from 0.
 *
 * <p><b>Data.</b> CIFAR-10 cannot be fetched here (no package registry carries it): when its
 * binary files are in the cache ({@link Datasets#cifar10Dir}), {@link #paper()} trains on them;
 * otherwise it trains on MNIST digits padded to 32×32 with the grey channel copied into 3, so
 * the net and its parameters keep the CIFAR shape. {@link #name()} says which data is used.
 *
 * <p>Parameters: "conv0/w" (F×(C·k·k), one filter per row, CHW order), "conv0/b" (1×F),
 * "conv0/beta" (1×F), … then "layer0/w", "layer0/b", "layer0/beta", … and the output layer
 * "layerL/w", "layerL/b". Conv filters are exactly the leaves "conv*&#47;w", so a partitioned
 * optimizer can treat them apart (the original's {@code cifar-multi}).
 *
 * @param train the images minibatches are drawn from, with the shape they are brought to
 * @param test the images {@link Task#evaluate} reports on, in the same shape
 * @param convChannels output channels of each conv layer
 * @param kernelSize side of every conv kernel
 * @param linear widths of the fully connected hidden layers
 * @param batchNorm whether conv and hidden layers are batch-normalised (the original: yes)
 * @param batch images per minibatch
 * @param initStd standard deviation of the initial weights and biases
 */
public record ConvNet(ImageInput train, ImageInput test, List<Integer> convChannels, int kernelSize,
    List<Integer> linear, boolean batchNorm, int batch, double initStd) implements Problem {

  /** Checks the settings. */
  public ConvNet {
    if (train == null || test == null || convChannels == null || linear == null) {
      throw new IllegalArgumentException("conv: train, test, conv channels and linear widths must be given");
    }
    if (convChannels.exists(c -> c == null || c < 1) || linear.exists(c -> c == null || c < 1)) {
      throw new IllegalArgumentException("conv: widths must be positive, got channels " + convChannels.mkString("x")
          + " and linear " + linear.mkString("x"));
    }
    if (kernelSize < 1 || batch < 1) {
      throw new IllegalArgumentException("conv: kernel and batch must be at least 1, got " + kernelSize + " and " + batch);
    }
    if (batchNorm && batch < 2) throw new IllegalArgumentException("conv: batch norm needs a batch of at least 2");
    if (!(initStd >= 0)) throw new IllegalArgumentException("conv: init-std must be ≥ 0, got " + initStd);
    if (train.features() != test.features() || train.channels() != test.channels()
        || train.data().classes() != test.data().classes()) {
      throw new IllegalArgumentException("conv: " + train.describe() + " and " + test.describe() + " differ in shape");
    }
  }

  /** The paper's net (16x16x16 channels, 5×5 kernels, 32 hidden units, batch norm, batch 128, N(0, 0.01²)). */
  public static ConvNet of(ImageInput train, ImageInput test) {
    return new ConvNet(train, test, List.of(16, 16, 16), 5, List.of(32), true, 128, 0.01);
  }

  /** The paper's net on the 50000 CIFAR-10 training images (must be in the standard cache, see {@link Datasets}). */
  public static ConvNet cifar10() {
    return of(ImageInput.of(Datasets.cifar10Train()), ImageInput.of(Datasets.cifar10Test()));
  }

  /**
   * The paper's net on MNIST (60000 training, 10000 test images) padded to 32×32 and copied into
   * 3 channels: CIFAR-shaped input from real images that can be fetched here.
   */
  public static ConvNet mnistAsCifar() {
    return of(new ImageInput(Datasets.mnistTrain(), 3, 32, 32), new ImageInput(Datasets.mnistTest(), 3, 32, 32));
  }

  /** As {@link #mnistAsCifar()} with Fashion-MNIST. */
  public static ConvNet fashionMnistAsCifar() {
    return of(new ImageInput(Datasets.fashionMnistTrain(), 3, 32, 32),
        new ImageInput(Datasets.fashionMnistTest(), 3, 32, 32));
  }

  /** {@link #cifar10()} if CIFAR-10 is in the standard cache, else {@link #mnistAsCifar()}. */
  public static ConvNet paper() {
    return cifar10Available() ? cifar10() : mnistAsCifar();
  }

  /** Whether the CIFAR-10 binary files are in the standard cache. */
  public static boolean cifar10Available() {
    try {
      Datasets.cifar10Dir(DataCache.standard());
      return true;
    } catch (DataFetchException e) {
      return false;
    }
  }

  /** The same with these settings of the layers. */
  public ConvNet withLayers(List<Integer> channels, int kernel, List<Integer> linearWidths) {
    return new ConvNet(train, test, channels, kernel, linearWidths, batchNorm, batch, initStd);
  }

  /** The same with or without batch normalisation. */
  public ConvNet withBatchNorm(boolean on) {
    return new ConvNet(train, test, convChannels, kernelSize, linear, on, batch, initStd);
  }

  /** The same with this minibatch size. */
  public ConvNet withBatch(int size) {
    return new ConvNet(train, test, convChannels, kernelSize, linear, batchNorm, size, initStd);
  }

  /** The same with this initial standard deviation. */
  public ConvNet withInitStd(double std) {
    return new ConvNet(train, test, convChannels, kernelSize, linear, batchNorm, batch, std);
  }

  /** E.g. "conv(data=mnist-train→3×32×32, channels=16x16x16, kernel=5, linear=32, batch-norm=true, batch=128, init-std=0.01)". */
  @Override
  public String name() {
    return "conv(data=" + train.describe() + ", channels=" + convChannels.mkString("x") + ", kernel=" + kernelSize
        + ", linear=" + (linear.isEmpty() ? "none" : linear.mkString("x")) + ", batch-norm=" + batchNorm + ", batch="
        + batch + ", init-std=" + initStd + ")";
  }

  /** Spatial side after pooling: ⌈side / 2⌉ per conv layer. */
  private int pooled(int side) {
    for (int i = 0; i < convChannels.size(); i++) side = (side + 1) / 2;
    return side;
  }

  /** Values per image entering the first fully connected layer. */
  public int flatFeatures() {
    return convChannels.last() * pooled(train.height()) * pooled(train.width());
  }

  /** The task of this seed. */
  @Override
  public Instance sample(long seed) {
    SplittableRandom rng = Seeds.rng(seed, Seeds.INIT);
    Tree init = Tree.empty();
    int in = train.channels();
    for (int i = 0; i < convChannels.size(); i++) {
      int f = convChannels.get(i);
      Tree layer = Tree.of("w", Layers.normal(f, in * kernelSize * kernelSize, initStd, rng),
          "b", Layers.normal(1, f, initStd, rng));
      if (batchNorm) layer = layer.with("beta", Tensor.zeros(1, f));
      init = init.with("conv" + i, layer);
      in = f;
    }
    List<Integer> widths = linear.prepend(flatFeatures()).append(train.data().classes());
    for (int i = 0; i + 1 < widths.size(); i++) {
      int out = widths.get(i + 1);
      Tree layer = Tree.of("w", Layers.normal(widths.get(i), out, initStd, rng), "b", Layers.normal(1, out, initStd, rng));
      if (batchNorm && i < linear.size()) layer = layer.with("beta", Tensor.zeros(1, out));
      init = init.with("layer" + i, layer);
    }
    return new Instance(this, seed, init);
  }

  /** The logits (rows×classes) of images x (rows×(C·H·W), CHW rows); batch norm uses x's statistics. */
  public Tensor logits(Tree params, Tensor x) {
    Tensor h = x;
    int c = train.channels(), height = train.height(), width = train.width();
    for (int i = 0; i < convChannels.size(); i++) {
      Tree layer = params.get("conv" + i);
      int f = convChannels.get(i);
      Tensor z = Conv.conv2d(h, layer.tensor("w"), layer.tensor("b"), c, height, width, kernelSize);
      // maxPool(relu(bn(z))) = relu(bn'(maxPool(z))) where bn' uses z's moments: batch norm is an
      // increasing affine map per channel, so it commutes with the max; the pooled tensor is 4× smaller
      h = Conv.maxPool2x2(z, f, height, width);
      c = f;
      int positions = height * width;
      height = (height + 1) / 2;
      width = (width + 1) / 2;
      if (batchNorm) {
        Tensor[] moments = Layers.channelMoments(z, f, positions);
        h = Layers.normalizeChannels(h, moments[0], moments[1], layer.tensor("beta"), f, height * width);
      }
      h = h.relu();
    }
    for (int i = 0; i <= linear.size(); i++) {
      Tree layer = params.get("layer" + i);
      h = h.matmul(layer.tensor("w")).add(layer.tensor("b"));
      if (i < linear.size()) {
        if (batchNorm) h = Layers.batchNormFeatures(h, layer.tensor("beta"));
        h = h.relu();
      }
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
  public record Instance(ConvNet problem, long seed, Tree init) implements Task {

    /** The indices into the training images of step t's minibatch (uniform, with replacement). */
    public int[] batchIndices(int step) {
      return Layers.indices(problem.batch, problem.train.count(), Seeds.rng(seed, Seeds.STEP, step));
    }

    /** Mean softmax cross-entropy over step t's minibatch. */
    @Override
    public Tensor loss(Tree params, int step) {
      int[] idx = batchIndices(step);
      return problem.logits(params, problem.train.images(idx)).softmaxCrossEntropy(problem.train.labels(idx)).mean();
    }

    /** "test_loss" and "test_accuracy" over the whole test split, see {@link #evaluate(Tree, int)}. */
    @Override
    public Map<String, Double> evaluate(Tree params) {
      return evaluate(params, Integer.MAX_VALUE);
    }

    /**
     * "test_loss" and "test_accuracy" over the first {@code limit} test images, fed in chunks of
     * the minibatch size with batch norm on each chunk's statistics (as the original evaluates).
     */
    public Map<String, Double> evaluate(Tree params, int limit) {
      Tree p = params.detach();
      return Layers.classify(problem.test, limit, Math.max(problem.batch, 2), x -> problem.logits(p, x));
    }
  }
}
