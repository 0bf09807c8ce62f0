package l2l.dsl.examples;

import io.vavr.collection.List;
import l2l.dsl.Comparison;
import l2l.dsl.Hypergradients;
import l2l.dsl.Tuning;
import l2l.optimizers.Optimizers;
import l2l.problems.Quadratic;

/**
 * Hypergradients: Adam's learning rate and β₁ tuned by gradient descent through 20-step training
 * runs on quadratics (the gradient of the run's mean loss with respect to log lr and logit β₁
 * comes from reverse mode through the run), then compared on held-out quadratics with the start
 * and with a grid search. Argument: tuning steps (default 60).
 */
public final class HypergradientExample {
  private HypergradientExample() {}

  /** Tunes, prints the trajectory and compares. */
  public static void main(String[] args) {
    Quadratic quadratics = Quadratic.defaults();
    Hypergradients.Result tuned = Hypergradients.tune(Hypergradients.adam(1e-3, 0.9), quadratics, 20,
        Optimizers.adam(0.2), Console.arg(args, 0, 60), 1);
    tuned.trajectory().filter(p -> p.step() % 5 == 0).forEach(p -> System.out.println(p.describe()));

    Tuning.Result grid = Tuning.learningRate("Adam", Optimizers::adam, Tuning.halfDecades(1e-4, 10), quadratics, 20,
        Comparison.tuningSeeds(1, 10));
    List<Comparison.Entry> optimizers = List.of(new Comparison.Entry("Adam, start", Optimizers.adam(1e-3), 1e-3),
        new Comparison.Entry("Adam, hypergradient", tuned.optimizer(), tuned.lr()),
        new Comparison.Entry("Adam, grid", Optimizers.adam(grid.bestLr()), grid.bestLr()));
    System.out.println(Comparison.table(optimizers,
        Comparison.run(quadratics, 20, Comparison.testSeeds(1, 50), optimizers), 5, 10));
  }
}
