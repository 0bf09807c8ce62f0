package l2l.problems;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vavr.collection.List;
import java.util.SplittableRandom;
import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;
import l2l.problems.data.ImageDataset;
import org.junit.jupiter.api.Test;

/** The MLP problem on small synthetic images: loss against loops, gradients, determinism, descent. */
class MlpTest {
  static final ImageDataset TRAIN = TestData.images("train", 60, 1, 4, 4, 3, 1);
  static final ImageDataset TEST = TestData.images("test", 30, 1, 4, 4, 3, 2);

  /** Softmax cross-entropy of one image's logits, as loops. */
  static double crossEntropy(double[] logits, int label) {
    double max = Double.NEGATIVE_INFINITY, sum = 0;
    for (double v : logits) max = Math.max(max, v);
    for (double v : logits) sum += Math.exp(v - max);
    return max + Math.log(sum) - logits[label];
  }

  /** The MLP's forward pass for one image, as loops over the parameter entries. */
  static double[] forward(Mlp p, Tree params, double[] image) {
    double[] h = image;
    int layers = p.hidden().size();
    for (int l = 0; l <= layers; l++) {
      Tensor w = params.tensor("layer" + l + "/w"), b = params.tensor("layer" + l + "/b");
      double[] z = new double[w.cols()];
      for (int j = 0; j < z.length; j++) {
        z[j] = b.get(0, j);
        for (int i = 0; i < h.length; i++) z[j] += h[i] * w.get(i, j);
        if (l < layers) z[j] = p.activation().apply(z[j]);
      }
      h = z;
    }
    return h;
  }

  static double loopLoss(Mlp p, Tree params, int[] idx) {
    double total = 0;
    for (int i : idx) {
      double[] image = new double[p.train().features()];
      p.train().image(i, image, 0);
      total += crossEntropy(forward(p, params, image), p.train().label(i));
    }
    return total / idx.length;
  }

  private static Tree randomParams(Tree like, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    return like.map(t -> Tensor.uniform(t.rows(), t.cols(), -1, 1, r));
  }

  @Test
  void lossEqualsTheMeanCrossEntropyOfTheStepsMinibatchComputedWithLoops() {
    for (Activation a : Activation.values()) {
      Mlp p = Mlp.of(TRAIN, TEST).withHidden(5, 4).withActivation(a).withBatch(9);
      Mlp.Instance task = p.sample(11);
      Tree params = randomParams(task.init(), 3);
      for (int step : new int[] {0, 1, 17}) {
        assertEquals(loopLoss(p, params, task.batchIndices(step)), task.loss(params, step).item(), 1e-12, a::label);
      }
    }
  }

  @Test
  void parametersAreNamedByLayerAndStartFromTheOriginalsInitialiser() {
    Mlp p = Mlp.of(TRAIN, TEST);
    Mlp.Instance task = p.sample(0);
    assertEquals(List.of("layer0/w", "layer0/b", "layer1/w", "layer1/b"), task.init().paths());
    assertEquals("16×20", task.init().tensor("layer0/w").shape());
    assertEquals("20×3", task.init().tensor("layer1/w").shape());
    double std = Math.sqrt(task.init().sumSquares().item() / task.init().size());
    assertEquals(0.01, std, 0.002);
    assertEquals("mlp(data=train, hidden=20, activation=sigmoid, batch=128, init-std=0.01)", p.name());
    assertEquals(List.of("layer0/w", "layer0/b"), p.withHidden().sample(0).init().paths());
  }

  @Test
  void gradientMatchesCentralDifferences() {
    for (Activation a : new Activation[] {Activation.SIGMOID, Activation.TANH}) {
      Mlp.Instance task = Mlp.of(TRAIN, TEST).withHidden(3, 2).withActivation(a).withBatch(5).sample(4);
      TestData.assertGradientMatches(t -> task.loss(t, 2), randomParams(task.init(), 8), 1e-7);
    }
    // ReLU: at random parameters no pre-activation is within the step of its kink
    Mlp.Instance relu = Mlp.of(TRAIN, TEST).withHidden(3).withActivation(Activation.RELU).withBatch(5).sample(4);
    TestData.assertGradientMatches(t -> relu.loss(t, 2), randomParams(relu.init(), 8), 1e-6);
    Mlp.Instance sigmoid = Mlp.of(TRAIN, TEST).withHidden(3).withBatch(5).sample(4);
    TestData.assertHessianVectorProductMatches(t -> sigmoid.loss(t, 2), randomParams(sigmoid.init(), 8), 1e-5);
  }

  @Test
  void seedFixesTheStartAndEveryMinibatchAndStepsDiffer() {
    Mlp p = Mlp.of(TRAIN, TEST).withBatch(16);
    Mlp.Instance a = p.sample(5), b = p.sample(5), c = p.sample(6);
    assertTrue(a.init().flatten().allClose(b.init().flatten(), 0, 0));
    assertFalse(a.init().flatten().allClose(c.init().flatten(), 0, 0));
    assertArrayEquals(a.batchIndices(7), b.batchIndices(7));
    assertFalse(java.util.Arrays.equals(a.batchIndices(7), a.batchIndices(8)));
    assertFalse(java.util.Arrays.equals(a.batchIndices(7), c.batchIndices(7)));
    // a step's minibatch does not depend on which steps were asked before
    b.batchIndices(3);
    assertArrayEquals(a.batchIndices(9), b.batchIndices(9));
    assertEquals(a.loss(a.init(), 7).item(), b.loss(b.init(), 7).item());
  }

  @Test
  void evaluateReportsTheTestSplitsLossAndAccuracy() {
    Mlp p = Mlp.of(TRAIN, TEST).withHidden(4);
    Mlp.Instance task = p.sample(1);
    Tree params = randomParams(task.init(), 2);
    double loss = 0, correct = 0;
    for (int i = 0; i < TEST.count(); i++) {
      double[] image = new double[TEST.features()];
      TEST.image(i, image, 0);
      double[] z = forward(p, params, image);
      loss += crossEntropy(z, TEST.label(i)) / TEST.count();
      int best = 0;
      for (int j = 1; j < z.length; j++) if (z[j] > z[best]) best = j;
      if (best == TEST.label(i)) correct += 1.0 / TEST.count();
    }
    var m = task.evaluate(params);
    assertEquals(loss, m.get("test_loss").get(), 1e-12);
    assertEquals(correct, m.get("test_accuracy").get(), 1e-12);
  }

  @Test
  void gradientDescentDrivesTheTestLossDownAndLearnsTheClasses() {
    Mlp.Instance task = Mlp.of(TRAIN, TEST).withHidden(8).withBatch(16).withInitStd(0.1).sample(2);
    double before = task.evaluate(task.init()).get("test_loss").get();
    var after = task.evaluate(TestData.descend(task, 1.0, 300));
    assertTrue(after.get("test_loss").get() < 0.5 * before, () -> before + " → " + after);
    assertTrue(after.get("test_accuracy").get() > 0.9, after::toString);
  }
}
