package l2l.dsl.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Function;
import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;
import l2l.dsl.DropIn;
import l2l.dsl.L2l;
import l2l.dsl.Trained;
import l2l.dsl.io.OptimizerFile;
import l2l.dsl.io.Version;
import l2l.optimizers.Optimizer;
import l2l.optimizers.Optimizers;
import l2l.optimizers.learned.CoordinatewiseLstm;
import l2l.optimizers.learned.LstmConfig;
import l2l.optimizers.learned.Preprocess;
import l2l.problems.Quadratic;

/**
 * Drop-in use: a trained optimizer, loaded from its file, fits a model l2l has never seen — a
 * 10-16-1 tanh network with a logistic loss on two Gaussian blobs, written here as a plain
 * {@code Function<Tree, Tensor>}. Argument: an optimizer file (e.g. written by {@code l2l train});
 * without one, the example meta-trains an LSTM on quadratics for a few seconds and saves it first.
 */
public final class DropInExample {
  private DropInExample() {}

  /** Loads (or trains and saves) an optimizer and fits the network with it and with Adam. */
  public static void main(String[] args) throws Exception {
    Path file = args.length > 0 ? Path.of(args[0]) : trainAndSave(Files.createTempFile("l2l-dropin", ".json"));
    Optimizer learned = OptimizerFile.load(file).optimizer();

    SplittableRandom r = new SplittableRandom(7);
    Tensor x = Tensor.normal(200, 10, 0, 1, r);
    Tensor y = x.sliceCols(0, 3).rowSums().gt(0);                      // labels 0/1
    Function<Tree, Tensor> loss = theta -> {
      Tensor z = x.matmul(theta.tensor("w1")).add(theta.tensor("b1")).tanh()
          .matmul(theta.tensor("w2")).add(theta.tensor("b2"));
      return z.softplus().sub(y.mul(z)).mean();                        // logistic loss
    };
    Tree theta0 = Tree.of("w1", Tensor.normal(10, 16, 0, 0.1, r), "b1", Tensor.zeros(1, 16))
        .with("w2", Tensor.normal(16, 1, 0, 0.1, r)).with("b2", Tensor.zeros(1, 1));

    DropIn.Run withLearned = DropIn.minimize(loss, theta0, learned, 200);
    DropIn.Run adam01 = DropIn.minimize(loss, theta0, Optimizers.adam(0.01), 200);
    DropIn.Run adam1 = DropIn.minimize(loss, theta0, Optimizers.adam(0.1), 200);
    System.out.println("step   learned optimizer   adam(0.01)   adam(0.1)");
    for (int t = 0; t <= 200; t += 25) {
      System.out.printf(Locale.ROOT, "%4d   %-19.5f %-12.5f %.5f%n", t, withLearned.losses()[t], adam01.losses()[t],
          adam1.losses()[t]);
    }
  }

  /** Meta-trains a small log-and-sign LSTM on quadratics (a few seconds) and saves it as an optimizer file. */
  static Path trainAndSave(Path file) {
    LstmConfig config = LstmConfig.quadratic().withHidden(10, 10).withPreprocess(Preprocess.logAndSign(5))
        .withScale(0.03);
    Quadratic quadratics = new Quadratic(16, 10, 0.01, Quadratic.Distribution.UNIFORM);
    Trained t = L2l.learn(CoordinatewiseLstm.of(config)).on(quadratics).horizon(50).unroll(10)
        .metaOptimizer(Optimizers.adam(0.01)).epochs(100).evaluateEvery(20).evaluationTasks(10).seed(1).train();
    new OptimizerFile(config, t.best(), new OptimizerFile.Training("quadratic:batch=16,dim=10", quadratics.name(), 50,
        10, "first-order", "adam(lr=0.01)", t.epochs(), 1, t.bestEpoch(), t.bestEvaluation(), 10,
        OptimizerFile.Training.now(), Version.l2l())).save(file);
    System.out.println("trained an optimizer on " + quadratics.name() + " and saved it to " + file);
    return file;
  }
}
