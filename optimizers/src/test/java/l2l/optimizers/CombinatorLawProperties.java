package l2l.optimizers;

import static l2l.optimizers.Transforms.chain;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vavr.collection.LinkedHashMap;
import io.vavr.collection.List;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import l2l.autodiff.Tensor;
import l2l.autodiff.TensorArbitraries;
import l2l.autodiff.Tree;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Laws of the combinators, as properties over random parameter trees, gradients and rules. */
class CombinatorLawProperties {
  private static final int STEPS = 4;

  /** Named optimizers and building blocks with state, to quantify over. */
  static List<Optimizer> rules() {
    return List.of(Optimizers.sgd(0.1), Optimizers.momentum(0.1, 0.9), Optimizers.nag(0.05), Optimizers.rmsprop(0.01),
        Optimizers.rmsprop(0.01, 0.9, 1e-6, 0.5, true), Optimizers.adam(0.01), Optimizers.adamw(0.01),
        Optimizers.adagrad(0.1), Optimizers.rprop(0.01), Transforms.scaleByAdam(), Transforms.trace(0.5, true),
        Transforms.clipByGlobalNorm(0.5), Transforms.clip(0.3), Transforms.scaleBySign(),
        Transforms.addDecayedWeights(0.1), Transforms.scaleBySchedule(Schedules.cosineDecay(-0.1, 3)),
        Transforms.lookahead(Optimizers.sgd(0.1), 2, 0.5), Transforms.multiSteps(Optimizers.adam(0.1), 2),
        Transforms.applyIfFinite(Optimizers.adam(0.1)),
        Transforms.hypergradient(Optimizers.adam(0.1), 0.2),
        Transforms.injectHyperparams(h -> Optimizers.adam(h.get("lr")),
            LinkedHashMap.of("lr", Schedules.exponentialDecay(0.1, 2, 0.5))));
  }

  @Provide
  Arbitrary<Optimizer> rule() {
    return Arbitraries.of(rules().asJava());
  }

  @Provide
  Arbitrary<Tree> params() {
    return TensorArbitraries.trees();
  }

  /** The updates of a few steps of each rule on the same gradients, equal bit for bit. */
  private static void assertSameUpdates(Optimizer a, Optimizer b, Tree theta, long seed) {
    BiFunction<Tree, Integer, Tree> grads = Runs.randomGrads(seed);
    Runs.Trajectory ra = Runs.run(a, theta, grads, STEPS), rb = Runs.run(b, theta, grads, STEPS);
    for (int t = 0; t < STEPS; t++) {
      assertTrue(Runs.identical(ra.updates().get(t), rb.updates().get(t)),
          a + " and " + b + " differ at step " + (t + 1));
    }
  }

  @Property(tries = 60)
  void chainWithIdentityFirstOrLastIsTheRule(@ForAll("rule") Optimizer t, @ForAll("params") Tree theta,
      @ForAll long seed) {
    assertSameUpdates(chain(Transforms.identity(), t), t, theta, seed);
    assertSameUpdates(chain(t, Transforms.identity()), t, theta, seed);
  }

  @Property(tries = 60)
  void chainIsAssociative(@ForAll("rule") Optimizer a, @ForAll("rule") Optimizer b, @ForAll("rule") Optimizer c,
      @ForAll("params") Tree theta, @ForAll long seed) {
    assertSameUpdates(chain(chain(a, b), c), chain(a, chain(b, c)), theta, seed);
    assertSameUpdates(chain(a, b, c), chain(a, chain(b, c)), theta, seed);
  }

  @Property(tries = 60)
  void scaleByOneIsTheIdentity(@ForAll("params") Tree theta, @ForAll long seed) {
    assertSameUpdates(Transforms.scale(1), Transforms.identity(), theta, seed);
  }

  @Property(tries = 60)
  void partitionWithOneGroupIsTheInnerRule(@ForAll("rule") Optimizer t, @ForAll("params") Tree theta,
      @ForAll long seed) {
    Optimizer p = Transforms.partition(path -> "all", LinkedHashMap.of("all", t));
    assertSameUpdates(p, t, theta, seed);
    assertTrue(p.init(theta).get("all").sameStructure(t.init(theta)));
  }

  @Property(tries = 60)
  void partitionGivesEachGroupItsOwnRuleOnItsOwnLeaves(@ForAll("rule") Optimizer a, @ForAll("rule") Optimizer b,
      @ForAll("params") Tree theta, @ForAll long seed) {
    // group "first" holds the first top-level entry; each rule sees only its group's part of the tree
    String first = theta.names().head();
    Optimizer p = Transforms.partition(path -> path.split("/")[0].equals(first) ? "first" : "rest",
        LinkedHashMap.of("first", a, "rest", b));
    BiFunction<Tree, Integer, Tree> grads = Runs.randomGrads(seed);
    Runs.Trajectory whole = Runs.run(p, theta, grads, STEPS);
    Tree firstPart = Tree.empty().with(first, theta.get(first));
    Runs.Trajectory alone = Runs.run(a, firstPart,
        (th, t) -> Tree.empty().with(first, grads.apply(theta, t).get(first)), STEPS);
    for (int t = 0; t < STEPS; t++) {
      assertTrue(Runs.identical(whole.updates().get(t).get(first), alone.updates().get(t).get(first)));
    }
  }

  @Property(tries = 60)
  void averagedMovesThetaAsTheRuleAndItsStateHoldsTheMovingAverageOfTheTrajectory(@ForAll("rule") Optimizer t,
      @ForAll("params") Tree theta, @ForAll long seed, @ForAll @DoubleRange(min = 0, max = 0.99) double decay) {
    Optimizer avg = Transforms.averaged(t, decay);
    assertSameUpdates(avg, t, theta, seed);
    Runs.Trajectory r = Runs.run(Transforms.applyIfFinite(avg), theta, Runs.randomGrads(seed), STEPS);
    Tree expected = theta;
    for (int k = 1; k <= STEPS; k++) {
      Tree x = r.params().get(k);
      expected = expected.zip(x, (a, b) -> a.mul(decay).add(b.mul(1 - decay)));
    }
    assertTrue(Runs.identical(expected, Transforms.averageOf(r.states().last()).get()), "the average after " + STEPS
        + " steps of " + avg);
    assertTrue(Transforms.averageOf(t.init(theta)).isEmpty() || t.toString().contains("averaged"));
  }

  /** Gradients with NaN or ±∞ at random places on some steps. */
  private static BiFunction<Tree, Integer, Tree> poisonedGrads(long seed) {
    BiFunction<Tree, Integer, Tree> clean = Runs.randomGrads(seed);
    return (theta, t) -> {
      SplittableRandom r = new SplittableRandom(seed + 31L * t);
      if (r.nextInt(3) != 0) return clean.apply(theta, t);
      double bad = new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}[r.nextInt(3)];
      return clean.apply(theta, t).map(x -> {
        double[] d = x.toArray();
        d[r.nextInt(d.length)] = bad;
        return Tensor.fromRowMajor(x.rows(), x.cols(), d);
      });
    };
  }

  @Property(tries = 80)
  void applyIfFiniteNeverLetsNaNOrInfIntoParamsAndKeepsTheStateOnSkippedSteps(@ForAll("rule") Optimizer inner,
      @ForAll("params") Tree theta, @ForAll long seed) {
    Optimizer safe = Transforms.applyIfFinite(inner);
    BiFunction<Tree, Integer, Tree> grads = poisonedGrads(seed);
    Tree th = theta, state = safe.init(theta);
    int skipped = 0;
    for (int t = 0; t < 8; t++) {
      Tree g = grads.apply(th, t);
      Optimizer.Update u = safe.update(g, state, th);
      Optimizer.Update plain = inner.update(g, state.get("inner"), th);
      boolean bad = !plain.updates().allFinite() || !plain.state().allFinite();
      boolean skippedNow = u.state().tensor("totalNotFinite").item() > state.tensor("totalNotFinite").item();
      assertEquals(bad, skippedNow, "step " + (t + 1) + " skipped exactly when the inner rule's step is not finite");
      Tree next = Optimizer.apply(th, u.updates());
      assertTrue(next.allFinite(), "a non-finite value reached θ at step " + (t + 1));
      if (skippedNow) {
        skipped++;
        assertTrue(Runs.identical(u.state().get("inner"), state.get("inner")), "the state changed on a skipped step");
        assertTrue(Runs.identical(next, th), "θ moved on a skipped step");
      } else {
        assertTrue(Runs.identical(u.updates(), plain.updates()));
      }
      th = next;
      state = u.state();
    }
    assertEquals(skipped, (int) state.tensor("totalNotFinite").item());
  }

  /** Every part of the state is either a step counter or hyperparameter (1×1) or has θ's structure. */
  private static void assertPerParameterOrScalar(Tree state, Tree theta, String path) {
    if (state.sameStructure(theta)) return;
    if (state.isLeaf()) {
      assertTrue(state.tensor().isScalar(), "state entry '" + path + "' is " + state.tensor().shape()
          + ", neither 1×1 nor of θ's structure " + theta);
      return;
    }
    for (var e : state.entries()) assertPerParameterOrScalar(e._2, theta, path + "/" + e._1);
  }

  @Property(tries = 60)
  void stateAfterInitHasTheShapesOfParams(@ForAll("rule") Optimizer t, @ForAll("params") Tree theta) {
    Tree state = t.init(theta);
    assertPerParameterOrScalar(state, theta, "");
    assertTrue(state.allFinite());
    // and keeps them after steps
    Runs.Trajectory r = Runs.run(t, theta, Runs.randomGrads(1), 2);
    assertTrue(r.states().last().sameStructure(state));
  }

  @Property(tries = 60)
  void multiStepsWithConstantGradientsEqualsTheInnerRuleEveryKSteps(@ForAll("rule") Optimizer inner,
      @ForAll("params") Tree theta, @ForAll @IntRange(min = 1, max = 4) int k, @ForAll long seed) {
    Tree g = Runs.randomGrads(seed).apply(theta, 0);
    int rounds = 3;
    Runs.Trajectory multi = Runs.run(Transforms.multiSteps(inner, k), theta, (th, t) -> g, rounds * k);
    Runs.Trajectory plain = Runs.run(inner, theta, (th, t) -> g, rounds);
    for (int n = 1; n <= rounds; n++) {
      double err = Runs.error(multi.params().get(n * k), plain.params().get(n));
      assertTrue(err < 1e-12, "after " + n + " rounds of " + k + " steps: " + err);
      for (int j = 1; j < k; j++) {
        assertTrue(Runs.identical(multi.params().get((n - 1) * k + j), multi.params().get((n - 1) * k)),
            "θ moved between accumulation steps");
      }
    }
  }

  @Property(tries = 40)
  void maskedWithAllLeavesIsTheRuleAndWithNoneIsTheIdentity(@ForAll("rule") Optimizer t, @ForAll("params") Tree theta,
      @ForAll long seed) {
    assertSameUpdates(Transforms.masked(p -> true, t), t, theta, seed);
    assertSameUpdates(Transforms.masked(p -> false, t), Transforms.identity(), theta, seed);
  }

  @Property(tries = 40)
  void updatesAreDifferentiableInTheGradientsAndTheParams(@ForAll("rule") Optimizer t, @ForAll("params") Tree theta,
      @ForAll long seed) {
    // two steps: the first from gradients g (differentiated), the second from fixed gradients; then Σ w ⊙ θ₂
    Tree g2 = Runs.randomGrads(seed).apply(theta, 1);
    Tree w = Runs.randomGrads(seed).apply(theta, 2);
    java.util.function.BiFunction<Tree, Tree, Tensor> run = (th0, g1) -> {
      Optimizer.Update u1 = t.update(g1, t.init(th0), th0);
      Tree th1 = Optimizer.apply(th0, u1.updates());
      Optimizer.Update u2 = t.update(g2, u1.state(), th1);
      return Optimizer.apply(th1, u2.updates()).dot(w);
    };
    Tree g1 = Runs.randomGrads(seed).apply(theta, 0);
    java.util.function.Function<Tree, Tensor> ofGrads = g -> run.apply(theta, g);
    java.util.function.Function<Tree, Tensor> ofParams = th -> run.apply(th, g1);
    double eg = l2l.autodiff.GradCheck.errorBeyondResolution(l2l.autodiff.Autodiff.gradTree(ofGrads).apply(g1),
        ofGrads, g1, 1e-6, 1e-6);
    double ep = l2l.autodiff.GradCheck.errorBeyondResolution(l2l.autodiff.Autodiff.gradTree(ofParams).apply(theta),
        ofParams, theta, 1e-6, 1e-6);
    assertTrue(eg <= 0, t + ": derivative in the gradients off by " + eg + " beyond finite differences' resolution");
    assertTrue(ep <= 0, t + ": derivative in the parameters off by " + ep + " beyond finite differences' resolution");
  }
}
