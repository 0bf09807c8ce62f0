package l2l.dsl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import l2l.dsl.io.RunLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run's folder belongs to one run at a time: a second run or a resume of a folder whose run is
 * going is refused naming that process, and temporary files a killed write left are removed when
 * a run starts or resumes there.
 */
class RunFolderTest {
  @TempDir
  Path dir;

  /** Another process: holds a folder's run lock until its standard input closes, or for 60 s at most. */
  public static final class Holder {
    public static void main(String[] args) throws Exception {
      try (RunLock lock = RunLock.acquire(Path.of(args[0]), "test holder")) {
        System.out.println("locked");
        System.out.flush();
        Thread reader = new Thread(() -> {
          try {
            while (System.in.read() >= 0) {
              // until the test closes the pipe
            }
          } catch (java.io.IOException ignored) {
            // the pipe is gone: stop
          }
        });
        reader.setDaemon(true);
        reader.start();
        reader.join(60_000);
      }
    }
  }

  private static Process hold(Path folder) throws Exception {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), Holder.class.getName(), folder.toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
    assertEquals("locked", line, "the holder took the lock");
    return p;
  }

  private static String[] train(Path out) {
    return Cli.with(Cli.train(), "--epochs", "2", "--out", out.toString());
  }

  @Test
  void aRunOrResumeOfAFolderWhoseRunIsGoingIsRefusedNamingItsProcess() throws Exception {
    Path run = dir.resolve("run");
    assertEquals(0, Cli.run(train(run)).code());
    Process holder = hold(run);
    try {
      for (String[] args : new String[][] {train(run), {"train", "--resume", run.toString(), "--progress", "none"}}) {
        Cli r = Cli.run(args);
        assertEquals(Main.USAGE, r.code(), r.toString());
        assertTrue(r.err().contains(run + " is in use by another l2l run (pid " + holder.pid() + ", test holder"), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
      }
    } finally {
      holder.getOutputStream().close();
      if (!holder.waitFor(30, TimeUnit.SECONDS)) holder.destroyForcibly();
    }
    Cli resumed = Cli.run("train", "--resume", run.toString(), "--epochs", "3", "--progress", "none");
    assertEquals(0, resumed.code(), "the lock went with its process: " + resumed);
  }

  @Test
  void ofTwoRunsStartedTogetherIntoOneFolderOneRunsAndTheOtherIsRefused() throws Exception {
    Path out = dir.resolve("same");
    CyclicBarrier start = new CyclicBarrier(2);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      java.util.List<Future<Cli>> runs = pool.invokeAll(java.util.List.of(() -> {
        start.await();
        return Cli.run(train(out));
      }, () -> {
        start.await();
        return Cli.run(train(out));
      }));
      Cli a = runs.get(0).get(), b = runs.get(1).get();
      Cli ok = a.code() == 0 ? a : b, refused = a.code() == 0 ? b : a;
      assertEquals(0, ok.code(), a + "\n" + b);
      assertEquals(Main.USAGE, refused.code(), refused.toString());
      assertTrue(refused.err().contains("is in use by another l2l run") || refused.err().contains("already holds a run"),
          refused.err());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void temporaryFilesAKilledWriteLeftAreRemovedOnStartAndResumeAndNothingElse() throws Exception {
    Path run = dir.resolve("tmp");
    Files.createDirectories(run);
    Files.writeString(run.resolve(".optimizer.json.8214.tmp"), "{\"half");
    Cli a = Cli.run(Cli.with(Cli.train(), "--epochs", "3", "--checkpoint-every", "1", "--stop-after", "2", "--out",
        run.toString()));
    assertEquals(0, a.code(), a.toString());
    assertTrue(a.out().contains("removed 1 temporary file left by an interrupted write: .optimizer.json.8214.tmp"), a.out());
    assertFalse(Files.exists(run.resolve(".optimizer.json.8214.tmp")));
    String[] stale = {".checkpoint.json.4567.tmp", ".training.png.99.tmp"}, kept = {"notes.1.tmp", ".notes.tmp", "a.json"};
    for (String f : stale) Files.writeString(run.resolve(f), "x");
    for (String f : kept) Files.writeString(run.resolve(f), "x");
    Cli b = Cli.run("train", "--resume", run.toString(), "--progress", "none");
    assertEquals(0, b.code(), b.toString());
    assertTrue(b.out().contains("removed 2 temporary files"), b.out());
    for (String f : stale) assertFalse(Files.exists(run.resolve(f)), f);
    for (String f : kept) assertTrue(Files.exists(run.resolve(f)), f);
  }
}
