package l2l.optimizers.learned;

import io.vavr.collection.LinkedHashMap;
import io.vavr.collection.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import l2l.autodiff.Tree;
import l2l.optimizers.Optimizer;
import l2l.optimizers.Transforms;

/**
 * Separate learned optimizers for separate groups of parameters, as the paper does for its
 * conv net (one LSTM for the convolution filters, another for everything else): φ is a tree with
 * one entry per group label holding that group's learned optimizer's φ, and the optimizer is
 * {@link Transforms#partition} of the groups' optimizers.
 *
 * @param name a short name of the labelling, for descriptions
 * @param labelOf each parameter leaf's path → its group label
 * @param parts each label's learned optimizer, in order
 */
public record PartitionedLearned(String name, Function<String, String> labelOf, Map<String, LearnedOptimizer> parts)
    implements LearnedOptimizer {

  /** The label of the convolution filters (paths "conv…/w") in {@link #convAndRest}. */
  public static final String CONV = "conv";
  /** The label of every other parameter in {@link #convAndRest}. */
  public static final String REST = "rest";
  private static final Pattern CONV_FILTER = Pattern.compile("(.*/)?conv[0-9]*/w");

  /** Checks that there is at least one part. */
  public PartitionedLearned {
    if (parts.isEmpty()) throw new IllegalArgumentException("a partitioned learned optimizer needs at least one part");
  }

  /** The paper's split for conv nets: {@code conv} for the filters (paths "conv…/w"), {@code rest} for the others. */
  public static PartitionedLearned convAndRest(LearnedOptimizer conv, LearnedOptimizer rest) {
    return new PartitionedLearned("conv-filters/rest", p -> CONV_FILTER.matcher(p).matches() ? CONV : REST,
        LinkedHashMap.of(CONV, conv, REST, rest));
  }

  @Override
  public Tree init(long seed) {
    Tree phi = Tree.empty();
    long s = seed;
    for (var part : parts) {
      s = s * 6364136223846793005L + 1442695040888963407L;
      phi = phi.with(part._1, part._2.init(s));
    }
    return phi;
  }

  @Override
  public Optimizer apply(Tree phi) {
    Map<String, Optimizer> rules = parts.map((label, lo) -> new io.vavr.Tuple2<>(label, lo.apply(phi.get(label))));
    return Transforms.partition(labelOf, rules);
  }

  @Override
  public String describe() {
    return "partitioned by " + name + ": " + parts.map(p -> p._1 + " → " + p._2.describe()).mkString("; ");
  }
}
