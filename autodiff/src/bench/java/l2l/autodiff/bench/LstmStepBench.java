package l2l.autodiff.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import l2l.autodiff.Autodiff;
import l2l.autodiff.Lstm;
import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One step of a two-layer LSTM of 20 units (gates i, j, f, o from one weight over [input, h] per
 * layer, forget bias 1) over 10,000 rows — the coordinates of a coordinatewise optimizer — then a
 * linear 20→1 output, run by the general engine: untraced forward, and forward plus the gradient
 * of the outputs' sum with respect to all weights. The cell is written either in ordinary tensor
 * ops ({@code forward}, {@code forwardBackward}) or with the fused {@link Lstm#layer} on packed
 * states, one column per row ({@code fusedForward}, {@code fusedForwardBackward}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx4g"})
public class LstmStepBench {
  /** Rows (coordinates). */
  @Param({"10000"})
  public int rows;

  private static final int H = 20;
  private Tensor g;
  private Tensor gRow;
  private Tree state;
  private Tree packed;
  private Tree phi;

  /** Random gradient input, states and weights (σ = 1/√fan_in). */
  @Setup
  public void setup() {
    SplittableRandom r = new SplittableRandom(2);
    g = Tensor.normal(rows, 1, 0, 1, r);
    state = Tree.of("h0", Tensor.uniform(rows, H, -1, 1, r), "c0", Tensor.uniform(rows, H, -1, 1, r))
        .with("h1", Tensor.uniform(rows, H, -1, 1, r)).with("c1", Tensor.uniform(rows, H, -1, 1, r));
    phi = Tree.of("w0", Tensor.normal(1 + H, 4 * H, 0, 1 / Math.sqrt(1 + H), r),
            "b0", Tensor.normal(1, 4 * H, 0, 1 / Math.sqrt(1 + H), r))
        .with("w1", Tensor.normal(2 * H, 4 * H, 0, 1 / Math.sqrt(2 * H), r))
        .with("b1", Tensor.normal(1, 4 * H, 0, 1 / Math.sqrt(2 * H), r))
        .with("wo", Tensor.normal(H, 1, 0, 1 / Math.sqrt(H), r)).with("bo", Tensor.zeros(1, 1));
    gRow = g.reshape(1, rows);
    packed = Tree.of("hc0", Tensor.concatCols(state.tensor("h0"), state.tensor("c0")).t(),
        "hc1", Tensor.concatCols(state.tensor("h1"), state.tensor("c1")).t());
  }

  private static Tensor[] cell(Tensor x, Tensor h, Tensor c, Tensor w, Tensor b) {
    Tensor gates = Tensor.concatCols(x, h).matmul(w).add(b);
    Tensor i = gates.sliceCols(0, H).sigmoid();
    Tensor j = gates.sliceCols(H, 2 * H).tanh();
    Tensor f = gates.sliceCols(2 * H, 3 * H).add(1.0).sigmoid();
    Tensor o = gates.sliceCols(3 * H, 4 * H).sigmoid();
    Tensor c2 = f.mul(c).add(i.mul(j));
    return new Tensor[] {o.mul(c2.tanh()), c2};
  }

  private Tensor step(Tree p) {
    Tensor[] l0 = cell(g, state.tensor("h0"), state.tensor("c0"), p.tensor("w0"), p.tensor("b0"));
    Tensor[] l1 = cell(l0[0], state.tensor("h1"), state.tensor("c1"), p.tensor("w1"), p.tensor("b1"));
    return l1[0].matmul(p.tensor("wo")).add(p.tensor("bo"));
  }

  private Tensor fusedStep(Tree p) {
    Tensor l0 = Lstm.layer(gRow, packed.tensor("hc0"), p.tensor("w0"), p.tensor("b0"), 1.0);
    Tensor l1 = Lstm.layer(l0, H, packed.tensor("hc1"), p.tensor("w1"), p.tensor("b1"), 1.0);
    return Tensor.matmul(p.tensor("wo"), Lstm.hidden(l1), true, false).add(p.tensor("bo"));
  }

  /** The step without a graph, with the fused cell. */
  @Benchmark
  public Tensor fusedForward() {
    return fusedStep(phi);
  }

  /** The step and the gradient of Σ outputs with respect to φ, with the fused cell. */
  @Benchmark
  public Autodiff.ValueAndGrad<Tree> fusedForwardBackward() {
    return Autodiff.valueAndGradTree((Tree p) -> fusedStep(p).sum()).apply(phi);
  }

  /** The step without a graph. */
  @Benchmark
  public Tensor forward() {
    return step(phi);
  }

  /** The step and the gradient of Σ outputs with respect to φ. */
  @Benchmark
  public Autodiff.ValueAndGrad<Tree> forwardBackward() {
    return Autodiff.valueAndGradTree((Tree p) -> step(p).sum()).apply(phi);
  }
}
