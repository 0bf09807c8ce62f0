package l2l.problems.data;

import static l2l.problems.data.TestFiles.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache fetches once, atomically, and says what to do when it cannot. */
class DataCacheTest {

  @TempDir Path root;

  private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
  private final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);

  /** A source of files a and b that counts its fetches and can fail after writing a. */
  private static final class FakeSource implements DataSource {
    final AtomicInteger fetches = new AtomicInteger();
    final boolean fail;
    final boolean forgetB;
    volatile CountDownLatch started;
    volatile CountDownLatch release;

    FakeSource(boolean fail, boolean forgetB) {
      this.fail = fail;
      this.forgetB = forgetB;
    }

    @Override
    public String description() {
      return "the fake dataset";
    }

    @Override
    public List<String> files() {
      return List.of("a", "b");
    }

    @Override
    public String manualSteps(Path dir) {
      return "  cp a b " + dir + "/";
    }

    @Override
    public void fetchInto(Path out, Path work) throws IOException, InterruptedException {
      fetches.incrementAndGet();
      Files.writeString(work.resolve("download.tgz"), "scratch");
      Files.writeString(out.resolve("a"), "A");
      if (started != null) {
        started.countDown();
        release.await();
      }
      if (fail) {
        throw new IOException("network unreachable");
      }
      if (!forgetB) {
        Files.writeString(out.resolve("b"), "B");
      }
    }
  }

  private DataCache cache() {
    return DataCache.at(root).withLog(log);
  }

  private List<String> rootEntries() throws IOException {
    try (Stream<Path> s = Files.list(root)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void fetchesOnceThenUsesTheFolder() throws Exception {
    FakeSource src = new FakeSource(false, false);
    Path dir = cache().ensure("fake", src);
    assertEquals(root.resolve("fake"), dir);
    assertEquals("A", Files.readString(dir.resolve("a")));
    assertEquals(List.of("a", "b"), Files.list(dir).map(p -> p.getFileName().toString())
        .sorted().toList());
    assertEquals(dir, cache().ensure("fake", src));
    assertEquals(1, src.fetches.get());
    assertEquals(List.of("fake"), rootEntries());
    String printed = logBytes.toString(StandardCharsets.UTF_8);
    assertContains(printed, "l2l: fetching the fake dataset into " + dir,
        "l2l: fetched the fake dataset in ");
  }

  @Test
  void filesPlacedByHandNeedNoFetch() throws Exception {
    Files.createDirectories(root.resolve("fake"));
    Files.writeString(root.resolve("fake/a"), "mine");
    Files.writeString(root.resolve("fake/b"), "mine");
    FakeSource src = new FakeSource(true, false);
    cache().ensure("fake", src);
    assertEquals(0, src.fetches.get());
    assertEquals("", logBytes.toString(StandardCharsets.UTF_8));
  }

  @Test
  void failedFetchLeavesNothingAndSaysWhatToRunByHand() throws Exception {
    FakeSource src = new FakeSource(true, false);
    DataFetchException e = assertThrows(DataFetchException.class,
        () -> cache().ensure("fake", src));
    assertContains(e.getMessage(), "could not fetch the fake dataset into " + root.resolve("fake"),
        "network unreachable", "To place the files by hand, run:",
        "cp a b " + root.resolve("fake"));
    assertEquals(List.of(), rootEntries());
  }

  @Test
  void fetchThatForgetsAFileIsNotTakenForComplete() throws Exception {
    DataFetchException e = assertThrows(DataFetchException.class,
        () -> cache().ensure("fake", new FakeSource(false, true)));
    assertContains(e.getMessage(), "without producing b");
    assertEquals(List.of(), rootEntries());
  }

  @Test
  void aRootHoldingTheFilesItselfIsRefusedNamingBothFoldersWithoutFetching() throws Exception {
    Files.writeString(root.resolve("a"), "A");
    Files.writeString(root.resolve("b"), "B");
    FakeSource src = new FakeSource(false, false);
    DataFormatException e = assertThrows(DataFormatException.class,
        () -> cache().ensure("fake", src));
    assertEquals(root + ": holds a, b of the fake dataset, which must be in " + root.resolve("fake")
        + ": set L2L_DATA (or -Dl2l.data) to the folder that holds fake/", e.getMessage());
    assertEquals(0, src.fetches.get());
    assertEquals(List.of("a", "b"), rootEntries());
  }

  @Test
  void incompleteFolderIsReportedNotRefetched() throws Exception {
    Files.createDirectories(root.resolve("fake"));
    Files.writeString(root.resolve("fake/a"), "A");
    FakeSource src = new FakeSource(false, false);
    DataFetchException e = assertThrows(DataFetchException.class,
        () -> cache().ensure("fake", src));
    assertContains(e.getMessage(), root.resolve("fake") + " exists but lacks b",
        "Delete the folder", "cp a b");
    assertEquals(0, src.fetches.get());
    assertEquals(List.of("b"), cache().missing("fake", src.files()));
  }

  @Test
  void aFetchKilledMidwayLeavesOnlyATemporaryFolderThatIsLaterRemoved() throws Exception {
    Path stale = Files.createDirectories(root.resolve(".fetch-fake-123/out"));
    Files.writeString(stale.resolve("a"), "half");
    Files.setLastModifiedTime(root.resolve(".fetch-fake-123"),
        FileTime.from(Instant.now().minusSeconds(7200)));
    assertEquals(List.of("a", "b"), cache().missing("fake", List.of("a", "b")));
    cache().ensure("fake", new FakeSource(false, false));
    assertEquals(List.of("fake"), rootEntries());
    Path again = Files.createDirectories(root.resolve(".fetch-fake-456"));
    Path young = Files.createDirectories(root.resolve(".fetch-fake-789"));
    Files.setLastModifiedTime(again, FileTime.from(Instant.now().minusSeconds(7200)));
    cache().ensure("fake", new FakeSource(true, false));
    assertEquals(List.of(".fetch-fake-789", "fake"), rootEntries(), "a young one may be running");
    Files.delete(young);
  }

  @Test
  void concurrentCallersShareOneFetch() throws Exception {
    FakeSource src = new FakeSource(false, false);
    src.started = new CountDownLatch(1);
    src.release = new CountDownLatch(1);
    Thread first = new Thread(() -> cache().ensure("fake", src));
    first.start();
    src.started.await();
    assertFalse(Files.exists(root.resolve("fake")), "nothing is in place mid-fetch");
    Thread second = new Thread(() -> cache().ensure("fake", src));
    second.start();
    src.release.countDown();
    first.join();
    second.join();
    assertEquals(1, src.fetches.get());
    assertTrue(cache().missing("fake", src.files()).isEmpty());
  }

  @Test
  void rootFollowsThePropertyThenTheEnvironment() {
    String old = System.getProperty(DataCache.PROPERTY);
    try {
      System.setProperty(DataCache.PROPERTY, root.toString());
      assertEquals(root.toAbsolutePath(), DataCache.standard().root());
      System.clearProperty(DataCache.PROPERTY);
      String env = System.getenv(DataCache.ENV);
      Path expected = env != null && !env.isBlank() ? Path.of(env)
          : Path.of(System.getProperty("user.home"), ".cache", "l2l");
      assertEquals(expected, DataCache.configuredRoot());
    } finally {
      if (old == null) {
        System.clearProperty(DataCache.PROPERTY);
      } else {
        System.setProperty(DataCache.PROPERTY, old);
      }
    }
  }

  @Test
  void datasetNamesCannotEscapeTheRoot() {
    assertThrows(IllegalArgumentException.class, () -> cache().dir("../x"));
    assertThrows(IllegalArgumentException.class, () -> cache().dir(".fetch-x"));
  }
}
