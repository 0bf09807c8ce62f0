package l2l.dsl.examples;

import io.vavr.collection.List;
import l2l.dsl.Comparison;
import l2l.dsl.L2l;
import l2l.dsl.SelfApplication;
import l2l.dsl.Trained;
import l2l.dsl.Tuning;
import l2l.optimizers.Optimizers;
import l2l.optimizers.learned.CoordinatewiseLstm;
import l2l.optimizers.learned.LstmConfig;
import l2l.optimizers.learned.Preprocess;
import l2l.problems.Quadratic;

/**
 * Self-application: the learned optimizer g trained by Adam (g = g(d, Adam)); g trained by that
 * trained g (g' = g(d, g)); g trained by itself at its current parameters (φ ← φ + g(φ)(∇φ)); and
 * the fixed-point iteration gₖ₊₁ = g(d, gₖ). The LSTM sees log-and-sign gradients so that the
 * different scale of φ's gradients does not matter, and its updates of φ are scaled by 0.1.
 * Arguments: epochs per training (default 200), fixed-point iterations (default 5) and test tasks
 * (default 50).
 */
public final class SelfApplicationExample {
  private SelfApplicationExample() {}

  /** Trains the four ways and prints the fixed-point iterations and a comparison. */
  public static void main(String[] args) {
    CoordinatewiseLstm g = CoordinatewiseLstm.of(LstmConfig.quadratic().withHidden(10, 10)
        .withPreprocess(Preprocess.logAndSign(5)).withScale(0.1));
    Quadratic quadratics = new Quadratic(16, 10, 0.01, Quadratic.Distribution.UNIFORM);
    L2l learn = L2l.learn(g).on(quadratics).horizon(50).unroll(10).epochs(Console.arg(args, 0, 200))
        .evaluateEvery(50).evaluationTasks(10).seed(1);

    Trained byAdam = learn.metaOptimizer(Optimizers.adam(0.01)).train();
    Trained byG = learn.metaOptimizer(SelfApplication.scaled(g, byAdam.best(), 0.1)).train();
    Trained byItself = learn.metaOptimizer(SelfApplication.selfReferential(g, 0.1)).startingFrom(byAdam.best()).train();

    System.out.println("fixed point g_{k+1} = g(d, g_k):");
    SelfApplication.FixedPoint y = SelfApplication.fixedPoint(learn.task(), Optimizers.adam(0.01), learn.plan(),
        Console.arg(args, 1, 5), SelfApplication.Settings.defaults().withMetaScale(0.1), snapshot -> {},
        it -> System.out.println("  " + it.describe()));
    System.out.println(y.settled() ? "settled" : y.divergence().isDefined() ? "diverged" : "did not settle");

    Tuning.Result adam = Tuning.learningRate("Adam", Optimizers::adam, Tuning.halfDecades(1e-4, 10), quadratics, 50,
        Comparison.tuningSeeds(1, 10));
    List<Comparison.Entry> optimizers = List.of(Comparison.Entry.of("g by Adam", byAdam.optimizer()),
        Comparison.Entry.of("g by g", byG.optimizer()), Comparison.Entry.of("g by itself", byItself.optimizer()),
        Comparison.Entry.of("g fixed point", g.apply(y.lastGood().get().phi())),
        new Comparison.Entry("Adam", Optimizers.adam(adam.bestLr()), adam.bestLr()));
    System.out.println(Comparison.table(optimizers,
        Comparison.run(quadratics, 50, Comparison.testSeeds(1, Console.arg(args, 2, 50)), optimizers), 10, 25));
  }
}
