package l2l.dsl.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import l2l.dsl.io.AtomicFiles;
import l2l.dsl.io.OptimizerFile;
import l2l.dsl.io.RunLock;
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
    return problem(spec, "--problem", text);
  }

  /** The problem of a spec given to {@code option}. */
  static Problem problem(CommandSpec spec, String option, String text) {
    return Usage.check(spec, option, () -> Problems.parse(text));
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

  /**
   * An output folder: created if needed; an existing file, an unwritable folder or one that cannot
   * be created is a usage error saying why.
   */
  static Path outputFolder(CommandSpec spec, String option, Path dir) {
    Usage.require(spec, !Files.exists(dir) || Files.isDirectory(dir), option + " " + dir + " is a file, not a folder");
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      Path p = dir.toAbsolutePath().getParent();
      while (p != null && !Files.exists(p)) p = p.getParent();
      throw Usage.error(spec, option + " " + dir + " cannot be created: " + (p != null && !Files.isDirectory(p)
          ? p + " is a file, not a folder" : AtomicFiles.describe(e)));
    }
    Usage.require(spec, Files.isWritable(dir), option + " " + dir + " is not writable (permission denied)");
    return dir;
  }

  /** Locks a run's folder for this command; a folder in use by a live run is a usage error naming its process. */
  static RunLock lock(CommandSpec spec, String option, Path folder) {
    try {
      return RunLock.acquire(folder, spec.qualifiedName());
    } catch (RunLock.Busy e) {
      throw Usage.error(spec, option + " " + e.getMessage());
    }
  }
}
