package l2l.dsl;

import io.vavr.collection.List;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import l2l.dsl.io.OptimizerFile;

/**
 * Learned optimizers shipped in the jar, ready to use without training:
 * {@code LearnedOptimizers.pretrained("quadratic").optimizer()}. Each lives under the resource
 * folder {@code l2l/pretrained/NAME/}: {@code optimizer.json} (an ordinary optimizer file: the
 * architecture, φ and its training record) and {@code recipe.txt} (the command that trained it and
 * the table it produced); {@code l2l/pretrained/index.txt} lists the names.
 */
public final class LearnedOptimizers {
  private LearnedOptimizers() {}

  private static final String ROOT = "l2l/pretrained/";

  /** The names of the pretrained optimizers in the jar, in order. */
  public static List<String> names() {
    return List.of(text(ROOT + "index.txt").split("\n")).map(String::trim).filter(n -> !n.isEmpty());
  }

  /**
   * The pretrained optimizer of a name, checked as {@link OptimizerFile#load} checks a file.
   *
   * @throws IllegalArgumentException for a name not in {@link #names()} (the message lists them)
   */
  public static OptimizerFile pretrained(String name) {
    String n = known(name);
    return OptimizerFile.read(Path.of("<l2l jar>", ROOT + n, "optimizer.json"), bytes(ROOT + n + "/optimizer.json"));
  }

  /** How the pretrained optimizer of a name was made: the command that trained it and the table it produced. */
  public static String recipe(String name) {
    return text(ROOT + known(name) + "/recipe.txt");
  }

  private static String known(String name) {
    String n = name == null ? "" : name.trim();
    if (!names().contains(n)) {
      throw new IllegalArgumentException("no pretrained optimizer '" + name + "'; available: " + names().mkString(", "));
    }
    return n;
  }

  private static String text(String resource) {
    return new String(bytes(resource), StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String resource) {
    try (InputStream in = LearnedOptimizers.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) throw new IllegalStateException("the l2l jar lacks the resource " + resource);
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the resource " + resource + " of the l2l jar", e);
    }
  }
}
