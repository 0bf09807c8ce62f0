package l2l.optimizers.learned;

import io.vavr.collection.List;
import io.vavr.control.Option;
import java.util.SplittableRandom;
import l2l.autodiff.Autodiff.ValueAndGrad;
import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;
import l2l.optimizers.Optimizer;

/**
 * Meta-gradients from forward runs with perturbed φ, the evolution strategies of
 * {@link MetaGradient}: antithetic ES over one truncation ({@link #es}) and persistent ES over the
 * truncations of a task ({@link #pes}). No derivative flows through the unroll, so they work for
 * any learned optimizer and any optimizee. The perturbation pairs run on {@link RowParallel}'s
 * threads; the noise of pair i depends on the seed and i only, and the pairs' contributions are
 * added in pair order, so the estimate has the same bits at any thread count.
 */
public final class Perturbations {
  private Perturbations() {}

  /** Where a run leaves the optimizee: θ, the learned optimizer's state, f and ∇f at θ on the next step. */
  public record Particle(Tree theta, Tree state, ValueAndGrad<Tree> last) {}

  /**
   * What persistent ES carries through a task: each pair's particles run with φ + ε and φ − ε, and
   * the pair's accumulated perturbation ξ = Σ ε.
   */
  public record Persistent(List<Particle> plus, List<Particle> minus, List<Tree> xi) {}

  /** A forward run of a truncation: Σ ℓ(f(θ_t)), the losses f(θ_0), …, and where it ends. */
  public record Rollout(double metaLoss, double[] losses, Particle end) {}

  /** An estimate of persistent ES and the state to carry to the task's next truncation. */
  public record PesStep(Engine.Result result, Persistent carried) {}

  /** The truncation run forward with g(φ), no derivatives recorded. */
  public static Rollout forward(LearnedOptimizer g, Engine.Truncation t) {
    Optimizer opt = g.apply(t.phi().detach());
    ValueAndGrad<Tree> vg = t.start();
    Tree theta = t.theta(), state = t.state();
    double[] losses = new double[t.steps() + 1];
    losses[0] = vg.value().item();
    double metaLoss = t.stepLoss().value(losses[0]);
    for (int s = 0; s < t.steps(); s++) {
      Optimizer.Update u = opt.update(vg.grad(), state, theta);
      theta = Optimizer.apply(theta, u.updates());
      state = u.state();
      vg = t.loss().valueAndGrad(theta, t.first() + s + 1);
      losses[s + 1] = vg.value().item();
      metaLoss += t.stepLoss().value(losses[s + 1]);
    }
    return new Rollout(metaLoss, losses, new Particle(theta, state, vg));
  }

  /**
   * Antithetic ES over a truncation: ĝ = Σᵢ εᵢ·(L(φ + εᵢ) − L(φ − εᵢ)) / (2σ²·pairs), εᵢ ~ N(0, σ²I),
   * every run from the truncation's state. The result's meta-loss, losses and end are those of the
   * unperturbed run.
   */
  public static Engine.Result es(LearnedOptimizer g, Engine.Truncation t, MetaGradient.Es es, long seed) {
    Rollout center = forward(g, t);
    Tree[] eps = noise(t.phi(), es.sigma(), es.pairs(), seed);
    double[] diff = new double[es.pairs()];
    RowParallel.forEachBlock(es.pairs(), i -> diff[i] = forward(g, t.withPhi(t.phi().plus(eps[i]))).metaLoss()
        - forward(g, t.withPhi(t.phi().minus(eps[i]))).metaLoss());
    return result(center, weighted(eps, diff, 2 * es.sigma() * es.sigma() * es.pairs(), t.phi()));
  }

  /**
   * Persistent ES over one truncation: every pair's particles continue from where the task's last
   * truncation left them (from the truncation's state when {@code carried} is null: a new task),
   * with φ ± εᵢ, ξᵢ ← ξᵢ + εᵢ and ĝ = Σᵢ ξᵢ·(L₊ᵢ − L₋ᵢ) / (2σ²·pairs). The result's meta-loss,
   * losses and end are those of the unperturbed run.
   */
  public static PesStep pes(LearnedOptimizer g, Engine.Truncation t, MetaGradient.Pes pes, Persistent carried,
      long seed) {
    int pairs = pes.pairs();
    Rollout center = forward(g, t);
    Persistent from = carried != null ? carried : start(t, pairs);
    Tree[] eps = noise(t.phi(), pes.sigma(), pairs, seed);
    Tree[] xi = new Tree[pairs];
    Particle[] plus = new Particle[pairs], minus = new Particle[pairs];
    double[] diff = new double[pairs];
    RowParallel.forEachBlock(pairs, i -> {
      xi[i] = from.xi().get(i).plus(eps[i]);
      Rollout p = forward(g, resumed(t.withPhi(t.phi().plus(eps[i])), from.plus().get(i)));
      Rollout m = forward(g, resumed(t.withPhi(t.phi().minus(eps[i])), from.minus().get(i)));
      plus[i] = p.end();
      minus[i] = m.end();
      diff[i] = p.metaLoss() - m.metaLoss();
    });
    Engine.Result r = result(center, weighted(xi, diff, 2 * pes.sigma() * pes.sigma() * pairs, t.phi()));
    return new PesStep(r, new Persistent(List.of(plus), List.of(minus), List.of(xi)));
  }

  private static Persistent start(Engine.Truncation t, int pairs) {
    Particle at = new Particle(t.theta(), t.state(), t.known().getOrNull());
    List<Particle> same = List.fill(pairs, at);
    return new Persistent(same, same, List.fill(pairs, t.phi().zerosLike()));
  }

  private static Engine.Truncation resumed(Engine.Truncation t, Particle p) {
    return t.from(p.theta(), p.state(), Option.of(p.last()));
  }

  private static Engine.Result result(Rollout center, Tree grad) {
    Particle end = center.end();
    return new Engine.Result(Tensor.scalar(center.metaLoss()), grad, end.theta(), end.state(), center.losses(),
        end.last());
  }

  /** Σᵢ directionᵢ·weightᵢ / divisor, added in order. */
  private static Tree weighted(Tree[] directions, double[] weights, double divisor, Tree shape) {
    Tree sum = shape.zerosLike();
    for (int i = 0; i < directions.length; i++) sum = sum.plus(directions[i].times(weights[i] / divisor));
    return sum;
  }

  /** {@code pairs} draws of N(0, σ²) for every entry of φ; draw i depends on the seed and i only. */
  static Tree[] noise(Tree phi, double sigma, int pairs, long seed) {
    Tree[] eps = new Tree[pairs];
    for (int i = 0; i < pairs; i++) {
      SplittableRandom r = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (i + 1)));
      eps[i] = phi.map(t -> Tensor.normal(t.rows(), t.cols(), 0, sigma, r));
    }
    return eps;
  }
}
