package l2l.dsl.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import l2l.optimizers.learned.MetaGradient;
import l2l.dsl.io.OptimizerFile;
import l2l.dsl.io.TrainSettings;
import l2l.dsl.report.Fmt;
import l2l.dsl.Tuning;
import l2l.problems.Problem;
import l2l.problems.Problems;
import picocli.CommandLine.Model.CommandSpec;

/** Turning option values into checked inputs, with usage errors that name the option. */
final class Inputs {
  private Inputs() {}

  /** The problem of a spec; an unknown name lists the known ones. */
  static Problem problem(CommandSpec spec, String text) {
    return Usage.check(spec, "--problem", () -> Problems.parse(text));
  }

  /** An optimizer spec. */
  static OptimizerSpecs.Parsed optimizer(CommandSpec spec, String option, String text) {
    return Usage.check(spec, option, () -> OptimizerSpecs.parse(text));
  }

  /** A trained optimizer file, loaded and checked. */
  static OptimizerFile optimizerFile(CommandSpec spec, Path file) {
    return Usage.check(spec, "", () -> OptimizerFile.load(file));
  }

  /** A positive count. */
  static void positive(CommandSpec spec, String option, long value) {
    Usage.require(spec, value >= 1, option + " must be at least 1, got " + value);
  }

  /**
   * A learning-rate grid: {@code LO:HI} (half decades from LO to HI, as the paper) or a list of
   * values joined with ','.
   */
  static double[] lrGrid(CommandSpec spec, String text) {
    String t = text.trim();
    try {
      if (t.contains(":")) {
        String[] p = t.split(":");
        Usage.require(spec, p.length == 2, "--lr-grid LO:HI takes two numbers, got '" + text + "'");
        double lo = Double.parseDouble(p[0]), hi = Double.parseDouble(p[1]);
        Usage.require(spec, lo > 0 && hi >= lo && Double.isFinite(hi), "--lr-grid " + text
            + ": learning rates must be positive with LO ≤ HI");
        return Tuning.halfDecades(lo, hi);
      }
      String[] p = t.split(",");
      double[] g = new double[p.length];
      for (int i = 0; i < p.length; i++) {
        g[i] = Double.parseDouble(p[i].trim());
        Usage.require(spec, g[i] > 0 && Double.isFinite(g[i]), "--lr-grid: every learning rate must be a positive"
            + " number, got " + Fmt.g(g[i]));
      }
      return g;
    } catch (NumberFormatException e) {
      throw Usage.error(spec, "--lr-grid must be LO:HI (e.g. 1e-4:10) or numbers joined with ',', got '" + text + "'");
    }
  }

  /** An output folder: created if needed; an existing file or an unwritable folder is a usage error. */
  static Path outputFolder(CommandSpec spec, String option, Path dir) {
    try {
      Usage.require(spec, !Files.exists(dir) || Files.isDirectory(dir), option + " " + dir + " is a file, not a folder");
      Files.createDirectories(dir);
      Usage.require(spec, Files.isWritable(dir), option + " " + dir + " is not writable");
      return dir;
    } catch (IOException e) {
      throw Usage.error(spec, option + " " + dir + " cannot be created: " + e.getMessage());
    }
  }
}
