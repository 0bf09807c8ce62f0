package l2l.dsl.cli;

import java.util.concurrent.Callable;
import l2l.problems.Problems;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code l2l problems}: the known problems and their options. */
@Command(name = "problems", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
    description = {"List the problems a --problem option takes, with their options and defaults.",
        "A spec is NAME or NAME:key=value,key=value (e.g. quadratic:batch=64,dim=20 or mnist:hidden=40)."})
final class ProblemsCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getOut().println(Problems.help());
    return 0;
  }
}
