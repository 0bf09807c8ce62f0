package l2l.dsl;

/**
 * Deterministic seeds for streams of tasks: {@code derive(seed, "train", epoch)} gives the task of
 * a training epoch, other stream names give disjoint families (held-out validation, test).
 */
public final class Seeds {
  private Seeds() {}

  /** A well-mixed 64-bit seed from a base seed, a stream name and an index. */
  public static long derive(long seed, String stream, long index) {
    long h = mix(seed ^ 0x9E3779B97F4A7C15L);
    for (int i = 0; i < stream.length(); i++) h = mix(h ^ stream.charAt(i));
    return mix(h ^ mix(index + 0x632BE59BD9B4E019L));
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
