package l2l.dsl.examples;

import static l2l.optimizers.learned.MetaGradient.FIRST_ORDER;

import io.vavr.collection.List;
import l2l.dsl.Comparison;
import l2l.dsl.L2l;
import l2l.dsl.Trained;
import l2l.dsl.Tuning;
import l2l.optimizers.Optimizers;
import l2l.optimizers.learned.CoordinatewiseLstm;
import l2l.optimizers.learned.LstmConfig;
import l2l.problems.Mlp;

/**
 * The paper's §3.2: an LSTM optimizer (log-and-sign inputs, output scale 0.01) meta-trained on a
 * 784-20-10 sigmoid MLP on MNIST, compared on held-out initialisations with tuned SGD, NAG,
 * RMSprop and Adam. MNIST is fetched into the cache on first use. Arguments: epochs (default 40;
 * the paper used 10,000) and test runs (default 20).
 */
public final class MnistExperiment {
  private MnistExperiment() {}

  /** Trains, tunes, compares and prints the table. */
  public static void main(String[] args) {
    Mlp mnist = Mlp.mnist();
    Trained lstm = Console.train(L2l.learn(CoordinatewiseLstm.of(LstmConfig.mnist()))
        .on(mnist).horizon(100).unroll(20).metaGradient(FIRST_ORDER)
        .metaOptimizer(Optimizers.adam(1e-3)).epochs(Console.arg(args, 0, 40)).evaluateEvery(10).evaluationTasks(5)
        .seed(1), 5);

    List<Comparison.Entry> optimizers = Comparison.tunedBaselines(mnist, 100, Comparison.tuningSeeds(1, 3),
        Tuning.halfDecades(1e-3, 10)).prepend(Comparison.Entry.of("LSTM", lstm.optimizer()));
    System.out.println(Comparison.table(optimizers,
        Comparison.run(mnist, 100, Comparison.testSeeds(1, Console.arg(args, 1, 20)), optimizers), 20, 50));
  }
}
