package l2l.optimizers;

import io.vavr.control.Option;
import java.util.function.Function;
import java.util.function.Predicate;
import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;

/** Selecting parts of a tree by leaf path, and putting parts back together. */
final class Trees {
  private Trees() {}

  /**
   * The part of {@code t} made of the leaves whose path passes {@code keep}, with their nesting;
   * branches left with no leaves are dropped. Empty when no leaf is kept.
   */
  static Option<Tree> select(Tree t, Predicate<String> keep) {
    return select(t, "", keep);
  }

  private static Option<Tree> select(Tree t, String path, Predicate<String> keep) {
    if (t.isLeaf()) return keep.test(path) ? Option.of(t) : Option.none();
    Tree out = Tree.empty();
    boolean any = false;
    for (var e : t.entries()) {
      Option<Tree> sub = select(e._2, path.isEmpty() ? e._1 : path + "/" + e._1, keep);
      if (sub.isDefined()) {
        out = out.with(e._1, sub.get());
        any = true;
      }
    }
    return any ? Option.of(out) : Option.none();
  }

  /** The tensor at a leaf path of t ("" is the root leaf). */
  static Tensor leafAt(Tree t, String path) {
    return path.isEmpty() ? t.tensor() : t.tensor(path);
  }

  /** A tree of {@code template}'s structure whose leaf at each path is {@code leaf.apply(path)}. */
  static Tree assemble(Tree template, Function<String, Tensor> leaf) {
    return template.mapWithPath((p, old) -> leaf.apply(p));
  }
}
