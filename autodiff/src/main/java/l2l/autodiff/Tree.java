package l2l.autodiff;

import io.vavr.Tuple2;
import io.vavr.collection.LinkedHashMap;
import io.vavr.collection.List;
import io.vavr.collection.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;

/**
 * An immutable ordered tree of named tensors: parameters, gradients, updates and optimizer
 * state all have this shape. A tree is either a leaf holding one tensor or a branch of named
 * subtrees in insertion order. Paths join names with {@code '/'}.
 *
 * <p>{@link #map}, {@link #zip}, {@link #flatten} and {@link #unflatten} are made of tensor
 * ops, so they are differentiable.
 */
public final class Tree {
  private static final Tree EMPTY = new Tree(null, LinkedHashMap.empty());

  private final Tensor leaf;
  private final LinkedHashMap<String, Tree> children;

  private Tree(Tensor leaf, LinkedHashMap<String, Tree> children) {
    this.leaf = leaf;
    this.children = children;
  }

  // ------------------------------------------------------------------ construction

  /** A leaf holding one tensor. */
  public static Tree leaf(Tensor t) {
    return new Tree(Objects.requireNonNull(t, "Tree.leaf: tensor"), null);
  }

  /** The branch with no entries. */
  public static Tree empty() {
    return EMPTY;
  }

  /** A branch with one leaf entry. */
  public static Tree of(String name, Tensor t) {
    return EMPTY.with(name, t);
  }

  /** A branch with one subtree entry. */
  public static Tree of(String name, Tree child) {
    return EMPTY.with(name, child);
  }

  /** A branch with two leaf entries, in order. */
  public static Tree of(String n1, Tensor t1, String n2, Tensor t2) {
    return EMPTY.with(n1, t1).with(n2, t2);
  }

  /** A branch with three leaf entries, in order. */
  public static Tree of(String n1, Tensor t1, String n2, Tensor t2, String n3, Tensor t3) {
    return EMPTY.with(n1, t1).with(n2, t2).with(n3, t3);
  }

  /** A branch of the given entries, in order. */
  public static Tree branch(Iterable<Tuple2<String, Tree>> entries) {
    Tree t = EMPTY;
    for (Tuple2<String, Tree> e : entries) t = t.with(e._1, e._2);
    return t;
  }

  /** A branch whose entries are named "0", "1", … (used for tuples of states). */
  public static Tree tuple(Tree... parts) {
    Tree t = EMPTY;
    for (int i = 0; i < parts.length; i++) t = t.with(Integer.toString(i), parts[i]);
    return t;
  }

  /** This branch with {@code name} set to the subtree (replaced in place if present, else appended). */
  public Tree with(String name, Tree child) {
    requireBranch("with");
    checkName(name);
    return new Tree(null, children.put(name, Objects.requireNonNull(child, "Tree.with: child")));
  }

  /** This branch with {@code name} set to a leaf. */
  public Tree with(String name, Tensor t) {
    return with(name, leaf(t));
  }

  /** This branch without {@code name}. */
  public Tree without(String name) {
    requireBranch("without");
    get(name);
    return new Tree(null, children.remove(name));
  }

  private static void checkName(String name) {
    if (name == null || name.isEmpty() || name.indexOf('/') >= 0) {
      throw new IllegalArgumentException("Tree: a name must be nonempty and must not contain '/', got '" + name + "'");
    }
  }

  // ------------------------------------------------------------------ access

  /** Whether this is a leaf. */
  public boolean isLeaf() {
    return leaf != null;
  }

  /** The tensor of a leaf. */
  public Tensor tensor() {
    if (leaf == null) {
      throw new IllegalStateException("Tree.tensor: this is a branch with entries " + names().mkString(", ")
          + ", not a leaf");
    }
    return leaf;
  }

  /** The entry {@code name} of this branch; an unknown name is an error that lists the known ones. */
  public Tree get(String name) {
    requireBranch("get");
    return children.get(name).getOrElseThrow(() -> new IllegalArgumentException(
        "Tree: no entry named '" + name + "'; known entries: " + (children.isEmpty() ? "(none)" : names().mkString(", "))));
  }

  /** The subtree at a '/'-separated path. */
  public Tree at(String path) {
    Tree t = this;
    String walked = "";
    for (String part : path.split("/")) {
      if (t.isLeaf()) {
        throw new IllegalArgumentException("Tree: path '" + path + "' goes below the leaf '" + walked + "'");
      }
      try {
        t = t.get(part);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("Tree: path '" + path + "': " + e.getMessage(), e);
      }
      walked = walked.isEmpty() ? part : walked + "/" + part;
    }
    return t;
  }

  /** The tensor of the leaf at a '/'-separated path. */
  public Tensor tensor(String path) {
    return at(path).tensor();
  }

  /** Whether this branch has an entry {@code name}. */
  public boolean has(String name) {
    return leaf == null && children.containsKey(name);
  }

  /** The names of this branch's entries, in order (empty for a leaf). */
  public List<String> names() {
    return leaf != null ? List.empty() : children.keySet().toList();
  }

  /** The entries of this branch, in order. */
  public List<Tuple2<String, Tree>> entries() {
    return leaf != null ? List.empty() : children.toList();
  }

  /** The paths of all leaves, depth first, in order ("" for a root leaf). */
  public List<String> paths() {
    if (leaf != null) return List.of("");
    return children.toList().flatMap(e -> e._2.paths().map(p -> p.isEmpty() ? e._1 : e._1 + "/" + p));
  }

  /** All leaf tensors, depth first, in order. */
  public List<Tensor> leaves() {
    if (leaf != null) return List.of(leaf);
    return children.values().toList().flatMap(Tree::leaves);
  }

  /** The number of leaves. */
  public int leafCount() {
    return leaf != null ? 1 : children.values().map(Tree::leafCount).sum().intValue();
  }

  /** The total number of scalar entries over all leaves. */
  public int size() {
    return leaves().map(Tensor::size).sum().intValue();
  }

  private void requireBranch(String op) {
    if (leaf != null) {
      throw new IllegalStateException("Tree." + op + ": this is a leaf (" + leaf.shape() + "), not a branch");
    }
  }

  // ------------------------------------------------------------------ structure

  /** Whether the other tree has the same names, nesting and leaf shapes. */
  public boolean sameStructure(Tree other) {
    return structureDifference(other, "").isEmpty();
  }

  /**
   * Throws an {@link IllegalArgumentException} naming the first entry where the other tree's
   * structure differs from this one's; {@code context} prefixes the message.
   */
  public void requireSameStructure(Tree other, String context) {
    structureDifference(other, "").peek(d -> {
      throw new IllegalArgumentException(context + ": " + d);
    });
  }

  private io.vavr.control.Option<String> structureDifference(Tree o, String path) {
    String where = path.isEmpty() ? "the root" : "'" + path + "'";
    if (isLeaf() != o.isLeaf()) {
      return io.vavr.control.Option.of("at " + where + " one tree has a " + (isLeaf() ? "leaf" : "branch")
          + " and the other a " + (o.isLeaf() ? "leaf" : "branch"));
    }
    if (isLeaf()) {
      return leaf.sameShape(o.leaf) ? io.vavr.control.Option.none()
          : io.vavr.control.Option.of("at " + where + " shapes differ: " + leaf.shape() + " and " + o.leaf.shape());
    }
    List<String> a = names(), b = o.names();
    for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
      String na = i < a.size() ? a.get(i) : null;
      String nb = i < b.size() ? b.get(i) : null;
      String sub = path.isEmpty() ? (na != null ? na : nb) : path + "/" + (na != null ? na : nb);
      if (!Objects.equals(na, nb)) {
        return io.vavr.control.Option.of("entry " + (i + 1) + " under " + where + " is "
            + (na == null ? "missing" : "'" + na + "'") + " in one tree and " + (nb == null ? "missing" : "'" + nb + "'")
            + " in the other");
      }
      io.vavr.control.Option<String> d = children.get(na).get().structureDifference(o.children.get(nb).get(), sub);
      if (d.isDefined()) return d;
    }
    return io.vavr.control.Option.none();
  }

  // ------------------------------------------------------------------ functions over trees

  /** The tree with every leaf tensor replaced by {@code f} of it. */
  public Tree map(UnaryOperator<Tensor> f) {
    if (leaf != null) return leaf(f.apply(leaf));
    return new Tree(null, children.mapValues(c -> c.map(f)));
  }

  /** Like {@link #map}, also given each leaf's path. */
  public Tree mapWithPath(BiFunction<String, Tensor, Tensor> f) {
    return mapWithPath("", f);
  }

  private Tree mapWithPath(String path, BiFunction<String, Tensor, Tensor> f) {
    if (leaf != null) return leaf(f.apply(path, leaf));
    return new Tree(null, children.map((k, c) -> new Tuple2<>(k, c.mapWithPath(path.isEmpty() ? k : path + "/" + k, f))));
  }

  /** Leaf by leaf, {@code f(this, other)}; the trees must have the same structure. */
  public Tree zip(Tree other, BinaryOperator<Tensor> f) {
    requireSameStructure(other, "Tree.zip");
    return zipUnchecked(other, f);
  }

  private Tree zipUnchecked(Tree other, BinaryOperator<Tensor> f) {
    if (leaf != null) return leaf(f.apply(leaf, other.leaf));
    return new Tree(null, children.map((k, c) -> new Tuple2<>(k, c.zipUnchecked(other.children.get(k).get(), f))));
  }

  /** Leaf by leaf, {@code f(a, b, c)}; the trees must have the same structure. */
  public static Tree zip3(Tree a, Tree b, Tree c, Function3 f) {
    a.requireSameStructure(b, "Tree.zip3 (first and second)");
    a.requireSameStructure(c, "Tree.zip3 (first and third)");
    List<Tensor> la = a.leaves(), lb = b.leaves(), lc = c.leaves();
    Tensor[] out = new Tensor[la.size()];
    for (int i = 0; i < out.length; i++) out[i] = f.apply(la.get(i), lb.get(i), lc.get(i));
    return a.withLeaves(List.of(out));
  }

  /** A function of three tensors. */
  @FunctionalInterface
  public interface Function3 {
    /** Applies the function. */
    Tensor apply(Tensor a, Tensor b, Tensor c);
  }

  /** This tree's structure with the given leaves, in {@link #leaves()} order. */
  public Tree withLeaves(List<Tensor> newLeaves) {
    if (newLeaves.size() != leafCount()) {
      throw new IllegalArgumentException("Tree.withLeaves: expected " + leafCount() + " leaves, got " + newLeaves.size());
    }
    java.util.Iterator<Tensor> it = newLeaves.iterator();
    Tree t = map(old -> {
      Tensor n = it.next();
      if (!n.sameShape(old)) {
        throw new ShapeException("Tree.withLeaves: a leaf of shape " + old.shape() + " was given " + n.shape());
      }
      return n;
    });
    return t;
  }

  /** Leaf by leaf this + other. */
  public Tree plus(Tree other) {
    return zip(other, Tensor::add);
  }

  /** Leaf by leaf this − other. */
  public Tree minus(Tree other) {
    return zip(other, Tensor::sub);
  }

  /** Every leaf times s. */
  public Tree times(double s) {
    return map(t -> t.mul(s));
  }

  /** Every leaf times the 1×1 tensor s (differentiable in s). */
  public Tree times(Tensor s) {
    return map(t -> t.mul(s));
  }

  /** The sum of squares of all entries (1×1). */
  public Tensor sumSquares() {
    return leaves().map(Tensor::sumSquares).reduceOption(Tensor::add).getOrElse(() -> Tensor.scalar(0));
  }

  /** The Euclidean norm of all entries together (1×1). */
  public Tensor norm() {
    return sumSquares().sqrt();
  }

  /** Σ this ⊙ other over all entries (1×1). */
  public Tensor dot(Tree other) {
    return zip(other, (a, b) -> a.mul(b).sum()).leaves().reduceOption(Tensor::add).getOrElse(() -> Tensor.scalar(0));
  }

  /** Whether every entry of every leaf is finite. */
  public boolean allFinite() {
    return leaves().forAll(Tensor::allFinite);
  }

  /** The same values with no derivative through them. */
  public Tree detach() {
    return map(Tensor::detach);
  }

  /** A tree of zeros with this structure. */
  public Tree zerosLike() {
    return map(t -> Tensor.zeros(t.rows(), t.cols()));
  }

  /** All entries stacked into one column (size×1), leaves in order, each row-major. */
  public Tensor flatten() {
    List<Tensor> ls = leaves();
    if (ls.isEmpty()) {
      throw new IllegalStateException("Tree.flatten: the tree has no leaves");
    }
    return Tensor.concatRows(ls.map(t -> t.reshape(t.size(), 1)).toJavaArray(Tensor[]::new));
  }

  /** A tree of this structure whose entries come from a size×1 column, as {@link #flatten} lays them out. */
  public Tree unflatten(Tensor column) {
    if (column.cols() != 1 || column.rows() != size()) {
      throw new ShapeException("Tree.unflatten: expected a " + size() + "×1 column for a tree of " + size()
          + " entries, got " + column.shape());
    }
    int[] at = {0};
    return map(old -> {
      Tensor part = column.sliceRows(at[0], at[0] + old.size()).reshape(old.rows(), old.cols());
      at[0] += old.size();
      return part;
    });
  }

  /** The entries as a map from path to tensor, in order. */
  public Map<String, Tensor> toMap() {
    return LinkedHashMap.ofEntries(paths().zip(leaves()));
  }

  @Override
  public String toString() {
    if (leaf != null) return leaf.shape();
    return children.map((k, v) -> new Tuple2<>(k, k + ": " + v)).values().mkString("{", ", ", "}");
  }
}
