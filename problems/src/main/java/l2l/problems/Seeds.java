package l2l.problems;

import java.util.SplittableRandom;

/**
 * Derives independent random streams from a task's seed and a path of integers (a purpose, a
 * step, ...), so that e.g. the minibatch of step t is a function of (seed, t) alone and never
 * depends on which other steps were drawn before.
 */
public final class Seeds {
  private Seeds() {}

  /** Stream of the initial parameters θ₀. */
  public static final long INIT = 1;
  /** Stream of a task's fixed data (e.g. the quadratic's W and y, a picture crop). */
  public static final long DATA = 2;
  /** Stream of the minibatch or noise of step t: path (STEP, t). */
  public static final long STEP = 3;

  /** A generator for (seed, path...): equal arguments give equal streams, different ones unrelated streams. */
  public static SplittableRandom rng(long seed, long... path) {
    long h = mix(seed ^ 0x6A09E667F3BCC909L);
    for (long p : path) h = mix(h + mix(p + 0x9E3779B97F4A7C15L));
    return new SplittableRandom(h);
  }

  /**
   * A well-mixed 64-bit seed from a base seed, a stream name and an index: e.g. the task of a
   * training epoch is {@code derive(seed, "train", epoch)}; other names give disjoint families
   * (held-out validation, test).
   */
  public static long derive(long seed, String stream, long index) {
    long h = mix(seed ^ 0x9E3779B97F4A7C15L);
    for (int i = 0; i < stream.length(); i++) h = mix(h ^ stream.charAt(i));
    return mix(h ^ mix(index + 0x632BE59BD9B4E019L));
  }

  /** SplitMix64's finaliser: a bijective 64-bit mixer. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
