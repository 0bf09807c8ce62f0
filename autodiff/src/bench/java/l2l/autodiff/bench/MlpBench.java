package l2l.autodiff.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import l2l.autodiff.Autodiff;
import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Value and gradient of a 784-20-10 sigmoid MLP with softmax cross-entropy (mean over a batch
 * of 128), with respect to all weights and biases: the optimizee of the paper's MNIST experiment,
 * through the general reverse-mode engine.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx2g"})
public class MlpBench {
  private Tensor x;
  private int[] labels;
  private Tree params;

  /** Random inputs in [0, 1), labels, and N(0, 0.01²) weights. */
  @Setup
  public void setup() {
    SplittableRandom r = new SplittableRandom(1);
    x = Tensor.uniform(128, 784, 0, 1, r);
    labels = new int[128];
    for (int i = 0; i < labels.length; i++) labels[i] = r.nextInt(10);
    params = Tree.of("w1", Tensor.normal(784, 20, 0, 0.01, r), "b1", Tensor.normal(1, 20, 0, 0.01, r))
        .with("w2", Tensor.normal(20, 10, 0, 0.01, r)).with("b2", Tensor.normal(1, 10, 0, 0.01, r));
  }

  private Tensor loss(Tree p) {
    Tensor h = x.matmul(p.tensor("w1")).add(p.tensor("b1")).sigmoid();
    return h.matmul(p.tensor("w2")).add(p.tensor("b2")).softmaxCrossEntropy(labels).mean();
  }

  /** Loss and gradient of all four parameter tensors. */
  @Benchmark
  public Autodiff.ValueAndGrad<Tree> valueAndGrad() {
    return Autodiff.valueAndGradTree(this::loss).apply(params);
  }

  /** The loss alone (no graph). */
  @Benchmark
  public Tensor forward() {
    return loss(params);
  }
}
