package l2l.dsl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import l2l.problems.data.DataCache;
import l2l.problems.data.Datasets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Wrong flags, unknown names and impossible settings: one line on standard error, exit code 2,
 * and no work done (nothing printed on standard output, no run folder written).
 */
class UsageErrorTest {
  @TempDir
  Path dir;

  private Cli refused(String expected, String... args) {
    Cli r = Cli.run(args);
    assertEquals(Main.USAGE, r.code(), r.toString());
    assertEquals(1, r.err().lines().count(), "one line: " + r.err());
    assertTrue(r.err().contains(expected), "expected '" + expected + "' in: " + r.err());
    assertEquals("", r.out(), "no work starts");
    return r;
  }

  private String out() {
    return dir.resolve("run").toString();
  }

  @Test
  void anUnknownFlagIsAUsageError() {
    refused("--epoch", "train", "--epoch", "5", "--out", out());
    refused("unknown command 'frobnicate'", "frobnicate");
    refused("unknown option '--epoch'", "train", "--epoch", "5");
  }

  @Test
  void anUnknownProblemListsTheKnownOnes() {
    Cli r = refused("unknown problem 'quadratc'", "train", "--problem", "quadratc", "--out", out());
    assertTrue(r.err().contains("quadratic") && r.err().contains("mnist"), r.err());
    refused("no option", "train", "--problem", "quadratic:size=3", "--out", out());
    refused("unknown problem", "compare", "--problem", "nope", "--out", out());
    refused("--validate-on: unknown problem 'nope'", "train", "--validate-on", "nope", "--out", out());
  }

  @Test
  void anUnrollLongerThanTheHorizonIsRefused() {
    refused("--unroll 50 is longer than --horizon 20", "train", "--horizon", "20", "--unroll", "50", "--out", out());
    assertFalse(Files.exists(dir.resolve("run").resolve("checkpoint.json")));
  }

  @Test
  void aWidthOfZeroIsRefused() {
    refused("width 0", "train", "--hidden", "20x0", "--out", out());
    refused("width 0", "train", "--hidden", "0", "--out", out());
    refused("--hidden must be widths", "train", "--hidden", "big", "--out", out());
  }

  @Test
  void aNegativeOrZeroLearningRateIsRefused() {
    refused("learning rate must be a positive number", "train", "--meta-optimizer", "adam:lr=-0.1", "--out", out());
    refused("learning rate must be a positive number", "train", "--meta-optimizer", "sgd:lr=0", "--out", out());
    refused("learning rates must be positive", "compare", "--lr-grid", "-1:1", "--out", out());
    refused("every learning rate must be a positive number", "compare", "--lr-grid", "0.1,-3", "--out", out());
    refused("unknown optimizer 'adamm'", "train", "--meta-optimizer", "adamm", "--out", out());
    refused("needs lr=VALUE", "train", "--meta-optimizer", "sgd", "--out", out());
  }

  @Test
  void aCurriculumThatIsNotHorizonColonEpochInIncreasingEpochsIsRefused() {
    refused("--curriculum: expected H:E,… (horizon H until epoch E), got '20'", "train", "--curriculum", "20",
        "--out", out());
    refused("a curriculum's stages must end at increasing epochs", "train", "--curriculum", "20:100,50:50",
        "--out", out());
    refused("must not be longer than the horizon", "train", "--curriculum", "10:100", "--out", out());
  }

  @Test
  void aPolyakDecayOutsideZeroToOneANegativeHyperAndARescaleBelowOneAreRefused() {
    refused("average must be a decay in [0, 1), got 1", "train", "--meta-optimizer", "adam:average=1", "--out", out());
    refused("hyper must be a finite number ≥ 0, got -1", "train", "--meta-optimizer", "adam:hyper=-1", "--out", out());
    refused("rescale must be a finite number ≥ 1, got 0.1", "train", "--problem", "quadratic:rescale=0.1", "--out", out());
  }

  @Test
  void aBaseStepOtherThanNagOrAdamWithAPositiveRateAMomentumBelowOneAKnownCombinationAndAHyperAtLeastZeroIsRefused() {
    refused("--base must be none or nag|adam:lr=LR[,momentum=M][,combine=add|scale|accumulate][,hyper=BETA], got 'rmsprop:lr=0.1'", "train",
        "--base", "rmsprop:lr=0.1", "--out", out());
    refused("--base needs lr > 0, got 0.0", "train", "--base", "nag:lr=0", "--out", out());
    refused("--base needs lr > 0, got none", "train", "--base", "adam:momentum=0.5", "--out", out());
    refused("momentum must be in [0, 1), got 1.0", "train", "--base", "nag:lr=1,momentum=1", "--out", out());
    refused("--base lr must be a number, got 'fast'", "train", "--base", "nag:lr=fast", "--out", out());
    refused("--base combine must be add, scale or accumulate, got 'mul'", "train", "--base", "nag:lr=1,combine=mul", "--out", out());
    refused("hypergradient β must be a finite number ≥ 0, got -0.1", "train", "--base", "adam:lr=1,hyper=-0.1", "--out", out());
  }

  @Test
  void anUnknownMetaGradientModeIsRefused() {
    refused("unknown --meta-gradient 'third-order'", "train", "--meta-gradient", "third-order", "--out", out());
  }

  @Test
  void badCountsAreRefused() {
    refused("--epochs must be ≥ 0", "train", "--epochs", "-1", "--out", out());
    refused("--checkpoint-every must be at least 1", "train", "--checkpoint-every", "0", "--out", out());
    refused("--threads must be at least 1", "train", "--threads", "0", "--out", out());
    refused("'many' is not an int", "train", "--epochs", "many", "--out", out());
    refused("--tasks must be at least 1", "compare", "--tasks", "0", "--out", out());
    refused("unknown baseline 'lbfgs'", "compare", "--baselines", "sgd,lbfgs", "--out", out());
    refused("--preprocess", "train", "--preprocess", "log-and-sign:-2", "--out", out());
    refused("unknown --mode", "self-train", "--mode", "sideways", "--out", out());
    refused("needs --optimizer", "self-train", "--out", out());
  }

  @Test
  void anUnreadableOrCorruptOptimizerFileIsRefusedNamingIt() throws Exception {
    Path missing = dir.resolve("missing.json");
    refused(missing + ": no such file", "evaluate", missing.toString(), "--out", out());
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "{\"format\": \"l2l-learned-optimizer\", \"version\": 1, \"sha2");
    refused(bad + ": is truncated", "compare", bad.toString(), "--out", out());
    refused("no such file", "self-train", "--optimizer", missing.toString(), "--out", out());
    refused("no such file", "train", "--meta-optimizer", "file:" + missing, "--out", out());
    refused("--resume", "train", "--resume", dir.resolve("nothing").toString());
  }

  @Test
  void aCorruptDatasetExitsWithTheCodeOfEveryOtherBadFile() throws Exception {
    Path mnist = Files.createDirectories(dir.resolve("data").resolve(Datasets.MNIST));
    for (String f : Datasets.MNIST_FILES) Files.writeString(mnist.resolve(f), "not IDX");
    String keep = System.getProperty(DataCache.PROPERTY);
    System.setProperty(DataCache.PROPERTY, dir.resolve("data").toString());
    try {
      Cli r = Cli.run("compare", "--problem", "mnist", "--baselines", "sgd", "--lr-grid", "0.1", "--tasks", "1",
          "--tuning-tasks", "1", "--steps", "1", "--out", out(), "--progress", "none");
      assertEquals(Main.USAGE, r.code(), r.toString());
      assertEquals(1, r.err().lines().count(), r.err());
      assertTrue(r.err().contains(mnist.resolve("train-images-idx3-ubyte") + ": wrong magic number"), r.err());
    } finally {
      if (keep == null) System.clearProperty(DataCache.PROPERTY);
      else System.setProperty(DataCache.PROPERTY, keep);
    }
  }

  @Test
  void anOutputFolderThatCannotBeCreatedSaysWhy() throws Exception {
    Path file = Files.writeString(dir.resolve("plain"), "x");
    refused("--out " + file.resolve("run") + " cannot be created: " + file + " is a file, not a folder", "train",
        "--out", file.resolve("run").toString());
    if (Files.isDirectory(Path.of("/proc/self"))) {
      refused("--out /proc/l2l-run/x cannot be created: /proc/l2l-run: ", "train", "--out", "/proc/l2l-run/x");
    }
  }

  @Test
  void everyCommandExplainsEveryOptionInItsHelp() {
    CommandLine cl = Main.commandLine();
    for (CommandLine sub : cl.getSubcommands().values()) {
      for (OptionSpec o : sub.getCommandSpec().options()) {
        if (o.hidden()) continue;
        assertTrue(o.description().length > 0 && !String.join(" ", o.description()).isBlank(),
            sub.getCommandName() + " " + o.longestName() + " has no description");
      }
      if (sub.getCommandName().equals("help")) continue;
      Cli r = Cli.run(sub.getCommandName(), "--help");
      assertEquals(0, r.code(), r.toString());
      for (OptionSpec o : sub.getCommandSpec().options()) {
        if (!o.hidden()) assertTrue(r.out().contains(o.longestName()), sub.getCommandName() + " --help lacks " + o.longestName());
      }
    }
  }
}
