package l2l.dsl.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import l2l.dsl.report.Fmt;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of long work: a bar with a message (e.g. the current meta-loss and the best validation
 * loss) and the time left on a terminal; a line every few percent when output goes to a file or
 * a pipe; or nothing.
 */
public interface Progress extends AutoCloseable {
  /** How progress is shown. */
  enum Mode {
    /** A bar when standard output is a terminal, else lines. */
    AUTO,
    /** A bar on standard error (me.tongfei progressbar). */
    BAR,
    /** A line every few percent on standard output. */
    LINES,
    /** Nothing. */
    NONE
  }

  /** Sets how much is done (of the total) and the message shown with it. */
  void update(long done, String message);

  /** Prints a line of its own without breaking the bar. */
  void println(String line);

  /** Finishes the display. */
  @Override
  void close();

  /**
   * A progress display.
   *
   * @param mode how to show it
   * @param task the task's name, e.g. "train"
   * @param total the amount of work (e.g. epochs)
   * @param start how much was done before (a resumed run), not counted for the time left
   * @param out where lines go
   */
  static Progress create(Mode mode, String task, long total, long start, PrintWriter out) {
    Mode m = mode == Mode.AUTO ? (System.console() != null ? Mode.BAR : Mode.LINES) : mode;
    return switch (m) {
      case BAR -> new Bar(task, total, start, out);
      case LINES -> new Lines(task, total, start, out);
      default -> new Silent(out);
    };
  }

  /** The time left, from the pace since the start. */
  static String eta(long done, long start, long total, long startNanos) {
    long did = done - start;
    if (did <= 0) return "?";
    double perUnit = (System.nanoTime() - startNanos) / 1e9 / did;
    return Fmt.duration(perUnit * (total - done));
  }

  /** Prints nothing but the lines it is asked to. */
  final class Silent implements Progress {
    private final PrintWriter out;

    Silent(PrintWriter out) {
      this.out = out;
    }

    @Override
    public void update(long done, String message) {}

    @Override
    public void println(String line) {
      out.println(line);
      out.flush();
    }

    @Override
    public void close() {}
  }

  /** A line whenever another 5% is done (and at least every 10 s of a slow step, never more than once a second). */
  final class Lines implements Progress {
    private final String task;
    private final long total;
    private final long start;
    private final PrintWriter out;
    private final long t0 = System.nanoTime();
    private long lastPrinted = Long.MIN_VALUE;
    private long lastNanos = System.nanoTime();
    private long done;
    private String message = "";

    Lines(String task, long total, long start, PrintWriter out) {
      this.task = task;
      this.total = Math.max(1, total);
      this.start = start;
      this.out = out;
      this.done = start;
    }

    @Override
    public synchronized void update(long done, String message) {
      this.done = done;
      this.message = message;
      long step = Math.max(1, total / 20);
      long now = System.nanoTime();
      boolean first = lastPrinted == Long.MIN_VALUE;
      boolean newBucket = !first && done / step > lastPrinted / step && now - lastNanos >= 1_000_000_000L;
      boolean finished = done >= total && done != lastPrinted;
      boolean stale = now - lastNanos >= 10_000_000_000L;
      if (first || newBucket || finished || stale) print(now);
    }

    private void print(long now) {
      lastPrinted = done;
      lastNanos = now;
      out.println(String.format(Locale.ROOT, "[%s] %3d%% %d/%d  %s  elapsed %s, left %s", task, 100 * done / total, done,
          total, message, Fmt.duration((now - t0) / 1e9), Progress.eta(done, start, total, t0)));
      out.flush();
    }

    @Override
    public synchronized void println(String line) {
      out.println(line);
      out.flush();
    }

    @Override
    public synchronized void close() {
      if (done != lastPrinted) print(System.nanoTime());
    }
  }

  /** me.tongfei's progress bar on standard error. */
  final class Bar implements Progress {
    private final ProgressBar bar;
    private final PrintWriter out;

    Bar(String task, long total, long start, PrintWriter out) {
      this.out = out;
      PrintStream err = System.err;
      this.bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
          .setConsumer(new ConsoleProgressBarConsumer(err)).setUpdateIntervalMillis(250)
          .startsFrom(start, Duration.ZERO).setMaxRenderedLength(160).build();
    }

    @Override
    public synchronized void update(long done, String message) {
      bar.stepTo(done);
      bar.setExtraMessage(" " + message.replace("best validation", "best val"));
    }

    @Override
    public synchronized void println(String line) {
      System.err.print("\r\033[K");
      System.err.flush();
      out.println(line);
      out.flush();
    }

    @Override
    public synchronized void close() {
      bar.close();
    }
  }
}
