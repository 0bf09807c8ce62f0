package l2l.optimizers;

import io.vavr.collection.LinkedHashMap;
import io.vavr.collection.List;
import io.vavr.collection.Map;
import io.vavr.control.Option;
import java.util.function.Function;
import l2l.autodiff.Tree;

/**
 * A different rule for each labelled group of parameters: {@code labelOf} gives each leaf's path
 * ("layer1/w"; "" for a parameter tree that is a single leaf) a label, and each group is updated
 * by its label's rule on the part of the tree holding that group's leaves. The state has one
 * entry per label that has parameters, in the rules' order, holding that rule's state. A label
 * with no rule is an error naming it. See {@link Transforms#partition}.
 */
record Partition(Function<String, String> labelOf, LinkedHashMap<String, Optimizer> rules) implements Optimizer {

  @Override
  public Tree init(Tree params) {
    Map<String, String> labels = labels(params, "init");
    Tree state = Tree.empty();
    for (var rule : rules) {
      Option<Tree> part = group(params, labels, rule._1);
      if (part.isDefined()) state = state.with(rule._1, rule._2.init(part.get()));
    }
    return state;
  }

  @Override
  public Update update(Tree grads, Tree state, Tree params) {
    Checks.requireGradientsFit("partition", params, grads);
    Map<String, String> labels = labels(params, "update");
    LinkedHashMap<String, Tree> updates = LinkedHashMap.empty();
    Tree next = Tree.empty();
    for (var rule : rules) {
      Option<Tree> part = group(params, labels, rule._1);
      if (part.isEmpty()) continue;
      if (!state.has(rule._1)) {
        throw new IllegalArgumentException("partition: the state has no entry for the group '" + rule._1
            + "' (was it made by this partition's init for these parameters?); it has " + state.names().mkString(", "));
      }
      Tree g = group(grads, labels, rule._1).get();
      Update u = rule._2.update(g, state.get(rule._1), part.get());
      updates = updates.put(rule._1, u.updates());
      next = next.with(rule._1, u.state());
    }
    LinkedHashMap<String, Tree> byLabel = updates;
    Tree merged = Trees.assemble(params, p -> Trees.leafAt(byLabel.get(labels.get(p).get()).get(), p));
    return new Update(merged, next);
  }

  private Map<String, String> labels(Tree params, String during) {
    List<String> paths = params.paths();
    LinkedHashMap<String, String> out = LinkedHashMap.empty();
    for (String p : paths) {
      String label;
      try {
        label = labelOf.apply(p);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("partition (" + during + "): labelling the parameter '" + p + "' failed: "
            + e, e);
      }
      if (label == null || !rules.containsKey(label)) {
        throw new IllegalArgumentException("partition (" + during + "): the parameter '" + p + "' has the label "
            + (label == null ? "null" : "'" + label + "'") + ", which has no optimizer; labels with one: "
            + rules.keySet().mkString(", "));
      }
      out = out.put(p, label);
    }
    return out;
  }

  private static Option<Tree> group(Tree t, Map<String, String> labels, String label) {
    return Trees.select(t, p -> label.equals(labels.get(p).get()));
  }

  @Override
  public String toString() {
    return rules.map(e -> e._1 + ": " + e._2).mkString("partition(", ", ", ")");
  }
}
