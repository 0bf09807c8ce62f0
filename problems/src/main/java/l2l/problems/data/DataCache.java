package l2l.problems.data;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * A folder of datasets, one sub-folder each, fetched on first use. The root is the system
 * property {@value #PROPERTY}, else the environment variable {@value #ENV}, else
 * {@code ~/.cache/l2l}. A fetch writes into a temporary folder beside the target and renames it
 * into place in one atomic step, so a killed fetch never leaves a folder that looks complete;
 * a dataset folder that exists with all its files is used as it is, without any fetch.
 */
public final class DataCache {

  /** System property naming the cache root. */
  public static final String PROPERTY = "l2l.data";

  /** Environment variable naming the cache root (used when the property is not set). */
  public static final String ENV = "L2L_DATA";

  private static final String TEMP_PREFIX = ".fetch-";
  private static final Duration STALE = Duration.ofHours(1);
  private static final ConcurrentHashMap<Path, Object> LOCKS = new ConcurrentHashMap<>();

  private final Path root;
  private final PrintStream log;

  private DataCache(Path root, PrintStream log) {
    this.root = root.toAbsolutePath().normalize();
    this.log = log;
  }

  /** The cache at the configured root (see the class comment), logging to stderr. */
  public static DataCache standard() {
    return at(configuredRoot());
  }

  /** The configured root: property {@value #PROPERTY}, env {@value #ENV}, or ~/.cache/l2l. */
  public static Path configuredRoot() {
    String prop = System.getProperty(PROPERTY);
    if (prop != null && !prop.isBlank()) {
      return Path.of(prop);
    }
    String env = System.getenv(ENV);
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    return Path.of(System.getProperty("user.home"), ".cache", "l2l");
  }

  /** The cache rooted at {@code root}, logging to stderr. */
  public static DataCache at(Path root) {
    return new DataCache(root, null);
  }

  /** The same cache logging its fetches to {@code out} instead of stderr. */
  public DataCache withLog(PrintStream out) {
    return new DataCache(root, out);
  }

  /** The root folder (absolute). */
  public Path root() {
    return root;
  }

  /** The folder of dataset {@code name}: {@code root/name}. */
  public Path dir(String name) {
    if (name.isEmpty() || name.startsWith(".") || name.contains("/") || name.contains("\\")) {
      throw new IllegalArgumentException("bad dataset name: '" + name + "'");
    }
    return root.resolve(name);
  }

  /** Those of {@code files} missing from dataset {@code name}'s folder (all if it is absent). */
  public List<String> missing(String name, List<String> files) {
    Path dir = dir(name);
    return files.stream().filter(f -> !Files.isRegularFile(dir.resolve(f))).toList();
  }

  /**
   * The folder of dataset {@code name}, fetched from {@code source} first if it is absent.
   *
   * @throws DataFetchException if the fetch fails, or if the folder exists but lacks some files
   *     (it was then not made by a fetch: delete it or complete it by hand); the message says
   *     which commands place the files by hand
   * @throws DataFormatException if the root itself holds missing files ({@link #checkPlacement})
   */
  public Path ensure(String name, DataSource source) {
    Path dir = dir(name);
    List<String> missing = missing(name, source.files());
    if (missing.isEmpty()) {
      removeStale(name);
      return dir;
    }
    checkPlacement(name, missing, source.description());
    synchronized (LOCKS.computeIfAbsent(dir, d -> new Object())) {
      missing = missing(name, source.files());
      if (missing.isEmpty()) {
        return dir;
      }
      if (Files.exists(dir)) {
        throw new DataFetchException(dir + " exists but lacks " + String.join(", ", missing)
            + ", so it was not made by a complete fetch of " + source.description()
            + ". Delete the folder to fetch it again, or place the files by hand:\n"
            + source.manualSteps(dir));
      }
      return fetch(name, dir, source);
    }
  }

  /**
   * Refuses a root that itself holds some of the {@code missing} files of dataset {@code name}:
   * the data root was set to the dataset's folder instead of the folder above it.
   *
   * @throws DataFormatException naming the root and the folder the files must be in
   */
  void checkPlacement(String name, List<String> missing, String description) {
    List<String> here = missing.stream().filter(f -> Files.isRegularFile(root.resolve(f))).toList();
    if (!here.isEmpty()) {
      throw new DataFormatException(root, "holds " + String.join(", ", here) + " of " + description
          + ", which must be in " + dir(name) + ": set " + ENV + " (or -D" + PROPERTY
          + ") to the folder that holds " + name + "/");
    }
  }

  private Path fetch(String name, Path dir, DataSource source) {
    PrintStream out = log != null ? log : System.err;
    Path tmp = null;
    long t0 = System.nanoTime();
    try {
      Files.createDirectories(root);
      removeStale(name);
      tmp = Files.createTempDirectory(root, TEMP_PREFIX + name + "-");
      Path files = Files.createDirectory(tmp.resolve("out"));
      Path work = Files.createDirectory(tmp.resolve("work"));
      out.println("l2l: fetching " + source.description() + " into " + dir + " ...");
      source.fetchInto(files, work);
      List<String> absent = source.files().stream()
          .filter(f -> !Files.isRegularFile(files.resolve(f))).toList();
      if (!absent.isEmpty()) {
        throw new DataFetchException("the fetch finished without producing "
            + String.join(", ", absent));
      }
      try {
        Files.move(files, dir, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileSystemException e) {
        if (!missing(name, source.files()).isEmpty()) {
          throw e;
        }
        out.println("l2l: " + dir + " was completed by another fetch meanwhile; using it");
        return dir;
      }
      out.println(String.format(Locale.ROOT, "l2l: fetched %s in %.1f s: %s",
          source.description(), (System.nanoTime() - t0) / 1e9, listing(dir, source.files())));
      return dir;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure(dir, source, "interrupted", e);
    } catch (IOException | UncheckedIOException e) {
      throw failure(dir, source, e.toString(), e);
    } catch (DataException e) {
      throw failure(dir, source, e.getMessage(), e);
    } finally {
      if (tmp != null) {
        deleteTree(tmp);
      }
    }
  }

  private static DataFetchException failure(Path dir, DataSource source, String why,
      Exception cause) {
    return new DataFetchException("could not fetch " + source.description() + " into " + dir
        + ": " + why + "\nTo place the files by hand, run:\n" + source.manualSteps(dir), cause);
  }

  private static String listing(Path dir, List<String> files) throws IOException {
    List<String> parts = new ArrayList<>();
    for (String f : files) {
      parts.add(f + String.format(Locale.ROOT, " (%.1f MB)", Files.size(dir.resolve(f)) / 1e6));
    }
    return String.join(", ", parts);
  }

  /**
   * Deletes temporary folders of fetches of {@code name} that were killed: those untouched for
   * an hour (a younger one may belong to a fetch still running in another process). Best effort.
   */
  private void removeStale(String name) {
    Instant limit = Instant.now().minus(STALE);
    try (Stream<Path> s = Files.list(root)) {
      for (Path p : s.toList()) {
        String f = p.getFileName().toString();
        if (f.startsWith(TEMP_PREFIX + name + "-") && Files.isDirectory(p)
            && Files.getLastModifiedTime(p).compareTo(FileTime.from(limit)) < 0) {
          deleteTree(p);
        }
      }
    } catch (IOException | UncheckedIOException e) {
      // a leftover is harmless: it is never taken for a dataset
    }
  }

  static void deleteTree(Path p) {
    if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(q);
      }
    } catch (IOException | UncheckedIOException e) {
      // best effort: a leftover temporary folder is removed by a later fetch
    }
  }

  /** E.g. {@code DataCache[~/.cache/l2l]}, with the home folder written out. */
  @Override
  public String toString() {
    return "DataCache[" + root + "]";
  }
}
