package l2l.dsl.report;

import java.nio.file.Path;
import java.util.Set;
import l2l.dsl.io.AtomicFiles;
import l2l.dsl.io.Json;

/**
 * Writes the files of a {@link Results} into a folder, each atomically: {@value #TABLE} (the
 * table people read), {@value #CSV} and {@value #JSON} (every curve, for programs) and
 * {@value #PLOT} (loss against step, log scale).
 */
public final class Reports {
  private Reports() {}

  /** The plain-text table. */
  public static final String TABLE = "table.txt";
  /** Every curve as CSV. */
  public static final String CSV = "curves.csv";
  /** Every curve as JSON. */
  public static final String JSON = "curves.json";
  /** The plot. */
  public static final String PLOT = "loss.png";

  /**
   * Writes table, CSV, JSON and plot; returns the table's text.
   *
   * @param learned the names of the learned optimizers (drawn thick)
   */
  public static String write(Results r, Set<String> learned, Path folder) {
    return write(r, learned, folder, null);
  }

  /** {@link #write(Results, Set, Path)}, the JSON with a digest of what produced the results ({@link CurveFiles#json(Results, String)}). */
  public static String write(Results r, Set<String> learned, Path folder, String plan) {
    String table = Tables.results(r);
    AtomicFiles.writeString(folder.resolve(TABLE), table);
    AtomicFiles.writeString(folder.resolve(CSV), CurveFiles.csv(r));
    AtomicFiles.writeString(folder.resolve(JSON), Json.pretty(CurveFiles.json(r, plan)));
    Plots.savePng(Plots.lossChart(r, learned), folder.resolve(PLOT));
    return table;
  }
}
