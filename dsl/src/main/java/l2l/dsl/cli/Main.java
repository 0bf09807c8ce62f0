package l2l.dsl.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import l2l.dsl.io.L2lFileException;
import l2l.dsl.io.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code l2l} command: meta-train learned optimizers, evaluate and compare them with tuned
 * baselines, apply them to themselves, and time meta-training. Every option is checked before
 * any work starts. Every error is one line on standard error: bad input — a usage error, or a bad
 * file of any kind (optimizer file, checkpoint, dataset: missing, unreadable or corrupt), whenever
 * it is found — exits with code 2; a failure during the work (e.g. meta-training diverged, a file
 * cannot be written) with code 1 (set {@code L2L_DEBUG=1} for the stack trace).
 */
@Command(name = "l2l", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
    sortOptions = false, usageHelpAutoWidth = true,
    description = {"Learning to learn by gradient descent by gradient descent: meta-train learned optimizers,"
        + " compare them with tuned baselines, apply them to themselves.", ""},
    subcommands = {TrainCommand.class, EvaluateCommand.class, CompareCommand.class, SelfTrainCommand.class,
        EstimatorsCommand.class, BenchCommand.class, DemoCommand.class, ProblemsCommand.class, WorkerCommand.class,
        CommandLine.HelpCommand.class},
    footer = {"", "Run 'l2l COMMAND --help' for a command's options; 'l2l demo' runs the README's main job."})
public final class Main implements Runnable {
  /** Exit code of a failure during the work (meta-training diverged, a file cannot be written, …). */
  public static final int FAILED = 1;
  /** Exit code of bad input: a usage error, or a missing, unreadable or corrupt file of any kind (data included). */
  public static final int USAGE = 2;

  @Spec
  CommandSpec spec;

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    System.exit(execute(out, err, args));
  }

  /** Runs the command line with these streams; returns the exit code (0, {@link #FAILED} or {@link #USAGE}). */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cl = commandLine();
    cl.setOut(out);
    cl.setErr(err);
    int code = cl.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /** The configured picocli command line (one-line errors, exit codes). */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Main());
    cl.setParameterExceptionHandler((e, args) -> {
      CommandLine c = e.getCommandLine();
      String message = e.getMessage();
      if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
        String arg = u.getUnmatched().get(0);
        boolean option = arg.startsWith("-");
        boolean commands = !option && !c.getSubcommands().isEmpty();
        message = (option ? "unknown option '" : commands ? "unknown command '" : "unexpected argument '") + arg + "'"
            + (u.getSuggestions().isEmpty() ? "" : "; did you mean " + String.join(" or ", u.getSuggestions()) + "?")
            + (commands ? " (commands: " + String.join(", ", c.getSubcommands().keySet()) + ")" : "");
      }
      c.getErr().println(prefix(c) + ": " + oneLine(message) + " (see '" + c.getCommandSpec().qualifiedName()
          + " --help')");
      c.getErr().flush();
      return USAGE;
    });
    cl.setExecutionExceptionHandler((e, c, parseResult) -> {
      boolean known = e instanceof L2lFileException || e instanceof IllegalArgumentException
          || e instanceof IllegalStateException || e instanceof java.io.UncheckedIOException
          || e instanceof l2l.problems.data.DataException || e instanceof l2l.dsl.MetaTraining.DivergedException;
      String what = known && e.getMessage() != null ? e.getMessage()
          : "internal error: " + e.getClass().getName() + ": " + e.getMessage()
              + (System.getenv("L2L_DEBUG") == null ? " (set L2L_DEBUG=1 for the stack trace)" : "");
      c.getErr().println(prefix(c) + ": " + oneLine(what));
      if (System.getenv("L2L_DEBUG") != null) e.printStackTrace(c.getErr());
      c.getErr().flush();
      return e instanceof l2l.problems.data.DataException ? USAGE : FAILED;
    });
    // an Error passes picocli's handlers; running out of heap is the one a user can fix, so it gets its line
    cl.setExecutionStrategy(parseResult -> {
      try {
        return new CommandLine.RunLast().execute(parseResult);
      } catch (OutOfMemoryError e) {
        java.util.List<CommandLine> chain = parseResult.asCommandLineList();
        CommandLine c = chain.get(chain.size() - 1);
        c.getErr().println(prefix(c) + ": " + outOfMemory());
        c.getErr().flush();
        return FAILED;
      }
    });
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    return cl;
  }

  /** The one-line error of a run that ran out of heap: the heap it had and how to give it more. */
  static String outOfMemory() {
    double heap = Runtime.getRuntime().maxMemory();
    return String.format(Locale.ROOT, "out of memory: the Java heap of %s is too small for this run; give it more,"
        + " e.g. L2L_JAVA_OPTS=-Xmx8g dsl/bin/l2l … (a training run continues from its last checkpoint with --resume)",
        heap < 1e9 ? String.format(Locale.ROOT, "%.0f MB", heap / 1e6) : String.format(Locale.ROOT, "%.1f GB", heap / 1e9));
  }

  private static String prefix(CommandLine c) {
    return c.getCommandSpec().qualifiedName() + ": error";
  }

  static String oneLine(String s) {
    return s == null ? "(no message)" : s.replaceAll("\\s*\\R\\s*", " ").trim();
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** "l2l VERSION", the Java version and the VM. */
  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"l2l " + Version.l2l(), String.format(Locale.ROOT, "Java %s (%s)",
          System.getProperty("java.version"), System.getProperty("java.vm.name"))};
    }
  }
}
