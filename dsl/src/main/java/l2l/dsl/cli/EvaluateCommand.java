package l2l.dsl.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code l2l evaluate}: run trained optimizers on held-out tasks of a problem. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class, sortOptions = false, usageHelpAutoWidth = true,
    description = {"Load trained optimizer files and run them on held-out test tasks of a problem (by default the one"
        + " they were trained on; another problem tests transfer).", "",
        "Writes table.txt, curves.csv, curves.json and loss.png into --out and prints the table.", ""},
    footer = {"", "Examples:", "  l2l evaluate runs/quad/optimizer.json", "  l2l evaluate --pretrained quadratic",
        "  l2l evaluate runs/mnist/optimizer.json --problem mnist-relu --steps 200 --out results/transfer"})
final class EvaluateCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "FILE", arity = "0..*", description = "Trained optimizer files (from 'l2l train').")
  java.util.List<Path> files = new java.util.ArrayList<>();

  @Mixin
  TestOptions test = new TestOptions();

  @Mixin
  RunOptions run = new RunOptions();

  @Override
  public Integer call() {
    io.vavr.collection.List<CompareCommand.Plan> plans = CompareCommand.prepare(spec, files, test,
        java.util.List.of("none"), 1, "1");
    run.validate(spec);
    run.apply();
    CompareCommand.executeAll(plans, test.out, run.progress, spec.commandLine().getOut(), Evaluator.Runner.HERE);
    return 0;
  }
}
