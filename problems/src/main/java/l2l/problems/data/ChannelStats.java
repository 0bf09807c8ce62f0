package l2l.problems.data;

import java.util.Arrays;

/**
 * Per-channel mean and standard deviation of pixel values in [0, 1] units, used to standardize a
 * batch: {@code (value - mean[c]) / std[c]}. Immutable: the arrays are copied in and out.
 *
 * @param mean mean of each channel
 * @param std standard deviation of each channel, each positive
 */
public record ChannelStats(double[] mean, double[] std) {

  /** Validates (same length, finite means, positive finite deviations) and copies. */
  public ChannelStats {
    mean = mean.clone();
    std = std.clone();
    if (mean.length != std.length || mean.length == 0) {
      throw new IllegalArgumentException("need one mean and one std per channel, got "
          + mean.length + " means and " + std.length + " stds");
    }
    for (int c = 0; c < mean.length; c++) {
      if (!Double.isFinite(mean[c]) || !(std[c] > 0) || !Double.isFinite(std[c])) {
        throw new IllegalArgumentException("channel " + c + ": mean " + mean[c] + ", std "
            + std[c] + " (need a finite mean and a positive finite std)");
      }
    }
  }

  /** The same statistics for every one of {@code channels} channels. */
  public static ChannelStats uniform(int channels, double mean, double std) {
    double[] m = new double[channels];
    double[] s = new double[channels];
    Arrays.fill(m, mean);
    Arrays.fill(s, std);
    return new ChannelStats(m, s);
  }

  /** A copy of the means. */
  @Override
  public double[] mean() {
    return mean.clone();
  }

  /** A copy of the standard deviations. */
  @Override
  public double[] std() {
    return std.clone();
  }

  /** Number of channels. */
  public int channels() {
    return mean.length;
  }

  /** Mean of channel {@code c}. */
  public double mean(int c) {
    return mean[c];
  }

  /** Standard deviation of channel {@code c}. */
  public double std(int c) {
    return std[c];
  }

  /** Equal when both arrays are equal element by element. */
  @Override
  public boolean equals(Object o) {
    return o instanceof ChannelStats s && Arrays.equals(mean, s.mean) && Arrays.equals(std, s.std);
  }

  /** Consistent with {@link #equals(Object)}. */
  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
  }

  /** E.g. {@code ChannelStats[mean=[0.1307], std=[0.3081]]}. */
  @Override
  public String toString() {
    return "ChannelStats[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
  }
}
