package l2l.problems;

import io.vavr.collection.LinkedHashMap;
import io.vavr.collection.List;
import io.vavr.collection.Map;
import java.util.Locale;
import java.util.SplittableRandom;
import l2l.autodiff.Conv;
import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;
import l2l.problems.data.Datasets;
import l2l.problems.data.ImageDataset;

/**
 * Neural art (the paper's §3.4): the optimizee is an image, and its loss compares the image's
 * texture with a style image's and its content with a content image's, as in Gatys et al. With
 * no pretrained network to be had here, features come from a shallow net of fixed random filters
 * (random-filter texture synthesis, Ustyuzhaninov et al. 2016) at several scales: at scale s the
 * image (centred by −0.5) is average-pooled 2×2 s times, convolved with {@code filters} random
 * k×k filters (zero-mean, unit-norm rows drawn from {@code filterSeed}; SAME padding) and
 * rectified. With Fₛ the F×P feature map at scale s and Gₛ = FₛFₛᵀ / P its Gram matrix,
 *
 * <pre>
 *   loss(x) = styleWeight · meanₛ ‖Gₛ(x) − Gₛ(style)‖² / ‖Gₛ(style)‖²
 *           + contentWeight · ‖F₀(x) − F₀(content)‖² / ‖F₀(content)‖²
 * </pre>
 *
 * Each task's content is a size×size crop, at a place and with a horizontal flip drawn from the
 * seed, of one of the content pictures (also drawn from the seed); x₀ is uniform grey 0.5 plus
 * N(0, initStd²) noise, or the content plus that noise. One variable "image": 1×(C·size·size),
 * CHW, values nominally in [0, 1].
 *
 * @param style the style image (one image, at least size×size; centre-cropped to size)
 * @param contents the pictures content crops are taken from (each at least size×size)
 * @param size side of the optimised image (64 in the paper)
 * @param scales number of scales (the image, then halved scales−1 times)
 * @param filters random filters per scale
 * @param kernelSize side of the random filters
 * @param styleWeight weight of the style term
 * @param contentWeight weight of the content term
 * @param init where x₀ starts
 * @param initStd standard deviation of the noise in x₀
 * @param filterSeed the seed of the random filters (part of the problem, not of the task)
 */
public record NeuralArt(ImageDataset style, ImageDataset contents, int size, int scales, int filters, int kernelSize,
    double styleWeight, double contentWeight, Init init, double initStd, long filterSeed) implements Problem {

  /** Where a task's image starts. */
  public enum Init {
    /** Grey 0.5 plus noise. */
    NOISE,
    /** The task's content crop plus noise. */
    CONTENT;

    /** "noise" or "content". */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Checks the settings. */
  public NeuralArt {
    if (style == null || contents == null || init == null) {
      throw new IllegalArgumentException("neural-art: style, contents and init must be given");
    }
    if (size < 1 || scales < 1 || filters < 1 || kernelSize < 1) {
      throw new IllegalArgumentException("neural-art: size, scales, filters and kernel must be at least 1");
    }
    if (style.count() != 1) throw new IllegalArgumentException("neural-art: the style must be one image, got " + style);
    if (style.height() < size || style.width() < size || contents.height() < size || contents.width() < size) {
      throw new IllegalArgumentException("neural-art: style " + style + " and contents " + contents
          + " must be at least " + size + "×" + size);
    }
    if (style.channels() != contents.channels()) {
      throw new IllegalArgumentException("neural-art: style and contents differ in channels");
    }
    if (!(styleWeight >= 0) || !(contentWeight >= 0) || !(initStd >= 0)) {
      throw new IllegalArgumentException("neural-art: weights and init-std must be ≥ 0");
    }
  }

  /** Defaults on the given images: 64×64, 3 scales of 32 random 5×5 filters, both weights 1, start from noise of std 0.1. */
  public static NeuralArt of(ImageDataset style, ImageDataset contents) {
    return of(style, contents, 64);
  }

  /** {@link #of(ImageDataset, ImageDataset)} with images of side {@code size}. */
  public static NeuralArt of(ImageDataset style, ImageDataset contents, int size) {
    return new NeuralArt(style, contents, size, 3, 32, 5, 1, 1, Init.NOISE, 0.1, 0);
  }

  /**
   * {@link #of} on pictures of the standard cache (see {@link Datasets#SKIMAGE_FILES}, named
   * without ".png"): the style loaded at size×size, each content picture at 1.5·size so that
   * tasks crop different parts of it.
   */
  public static NeuralArt pictures(String style, List<String> contents, int size) {
    ImageDataset s = Datasets.picture(style + ".png", size);
    ImageDataset c = stack(contents.map(name -> Datasets.picture(name + ".png", size * 3 / 2)));
    return of(s, c, size);
  }

  /** The default pictures: style "brick", contents astronaut, chelsea, coffee and camera, 64×64. */
  public static NeuralArt defaults() {
    return pictures("brick", List.of("astronaut", "chelsea", "coffee", "camera"), 64);
  }

  /** Images of one shape as one dataset, named after them. */
  public static ImageDataset stack(List<ImageDataset> images) {
    ImageDataset first = images.head();
    int n = images.map(ImageDataset::count).sum().intValue(), f = first.features();
    byte[] px = new byte[n * f];
    int at = 0;
    for (ImageDataset d : images) {
      if (d.features() != f || d.height() != first.height()) {
        throw new IllegalArgumentException("neural-art: " + d + " differs in shape from " + first);
      }
      for (int i = 0; i < d.count(); i++) System.arraycopy(d.rawImage(i), 0, px, (at++) * f, f);
    }
    return ImageDataset.of(images.map(ImageDataset::name).mkString("+"), first.height(), first.width(),
        first.channels(), 1, px, new int[n]);
  }

  /** E.g. "neural-art(style=brick, contents=astronaut+chelsea, size=64, …)". */
  @Override
  public String name() {
    return "neural-art(style=" + style.name() + ", contents=" + contents.name() + ", size=" + size + ", scales=" + scales
        + ", filters=" + filters + ", kernel=" + kernelSize + ", style-weight=" + styleWeight + ", content-weight="
        + contentWeight + ", init=" + init.label() + ", init-std=" + initStd + ", filter-seed=" + filterSeed + ")";
  }

  /** Channels per image. */
  public int channels() {
    return style.channels();
  }

  /** The random filters of each scale: F×(C·k·k), rows of zero mean and unit norm. */
  public List<Tensor> filterBank() {
    int k = channels() * kernelSize * kernelSize;
    return List.range(0, scales).map(s -> {
      SplittableRandom rng = Seeds.rng(filterSeed, Seeds.DATA, s);
      double[] d = new double[filters * k];
      for (int f = 0; f < filters; f++) {
        double mean = 0, norm = 0;
        for (int j = 0; j < k; j++) mean += (d[f * k + j] = Tensor.gaussian(rng)) / k;
        for (int j = 0; j < k; j++) norm += Math.pow(d[f * k + j] -= mean, 2);
        for (int j = 0; j < k; j++) d[f * k + j] /= Math.sqrt(norm);
      }
      return Tensor.fromRowMajor(filters, k, d);
    });
  }

  /** The rectified random features of an image (1×(C·size·size)) at each scale, 1×(F·Pₛ). */
  public List<Tensor> features(Tensor image, List<Tensor> bank) {
    Tensor x = image.sub(0.5);
    int side = size;
    List<Tensor> out = List.empty();
    for (int s = 0; s < scales; s++) {
      if (s > 0) {
        x = Conv.avgPool2x2(x, channels(), side, side);
        side = (side + 1) / 2;
      }
      out = out.append(Conv.conv2d(x, bank.get(s), channels(), side, side, kernelSize).relu());
    }
    return out;
  }

  /** The Gram matrix FFᵀ / P (F×F) of a 1×(F·P) feature map. */
  public Tensor gram(Tensor features) {
    int p = features.cols() / filters;
    Tensor a = features.reshape(filters, p);
    return Tensor.matmul(a, a, false, true).mul(1.0 / p);
  }

  /** The style image centre-cropped to size×size, 1×(C·size·size). */
  public Tensor styleImage() {
    return crop(style, 0, (style.height() - size) / 2, (style.width() - size) / 2, false);
  }

  /** A size×size crop at (top, left) of image i, optionally flipped left to right, 1×(C·size·size). */
  Tensor crop(ImageDataset d, int i, int top, int left, boolean flip) {
    int c = d.channels(), h = d.height(), w = d.width();
    double[] full = new double[d.features()];
    d.image(i, full, 0);
    double[] out = new double[c * size * size];
    for (int ch = 0; ch < c; ch++) {
      for (int y = 0; y < size; y++) {
        for (int x = 0; x < size; x++) {
          out[(ch * size + y) * size + x] = full[(ch * h + top + y) * w + left + (flip ? size - 1 - x : x)];
        }
      }
    }
    return Tensor.fromRowMajor(1, out.length, out);
  }

  /** The task of this seed: which content picture, where its crop is, whether flipped, and x₀'s noise. */
  @Override
  public Instance sample(long seed) {
    SplittableRandom data = Seeds.rng(seed, Seeds.DATA);
    int pick = data.nextInt(contents.count());
    int top = data.nextInt(contents.height() - size + 1), left = data.nextInt(contents.width() - size + 1);
    Tensor content = crop(contents, pick, top, left, data.nextBoolean());
    List<Tensor> bank = filterBank();
    List<Tensor> styleGrams = features(styleImage(), bank).map(this::gram);
    Tensor contentFeatures = features(content, bank).head();
    Tensor base = init == Init.CONTENT ? content : Tensor.filled(1, content.cols(), 0.5);
    Tensor x0 = base.add(Tensor.normal(1, content.cols(), 0, initStd, Seeds.rng(seed, Seeds.INIT)));
    return new Instance(this, content, bank, styleGrams, contentFeatures, Tree.of("image", x0));
  }

  /**
   * One task.
   *
   * @param problem the settings
   * @param content the content crop, 1×(C·size·size)
   * @param bank the random filters of each scale
   * @param styleGrams the style image's Gram matrix at each scale
   * @param contentFeatures the content's features at the finest scale
   * @param init θ₀ = {"image": x₀}
   */
  public record Instance(NeuralArt problem, Tensor content, List<Tensor> bank, List<Tensor> styleGrams,
      Tensor contentFeatures, Tree init) implements Task {

    /** The style and content terms (each before its weight) of an image. */
    public Tensor[] terms(Tensor image) {
      List<Tensor> feats = problem.features(image, bank);
      Tensor style = Tensor.scalar(0);
      for (int s = 0; s < problem.scales; s++) {
        Tensor target = styleGrams.get(s);
        style = style.add(problem.gram(feats.get(s)).sub(target).sumSquares().mul(1 / sumSquares(target)));
      }
      style = style.mul(1.0 / problem.scales);
      Tensor content = feats.head().sub(contentFeatures).sumSquares().mul(1 / sumSquares(contentFeatures));
      return new Tensor[] {style, content};
    }

    private static double sumSquares(Tensor t) {
      return Math.max(t.sumSquares().item(), 1e-300);
    }

    /** The weighted sum of the terms (the same at every step). */
    @Override
    public Tensor loss(Tree params, int step) {
      Tensor[] t = terms(params.tensor("image"));
      return t[0].mul(problem.styleWeight).add(t[1].mul(problem.contentWeight));
    }

    /** "style_loss" and "content_loss": the two terms before their weights. */
    @Override
    public Map<String, Double> evaluate(Tree params) {
      Tensor[] t = terms(params.tensor("image").detach());
      return LinkedHashMap.of("style_loss", t[0].item(), "content_loss", t[1].item());
    }
  }
}
