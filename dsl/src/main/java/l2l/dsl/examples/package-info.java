/**
 * Runnable examples that read like the paper, each a {@code main} of a few lines over the
 * {@code l2l.dsl} API. Default sizes finish in a few minutes on 2 cores; launch the JVM with
 * {@code OMP_NUM_THREADS=1} (OpenBLAS's threads otherwise fight the row-parallel workers) and
 * {@code --add-modules jdk.incubator.vector}.
 *
 * <ul>
 *   <li>{@link l2l.dsl.examples.QuadraticExperiment}: §3.1 — train the LSTM on quadratics, tune
 *       the baselines on tuning tasks, compare on test tasks, print the table:
 *       <pre>{@code
 * Trained lstm = L2l.learn(CoordinatewiseLstm.of(LstmConfig.quadratic()))
 *     .on(quadratics).horizon(100).unroll(20).metaGradient(FIRST_ORDER)
 *     .metaOptimizer(Optimizers.adam(1e-3)).epochs(300).seed(1).train();
 * List<Comparison.Entry> optimizers = Comparison.tunedBaselines(quadratics, 100,
 *     Comparison.tuningSeeds(1, 10), Tuning.halfDecades(1e-4, 10))
 *     .prepend(Comparison.Entry.of("LSTM", lstm.optimizer()));
 * System.out.println(Comparison.table(optimizers,
 *     Comparison.run(quadratics, 100, Comparison.testSeeds(1, 100), optimizers), 20, 50));
 * }</pre>
 *   <li>{@link l2l.dsl.examples.MnistExperiment}: §3.2, the same on the MNIST MLP with the
 *       log-and-sign LSTM ({@code LstmConfig.mnist()}).
 *   <li>{@link l2l.dsl.examples.SelfApplicationExample}: the same expression with another
 *       meta-optimizer — the trained g ({@code .metaOptimizer(SelfApplication.scaled(g, φ, 0.1))}),
 *       g at its current φ ({@code SelfApplication.selfReferential(g, 0.1)}), and the fixed-point
 *       iteration {@code SelfApplication.fixedPoint}.
 *   <li>{@link l2l.dsl.examples.HypergradientExample}: Adam's learning rate and β₁ tuned by
 *       gradient descent through training runs ({@code Hypergradients.tune}).
 *   <li>{@link l2l.dsl.examples.DropInExample}: a trained optimizer loaded from its file fits a
 *       network written in the example ({@code DropIn.minimize(loss, θ₀, optimizer, steps)}).
 * </ul>
 */
package l2l.dsl.examples;
