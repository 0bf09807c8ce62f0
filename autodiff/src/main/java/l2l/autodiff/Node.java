package l2l.autodiff;

/**
 * The record of one traced op: the tags it depends on, its inputs, and its vector-Jacobian
 * product. A variable node (the input of a differentiated function) has {@code variableOf}
 * set to its tag and, if the input was itself traced, that input as its single parent.
 */
final class Node {
  final Tag[] tags;
  final Tensor[] parents;
  final Vjp vjp;
  final Tag variableOf;
  final String op;
  final org.ejml.data.DMatrixRMaj value;

  Node(String op, org.ejml.data.DMatrixRMaj value, Tag[] tags, Tensor[] parents, Vjp vjp, Tag variableOf) {
    this.op = op;
    this.value = value;
    this.tags = tags;
    this.parents = parents;
    this.vjp = vjp;
    this.variableOf = variableOf;
  }

  /** The tensor this node computed. */
  Tensor output() {
    return new Tensor(value, this);
  }

  boolean has(Tag tag) {
    for (Tag t : tags) {
      if (t == tag) return true;
    }
    return false;
  }
}
