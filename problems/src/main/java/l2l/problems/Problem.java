package l2l.problems;

/** A distribution of tasks: {@code sample(seed)} draws one task, deterministically. */
public interface Problem {
  /** A short name with the settings, e.g. "quadratic(batch=128, dim=10)". */
  String name();

  /** The task drawn with this seed. */
  Task sample(long seed);
}
