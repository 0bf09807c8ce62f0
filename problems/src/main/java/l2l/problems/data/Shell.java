package l2l.problems.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs an external command (npm, apt-get, dpkg-deb) for a fetch, with a time limit. */
final class Shell {

  /** Exit code and combined stdout+stderr of a finished command. */
  record Result(List<String> command, int exit, String output) {

    /** The command as one could type it. */
    String commandLine() {
      return String.join(" ", command);
    }

    /** The last {@code n} lines of the output, indented. */
    String tail(int n) {
      List<String> lines = output.strip().lines().toList();
      List<String> last = lines.subList(Math.max(0, lines.size() - n), lines.size());
      return last.isEmpty() ? "  (no output)" : "  " + String.join("\n  ", last);
    }
  }

  private Shell() {}

  /**
   * Runs {@code command} in {@code dir} and returns its result, whatever its exit code.
   *
   * @throws DataFetchException if the program is not found or does not finish within
   *     {@code timeout}
   */
  static Result run(Path dir, Duration timeout, String... command) throws InterruptedException {
    List<String> cmd = List.of(command);
    Process p;
    try {
      p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    } catch (IOException e) {
      throw new DataFetchException("cannot run `" + String.join(" ", cmd) + "`: " + command[0]
          + " is not installed or not on the PATH (" + e.getMessage() + ")", e);
    }
    StringBuilder out = new StringBuilder();
    Thread reader = new Thread(() -> {
      try (InputStream in = p.getInputStream()) {
        byte[] buf = new byte[8192];
        for (int n; (n = in.read(buf)) > 0; ) {
          synchronized (out) {
            out.append(new String(buf, 0, n, StandardCharsets.UTF_8));
          }
        }
      } catch (IOException ignored) {
        // the process ended; what was read is kept
      }
    }, "l2l-fetch-output");
    reader.setDaemon(true);
    reader.start();
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new DataFetchException("`" + String.join(" ", cmd) + "` did not finish within "
            + timeout.toSeconds() + " s and was stopped");
      }
      reader.join(10_000);
    } catch (InterruptedException e) {
      p.destroyForcibly();
      throw e;
    }
    synchronized (out) {
      return new Result(cmd, p.exitValue(), out.toString());
    }
  }

  /**
   * Runs {@code command} like {@link #run} and fails unless it exits with 0.
   *
   * @throws DataFetchException naming the command, its exit code, its last output lines and
   *     {@code hint} (may be empty)
   */
  static Result check(Path dir, Duration timeout, String hint, String... command)
      throws InterruptedException {
    Result r = run(dir, timeout, command);
    if (r.exit() != 0) {
      throw new DataFetchException("`" + r.commandLine() + "` failed with exit code " + r.exit()
          + " in " + dir + ":\n" + r.tail(12) + (hint.isEmpty() ? "" : "\n" + hint));
    }
    return r;
  }
}
