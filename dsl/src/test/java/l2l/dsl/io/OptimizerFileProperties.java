package l2l.dsl.io;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Corruptions of a saved optimizer file — truncation at any byte, flipped bytes, inserted and
 * deleted bytes — are either harmless (the file loads identically) or refused with an
 * {@link OptimizerFileException} naming the file; never another exception, never a different optimizer.
 */
class OptimizerFileProperties {
  private static Path dir;
  private static byte[] original;
  private static OptimizerFile saved;

  @BeforeContainer
  static void save() throws IOException {
    dir = Files.createTempDirectory("l2l-corrupt");
    saved = Files4Test.small(5);
    Path p = dir.resolve("original.json");
    saved.save(p);
    original = Files.readAllBytes(p);
  }

  @AfterContainer
  static void clean() throws IOException {
    try (var s = Files.list(dir)) {
      for (Path p : s.toList()) Files.deleteIfExists(p);
    }
    Files.deleteIfExists(dir);
  }

  /** Loads the bytes: true if identical to the saved file, false if refused properly; fails otherwise. */
  private static boolean loadsIdenticallyOrIsRefused(byte[] bytes) {
    Path p = dir.resolve("corrupt.json");
    try {
      Files.write(p, bytes);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    try {
      OptimizerFile f = OptimizerFile.load(p);
      assertTrue(Files4Test.identical(saved, f), "a corrupt file loaded as a different optimizer");
      return true;
    } catch (OptimizerFileException e) {
      assertTrue(e.getMessage().startsWith("optimizer file " + p + ": "), e.getMessage());
      assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
      assertFalse(e.getMessage().contains("internal error"), e.getMessage());
      return false;
    } catch (Throwable t) {
      fail("a corrupt file threw " + t, t);
      return false;
    }
  }

  @Property(tries = 400)
  void aFileTruncatedAtAnyByteIsRefused(@ForAll @IntRange(min = 0, max = 1_000_000) int at) {
    int cut = at % original.length;
    boolean loaded = loadsIdenticallyOrIsRefused(Arrays.copyOf(original, cut));
    int lastBrace = new String(original, java.nio.charset.StandardCharsets.UTF_8).lastIndexOf('}');
    assertFalse(loaded && cut <= lastBrace, "a file cut at byte " + cut + " (before its closing brace) loaded");
  }

  @Property(tries = 600)
  void flippedBytesAreHarmlessOrRefused(@ForAll @Size(min = 1, max = 4) java.util.List<@IntRange(min = 0, max = 1_000_000) Integer> at,
      @ForAll @IntRange(min = 1, max = 255) int mask) {
    byte[] b = original.clone();
    for (int i : at) b[i % b.length] ^= (byte) mask;
    loadsIdenticallyOrIsRefused(b);
  }

  @Property(tries = 300)
  void insertedOrDeletedBytesAreHarmlessOrRefused(@ForAll @IntRange(min = 0, max = 1_000_000) int at,
      @ForAll @IntRange(min = 0, max = 255) int value, @ForAll boolean insert) {
    int i = at % original.length;
    byte[] b;
    if (insert) {
      b = new byte[original.length + 1];
      System.arraycopy(original, 0, b, 0, i);
      b[i] = (byte) value;
      System.arraycopy(original, i, b, i + 1, original.length - i);
    } else {
      b = new byte[original.length - 1];
      System.arraycopy(original, 0, b, 0, i);
      System.arraycopy(original, i + 1, b, i, original.length - i - 1);
    }
    loadsIdenticallyOrIsRefused(b);
  }

  @Property(tries = 50)
  void anyFileSavedLoadsIdentically(@ForAll long seed) throws IOException {
    OptimizerFile f = Files4Test.small(seed);
    Path p = dir.resolve("s.json");
    f.save(p);
    assertTrue(Files4Test.identical(f, OptimizerFile.load(p)));
  }
}
