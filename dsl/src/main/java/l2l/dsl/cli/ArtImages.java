package l2l.dsl.cli;

import io.vavr.collection.List;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import l2l.autodiff.Tensor;
import l2l.dsl.Minimize;
import l2l.dsl.io.AtomicFiles;
import l2l.problems.NeuralArt;
import l2l.problems.Problem;
import l2l.problems.Problems;
import l2l.problems.data.Images;

/** The images of a neural-art comparison: one test task's image under every optimizer at chosen steps. */
final class ArtImages {
  private ArtImages() {}

  /** The neural-art problem behind a (specified) problem, or null if it is none. */
  static NeuralArt of(Problem p) {
    Problem inner = p instanceof Problems.Specified s ? s.problem() : p;
    return inner instanceof NeuralArt a ? a : null;
  }

  /**
   * Writes content.png, style.png and, for every optimizer, NAME-SETTING-stepT.png of the image
   * after each of {@code steps} steps on the task of {@code seed}, atomically, into {@code folder}.
   */
  static void write(NeuralArt art, long seed, List<Evaluator.Entry> optimizers, List<Integer> steps, Path folder) {
    NeuralArt.Instance task = art.sample(seed);
    png(art, task.content(), folder.resolve("content.png"));
    png(art, art.styleImage(), folder.resolve("style.png"));
    int last = steps.max().get();
    for (Evaluator.Entry e : optimizers) {
      String name = (e.name() + "-" + e.setting()).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.=-]+", "-");
      Iterator<Minimize.State<io.vavr.Tuple0>> states = Minimize.minimize(task, e.on(task)).take(last + 1).iterator();
      while (states.hasNext()) {
        Minimize.State<io.vavr.Tuple0> s = states.next();
        if (steps.contains(s.step())) png(art, s.params().tensor("image"), folder.resolve(name + "-step" + s.step() + ".png"));
      }
    }
  }

  private static void png(NeuralArt art, Tensor image, Path file) {
    AtomicFiles.write(file, temp -> Images.writePng(image.toArray(), art.channels(), art.size(), art.size(), temp));
  }
}
