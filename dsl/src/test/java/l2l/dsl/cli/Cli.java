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

  /** The command that runs l2l with these arguments in a new JVM of this test's classpath, with these JVM options. */
  static java.util.List<String> inNewJvm(java.util.List<String> jvmOptions, String... args) {
    java.util.List<String> cmd = new java.util.ArrayList<>();
    cmd.add(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    cmd.addAll(java.util.List.of("--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
        Main.class.getName()));
    cmd.addAll(java.util.List.of(args));
    return cmd;
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
