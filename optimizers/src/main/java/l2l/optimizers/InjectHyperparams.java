package l2l.optimizers;

import io.vavr.collection.LinkedHashMap;
import java.util.function.Function;
import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;

/**
 * Hyperparameters kept in the state, as 1×1 tensors under {@code hyperparams/<name>}, next to a
 * step counter {@code count} and the inner rule's state {@code inner}. At each update the
 * scheduled hyperparameters are evaluated at {@code count}, the constant ones are read from the
 * state (so they can be replaced there, e.g. by a traced tensor to differentiate), the rule is
 * built by {@code factory} from these values and applied; the state records the values used.
 * See {@link Transforms#injectHyperparams}.
 */
record InjectHyperparams(Function<Hyperparams, Optimizer> factory, LinkedHashMap<String, Schedule> schedules)
    implements Optimizer {

  @Override
  public Tree init(Tree params) {
    LinkedHashMap<String, Tensor> values = schedules.mapValues(s -> s.at(0));
    return Tree.empty().with("count", Ops.zeroCount())
        .with("hyperparams", toTree(values))
        .with("inner", factory.apply(new Hyperparams(values)).init(params));
  }

  @Override
  public Update update(Tree grads, Tree state, Tree params) {
    Checks.requireGradientsFit("injectHyperparams", params, grads);
    Tensor count = state.tensor("count");
    long step = Ops.steps(count);
    Tree stored = state.get("hyperparams");
    LinkedHashMap<String, Tensor> values = schedules.map((name, s) -> new io.vavr.Tuple2<>(name,
        s instanceof Schedules.Constant ? Checks.requireScalar("injectHyperparams", name, stored.tensor(name))
            : s.at(step)));
    Update u = factory.apply(new Hyperparams(values)).update(grads, state.get("inner"), params);
    Tree next = Tree.empty().with("count", Ops.increment(count)).with("hyperparams", toTree(values)).with("inner", u.state());
    return new Update(u.updates(), next);
  }

  private static Tree toTree(LinkedHashMap<String, Tensor> values) {
    Tree t = Tree.empty();
    for (var e : values) t = t.with(e._1, e._2);
    return t;
  }

  @Override
  public String toString() {
    LinkedHashMap<String, Tensor> first = schedules.mapValues(s -> s.at(0));
    return "injectHyperparams(" + schedules.map(e -> e._1 + "=" + e._2).mkString(", ") + "; "
        + factory.apply(new Hyperparams(first)) + ")";
  }
}
