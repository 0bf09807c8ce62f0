package l2l.dsl.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the command line in this JVM and captures what it prints. */
record Cli(int code, String out, String err) {
  static Cli run(String... args) {
    StringWriter out = new StringWriter(), err = new StringWriter();
    int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Cli(code, out.toString(), err.toString());
  }

  /** Tiny meta-training settings for tests (a few seconds). */
  static final String[] TINY = {"--problem", "quadratic:batch=8,dim=5", "--hidden", "6x6", "--horizon", "20", "--unroll", "5",
      "--evaluation-tasks", "3", "--progress", "none", "--threads", "2"};

  /** "train" with the tiny settings. */
  static String[] train() {
    return with(new String[] {"train"}, TINY);
  }

  static String[] with(String[] base, String... more) {
    String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }

  @Override
  public String toString() {
    return "exit " + code + "\n--- out\n" + out + "--- err\n" + err;
  }
}
