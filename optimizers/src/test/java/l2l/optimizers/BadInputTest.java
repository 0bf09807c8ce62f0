package l2l.optimizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vavr.collection.LinkedHashMap;
import io.vavr.collection.List;
import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad input is refused with a message that says what is wrong and where. */
class BadInputTest {
  private static final Tree THETA = Tree.empty().with("l1", Tree.of("w", Tensor.zeros(3, 4), "b", Tensor.zeros(1, 4)))
      .with("l2", Tree.of("w", Tensor.zeros(4, 1)));

  private static String message(Executable e) {
    return assertThrows(IllegalArgumentException.class, e).getMessage();
  }

  private static void assertMessage(String expected, Executable e) {
    assertEquals(expected, message(e));
  }

  @Test
  void gradientsOfAnotherShapeNameTheFirstDifferingEntry() {
    Optimizer adam = Optimizers.adam(0.1);
    Tree state = adam.init(THETA);
    Tree wrongShape = THETA.with("l1", THETA.get("l1").with("b", Tensor.zeros(1, 5)));
    assertMessage("adam: the gradients do not fit the parameters: 'l1/b' is 1×4 in the parameters but 1×5 in the"
        + " gradients", () -> adam.update(wrongShape, state, THETA));
    Tree missing = THETA.with("l1", THETA.get("l1").without("b"));
    assertMessage("adam: the gradients do not fit the parameters: 'l1/b' is in the parameters but missing from the"
        + " gradients", () -> adam.update(missing, state, THETA));
    Tree extra = THETA.with("l3", Tensor.zeros(1, 1));
    assertMessage("scaleByAdam: the gradients do not fit the parameters: 'l3' is in the gradients but not in the"
        + " parameters", () -> Transforms.scaleByAdam().update(extra, state.get("0"), THETA));
    Tree leafForBranch = THETA.with("l2", Tensor.zeros(4, 1));
    assertMessage("sgd: the gradients do not fit the parameters: 'l2' is a branch in the parameters but a leaf (4×1)"
        + " in the gradients", () -> Checks.requireGradientsFit("sgd", THETA, leafForBranch));
  }

  @Test
  void everyRuleChecksTheGradientsUpFront() {
    Tree wrong = THETA.with("l2", Tree.of("w", Tensor.zeros(4, 2)));
    for (Optimizer o : CombinatorLawProperties.rules().append(Transforms.identity())
        .append(Transforms.masked(p -> true, Transforms.identity()))
        .append(Transforms.partition(p -> "a", LinkedHashMap.of("a", Transforms.identity())))) {
      String m = message(() -> o.update(wrong, o.init(THETA), THETA));
      assertTrue(m.contains("the gradients do not fit the parameters: 'l2/w' is 4×1 in the parameters but 4×2 in the"
          + " gradients"), o + ": " + m);
    }
  }

  @Test
  void aNegativeLearningRateIsRefusedWithTheValueAndTheRange() {
    assertMessage("adam: the learning rate lr = -0.1 is outside the allowed range [0, ∞)", () -> Optimizers.adam(-0.1));
    assertMessage("sgd: the learning rate lr = -1 is outside the allowed range [0, ∞)", () -> Optimizers.sgd(-1));
    assertMessage("rprop: the learning rate lr = NaN is outside the allowed range [0, ∞)",
        () -> Optimizers.rprop(Double.NaN));
    for (double lr : new double[] {-1e-3, Double.NaN, Double.POSITIVE_INFINITY}) {
      for (Executable e : List.<Executable>of(() -> Optimizers.momentum(lr), () -> Optimizers.nag(lr),
          () -> Optimizers.rmsprop(lr), () -> Optimizers.adamw(lr), () -> Optimizers.adagrad(lr),
          () -> Optimizers.rmsprop(lr, 0.9, 1e-8, 0.9, true))) {
        assertTrue(message(e).contains("is outside the allowed range [0, ∞)"));
      }
    }
  }

  @Test
  void aDecayOutsideZeroToOneIsRefusedWithTheValueAndTheRange() {
    assertMessage("scaleByAdam: b1 = 1 is outside the allowed range [0, 1)", () -> Optimizers.adam(0.1, 1, 0.999, 1e-8));
    assertMessage("scaleByAdam: b2 = -0.5 is outside the allowed range [0, 1)",
        () -> Optimizers.adam(0.1, 0.9, -0.5, 1e-8));
    assertMessage("momentum: the momentum beta = 1.5 is outside the allowed range [0, 1)",
        () -> Optimizers.momentum(0.1, 1.5));
    assertMessage("scaleByRms: decay = 1 is outside the allowed range [0, 1)", () -> Optimizers.rmsprop(0.1, 1, 1e-8));
    assertMessage("trace: decay = -0.1 is outside the allowed range [0, 1)", () -> Transforms.trace(-0.1, false));
    assertMessage("scaleByAdam: eps = -1e-8 is outside the allowed range [0, ∞)",
        () -> Optimizers.adam(0.1, 0.9, 0.999, -1e-8));
  }

  @Test
  void otherBadHyperparametersAreRefused() {
    assertMessage("scale: factor must be a 1×1 tensor, got 2×1", () -> Transforms.scale(Tensor.zeros(2, 1)));
    assertMessage("clipByGlobalNorm: maxNorm = -1 is outside the allowed range [0, ∞)",
        () -> Transforms.clipByGlobalNorm(-1));
    assertMessage("multiSteps: every = 0 is outside the allowed range [1, ∞)",
        () -> Transforms.multiSteps(Optimizers.sgd(1), 0));
    assertMessage("scaleByRprop: etaPlus = 0.9 is outside the allowed range (1, ∞)",
        () -> Optimizers.rprop(Tensor.scalar(0.1), 0.5, 0.9, 1e-6, 50));
    assertMessage("lookahead: alpha = 2 is outside the allowed range [0, 1]",
        () -> Transforms.lookahead(Optimizers.sgd(1), 5, 2));
    assertMessage("hypergradient: beta = -0.1 is outside the allowed range [0, ∞)",
        () -> Transforms.hypergradient(Optimizers.sgd(1), -0.1));
    assertMessage("hypergradient: beta = Infinity is outside the allowed range [0, ∞)",
        () -> Transforms.hypergradient(Optimizers.sgd(1), Double.POSITIVE_INFINITY));
    assertMessage("Schedules.cosineDecay: decaySteps = 0 is outside the allowed range [1, ∞)",
        () -> Schedules.cosineDecay(1, 0));
  }

  @Test
  void aLabelWithNoOptimizerIsAnErrorNamingIt() {
    Optimizer p = Transforms.partition(path -> path.startsWith("l1") ? "first" : "second",
        LinkedHashMap.of("first", Optimizers.sgd(1)));
    assertMessage("partition (init): the parameter 'l2/w' has the label 'second', which has no optimizer; labels with"
        + " one: first", () -> p.init(THETA));
  }

  @Test
  void aPathMissingFromAMapOfLabelsIsAnErrorNamingIt() {
    Optimizer p = Transforms.partition(LinkedHashMap.of("l1/w", "a", "l1/b", "a"), LinkedHashMap.of("a",
        Optimizers.sgd(1)));
    assertTrue(message(() -> p.init(THETA)).startsWith("partition (init): labelling the parameter 'l2/w' failed"));
  }

  @Test
  void aScheduledLearningRateThatTurnsNegativeIsRefusedAtThatStep() {
    Optimizer opt = Transforms.injectHyperparams(h -> Optimizers.sgd(h.get("lr")),
        LinkedHashMap.of("lr", Schedules.linear(0.1, -0.1, 2)));
    Runs.Trajectory ok = Runs.run(opt, THETA, Runs.randomGrads(1), 1);
    Tree state = ok.states().last();
    Optimizer.Update u = opt.update(THETA, state, THETA); // step 1: lr = 0
    assertMessage("sgd: the learning rate lr = -0.1 is outside the allowed range [0, ∞)",
        () -> opt.update(THETA, u.state(), THETA));
  }

  @Test
  void anUnknownHyperparameterNameIsAnErrorListingTheKnownOnes() {
    Optimizer opt = Transforms.injectHyperparams(h -> Optimizers.sgd(h.get("learningRate")),
        LinkedHashMap.of("lr", Schedules.constant(0.1)));
    assertMessage("injectHyperparams: no hyperparameter 'learningRate'; known: lr", () -> opt.init(THETA));
  }
}
