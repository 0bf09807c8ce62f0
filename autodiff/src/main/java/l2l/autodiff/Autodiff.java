package l2l.autodiff;

import io.vavr.Tuple2;
import io.vavr.collection.List;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.function.Function;

/**
 * Reverse-mode differentiation as higher-order functions, as in JAX: {@code grad(f)} is a
 * function. Each call of a differentiated function gets a fresh level tag, so derivatives nest
 * ({@code grad(grad(f))}) and never confuse the perturbations of different levels.
 */
public final class Autodiff {
  private Autodiff() {}

  /** The value of a scalar function together with its gradient. */
  public record ValueAndGrad<G>(Tensor value, G grad) {}

  /** The value of a scalar function, its gradient and an auxiliary result. */
  public record ValueGradAux<G, A>(Tensor value, G grad, A aux) {}

  /** The gradient of a function from a tensor to a 1×1 tensor. */
  public static Function<Tensor, Tensor> grad(Function<Tensor, Tensor> f) {
    return x -> valueAndGrad(f).apply(x).grad();
  }

  /** The value and gradient of a function from a tensor to a 1×1 tensor. */
  public static Function<Tensor, ValueAndGrad<Tensor>> valueAndGrad(Function<Tensor, Tensor> f) {
    return x -> {
      Tag tag = new Tag();
      Tensor v = variable(x, tag);
      Tensor y = requireScalar(run(f, v, tag), "valueAndGrad");
      Tensor g = backward(y, Tensor.scalar(1), tag, new Tensor[] {v}, true)[0];
      return new ValueAndGrad<>(y, g);
    };
  }

  /** The gradient of a function from a tree to a 1×1 tensor, as a tree of the argument's structure. */
  public static Function<Tree, Tree> gradTree(Function<Tree, Tensor> f) {
    return x -> valueAndGradTree(f).apply(x).grad();
  }

  /** The value and gradient of a function from a tree to a 1×1 tensor. */
  public static Function<Tree, ValueAndGrad<Tree>> valueAndGradTree(Function<Tree, Tensor> f) {
    return x -> {
      ValueGradAux<Tree, Void> r = valueAndGradWithAux((Tree t) -> new Tuple2<Tensor, Void>(f.apply(t), null)).apply(x);
      return new ValueAndGrad<>(r.value(), r.grad());
    };
  }

  /**
   * The value and gradient of a function from a tree to a pair (1×1 tensor, auxiliary result);
   * the auxiliary result is passed through (tensors in it carry no derivative of this level).
   */
  public static <A> Function<Tree, ValueGradAux<Tree, A>> valueAndGradWithAux(Function<Tree, Tuple2<Tensor, A>> f) {
    return x -> {
      Tag tag = new Tag();
      List<Tensor> leaves = x.leaves();
      Tensor[] vars = leaves.map(t -> variable(t, tag)).toJavaArray(Tensor[]::new);
      Tuple2<Tensor, A> out = run(f, x.withLeaves(List.of(vars)), tag);
      Tensor y = requireScalar(out._1, "valueAndGradWithAux");
      Tensor[] g = backward(y, Tensor.scalar(1), tag, vars, true);
      return new ValueGradAux<>(y, x.withLeaves(List.of(g)), out._2);
    };
  }

  /**
   * The vector-Jacobian product: the cotangent of {@code x} when the output {@code f(x)} has
   * cotangent {@code ct} (of the output's shape).
   */
  public static Tensor vjp(Function<Tensor, Tensor> f, Tensor x, Tensor ct) {
    Tag tag = new Tag();
    Tensor v = variable(x, tag);
    Tensor y = run(f, v, tag);
    if (!y.sameShape(ct)) {
      throw new ShapeException("vjp: the cotangent's shape " + ct.shape() + " differs from the output's " + y.shape());
    }
    return backward(y, ct, tag, new Tensor[] {v}, true)[0];
  }

  /**
   * A function's value and its pullback, as JAX's {@code vjp}: {@code f(x)} is evaluated once and
   * the pullback maps a cotangent of the value (a tree of its structure) to the cotangent of x, as
   * often as asked. The value carries no derivative of this level (enclosing levels still see it).
   */
  public static final class Pullback {
    private final Tree value;
    private final java.util.function.BiFunction<Tree, Boolean, Tree> pullback;

    private Pullback(Tree value, java.util.function.BiFunction<Tree, Boolean, Tree> pullback) {
      this.value = value;
      this.pullback = pullback;
    }

    /** f(x). */
    public Tree value() {
      return value;
    }

    /** The cotangent of x for this cotangent of the value. */
    public Tree apply(Tree cotangent) {
      return pullback.apply(cotangent, false);
    }

    /**
     * As {@link #apply}, for the last time: ops may recycle the buffers they kept for it, and
     * applying this pullback again is an error.
     */
    public Tree applyLast(Tree cotangent) {
      return pullback.apply(cotangent, true);
    }
  }

  /** The value of f at x and its pullback (see {@link Pullback}). */
  public static Pullback vjp(Function<Tree, Tree> f, Tree x) {
    Tag tag = new Tag();
    List<Tensor> leaves = x.leaves();
    Tensor[] vars = leaves.map(t -> variable(t, tag)).toJavaArray(Tensor[]::new);
    Tree out = run(f, x.withLeaves(List.of(vars)), tag);
    tag.kill();
    if (out == null) throw new IllegalArgumentException("vjp: the function returned null");
    Tensor[] ys = out.leaves().toJavaArray(Tensor[]::new);
    boolean[] spent = {false};
    return new Pullback(out, (ct, last) -> {
      out.requireSameStructure(ct, "vjp: the cotangent does not fit the value");
      synchronized (spent) {
        if (spent[0]) throw new IllegalStateException("vjp: the pullback was applied after its last application");
        spent[0] = last;
      }
      return x.withLeaves(List.of(backward(ys, ct.leaves().toJavaArray(Tensor[]::new), tag, vars, last)));
    });
  }

  /** The Hessian-vector product ∇²f(x)·v, as the gradient of x ↦ ⟨∇f(x), v⟩; v has x's shape. */
  public static Tensor hessianVectorProduct(Function<Tensor, Tensor> f, Tensor x, Tensor v) {
    if (!v.sameShape(x)) {
      throw new ShapeException("hessianVectorProduct: v is " + v.shape() + " but x is " + x.shape());
    }
    return grad((Tensor y) -> grad(f).apply(y).mul(v).sum()).apply(x);
  }

  /** The value of x with no derivative through it. */
  public static Tensor stopGradient(Tensor x) {
    return x.detach();
  }

  /** The values of the tree with no derivative through them. */
  public static Tree stopGradient(Tree x) {
    return x.detach();
  }

  // ------------------------------------------------------------------ engine

  /** f(x) under a live tag; the tag dies if f throws, so a failed call records nothing later. */
  private static <X, Y> Y run(Function<X, Y> f, X x, Tag tag) {
    try {
      return f.apply(x);
    } catch (RuntimeException | Error e) {
      tag.kill();
      throw e;
    }
  }

  private static Tensor requireScalar(Tensor y, String who) {
    if (y == null) {
      throw new IllegalArgumentException(who + ": the function returned null");
    }
    if (!y.isScalar()) {
      throw new ShapeException(who + ": the function must return a 1×1 tensor, got " + y.shape()
          + " (reduce it with sum() or mean(), or use vjp)");
    }
    return y;
  }

  /** The argument of a differentiated function: traced at {@code tag}, linked to x if x is traced. */
  private static Tensor variable(Tensor x, Tag tag) {
    Tag[] tags = Tag.merge(Tag.liveUnion(new Tensor[] {x}), new Tag[] {tag});
    Tensor[] parents = x.node == null ? new Tensor[0] : new Tensor[] {x};
    Vjp identity = (ct, y, need) -> new Tensor[] {ct};
    return new Tensor(x.value, new Node("variable", x.value, tags, parents, identity, tag));
  }

  /**
   * Runs the backward pass of level {@code tag} from {@code y} with seed cotangent {@code seed};
   * returns the cotangent of each variable (zeros where y does not depend on it). The tag dies
   * first, so the pass records graph only for enclosing levels.
   */
  static Tensor[] backward(Tensor y, Tensor seed, Tag tag, Tensor[] vars, boolean last) {
    return backward(new Tensor[] {y}, new Tensor[] {seed}, tag, vars, last);
  }

  /**
   * Runs the backward pass of level {@code tag} from the outputs {@code ys} with seed cotangents
   * {@code seeds} (one per output, of its shape); returns the cotangent of each variable. When
   * {@code last}, nothing runs this level's graph backward again, and ops recycle their
   * {@link Buffers}.
   */
  static Tensor[] backward(Tensor[] ys, Tensor[] seeds, Tag tag, Tensor[] vars, boolean last) {
    return Buffers.backward(last, () -> backwardPass(ys, seeds, tag, vars));
  }

  private static Tensor[] backwardPass(Tensor[] ys, Tensor[] seeds, Tag tag, Tensor[] vars) {
    tag.kill();
    IdentityHashMap<Node, Tensor> adjoint = new IdentityHashMap<>();
    ArrayList<Node> roots = new ArrayList<>();
    for (int k = 0; k < ys.length; k++) {
      Tensor y = ys[k];
      if (y.node == null || !y.node.has(tag)) continue;
      if (!seeds[k].sameShape(y)) {
        throw new ShapeException("backward: a cotangent of shape " + seeds[k].shape() + " for an output of shape "
            + y.shape());
      }
      roots.add(y.node);
      adjoint.merge(y.node, seeds[k], Tensor::add);
    }
    if (!roots.isEmpty()) {
      ArrayList<Node> order = topologicalOrder(roots, tag);
      for (int i = order.size() - 1; i >= 0; i--) {
        Node n = order.get(i);
        if (n.variableOf == tag) continue;
        Tensor ct = adjoint.remove(n);
        if (ct == null) continue;
        boolean[] need = new boolean[n.parents.length];
        boolean any = false;
        for (int p = 0; p < need.length; p++) {
          Node pn = n.parents[p].node;
          need[p] = pn != null && pn.has(tag);
          any |= need[p];
        }
        if (!any) continue;
        Tensor[] g = n.vjp.apply(ct, n.output(), need);
        for (int p = 0; p < need.length; p++) {
          if (!need[p]) continue;
          Tensor parent = n.parents[p];
          Tensor gp = g[p];
          if (gp == null || !gp.sameShape(parent)) {
            throw new IllegalStateException("the vector-Jacobian product of op '" + n.op + "' gave "
                + (gp == null ? "nothing" : "a " + gp.shape() + " cotangent") + " for its input " + p + " of shape "
                + parent.shape());
          }
          adjoint.merge(parent.node, gp, Tensor::add);
        }
      }
    }
    Tensor[] out = new Tensor[vars.length];
    for (int i = 0; i < vars.length; i++) {
      Tensor a = adjoint.get(vars[i].node);
      out[i] = a != null ? a : Tensor.zeros(vars[i].rows(), vars[i].cols());
    }
    return out;
  }

  /** Nodes reachable from the roots through nodes of this tag, parents before children. */
  private static ArrayList<Node> topologicalOrder(java.util.List<Node> roots, Tag tag) {
    ArrayList<Node> order = new ArrayList<>();
    IdentityHashMap<Node, Boolean> seen = new IdentityHashMap<>();
    ArrayList<Node> stack = new ArrayList<>();
    ArrayList<Integer> next = new ArrayList<>();
    for (Node root : roots) {
      if (seen.put(root, Boolean.TRUE) != null) continue;
      stack.add(root);
      next.add(0);
      visit(stack, next, seen, order, tag);
    }
    return order;
  }

  private static void visit(ArrayList<Node> stack, ArrayList<Integer> next, IdentityHashMap<Node, Boolean> seen,
      ArrayList<Node> order, Tag tag) {
    while (!stack.isEmpty()) {
      int top = stack.size() - 1;
      Node n = stack.get(top);
      int i = next.get(top);
      if (n.variableOf != tag && i < n.parents.length) {
        next.set(top, i + 1);
        Node p = n.parents[i].node;
        if (p != null && p.has(tag) && seen.put(p, Boolean.TRUE) == null) {
          stack.add(p);
          next.add(0);
        }
      } else {
        stack.remove(top);
        next.remove(top);
        order.add(n);
      }
    }
  }
}
