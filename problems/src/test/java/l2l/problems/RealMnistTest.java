package l2l.problems;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import l2l.problems.data.DataCache;
import l2l.problems.data.Datasets;
import org.junit.jupiter.api.Test;

/** The one test on real data: the paper's MNIST MLP learns. Skipped when MNIST is not in the cache. */
class RealMnistTest {

  @Test
  void gradientDescentOnThePapersMnistMlpLearnsTheDigits() {
    assumeTrue(DataCache.standard().missing(Datasets.MNIST, Datasets.MNIST_FILES).isEmpty(),
        "MNIST is not in " + DataCache.standard().dir(Datasets.MNIST) + "; skipped (no network in tests)");
    Mlp p = Mlp.mnist();
    assertEquals(55000, p.train().count());
    assertEquals(10000, p.test().count());
    Mlp.Instance task = p.sample(0);
    var before = task.evaluate(task.init());
    assertEquals(Math.log(10), before.get("test_loss").get(), 0.01, "a near-zero net predicts uniformly");
    var after = task.evaluate(TestData.descend(task, 1.0, 300));
    assertTrue(after.get("test_loss").get() < 1.0 && after.get("test_accuracy").get() > 0.75, after::toString);
  }
}
