package l2l.autodiff;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One level of differentiation: every call of a function made by {@link Autodiff#grad} gets a
 * fresh tag, and every traced tensor records the tags it depends on. A tag dies when its
 * backward pass starts; ops never record dead tags, so the backward pass of a level builds
 * graph only for the levels around it.
 */
final class Tag {
  private static final AtomicLong COUNTER = new AtomicLong();
  static final Tag[] NONE = new Tag[0];

  final long id = COUNTER.incrementAndGet();
  private volatile boolean live = true;

  boolean live() {
    return live;
  }

  void kill() {
    live = false;
  }

  /** The live tags of all the given tensors' nodes, sorted by id, without duplicates. */
  static Tag[] liveUnion(Tensor[] tensors) {
    Tag[] acc = NONE;
    for (Tensor t : tensors) {
      Node n = t.node;
      if (n != null) {
        acc = merge(acc, n.tags);
      }
    }
    return acc;
  }

  static Tag[] merge(Tag[] a, Tag[] b) {
    int liveB = 0;
    for (Tag t : b) {
      if (t.live) liveB++;
    }
    if (liveB == 0 || a == b) {
      return a;
    }
    if (a.length == 0 && liveB == b.length) {
      return b;
    }
    Tag[] out = new Tag[a.length + liveB];
    int i = 0, j = 0, k = 0;
    while (i < a.length || j < b.length) {
      if (j < b.length && !b[j].live) {
        j++;
        continue;
      }
      if (j >= b.length || (i < a.length && a[i].id < b[j].id)) {
        out[k++] = a[i++];
      } else if (i >= a.length || b[j].id < a[i].id) {
        out[k++] = b[j++];
      } else {
        out[k++] = a[i++];
        j++;
      }
    }
    return k == out.length ? out : java.util.Arrays.copyOf(out, k);
  }
}
