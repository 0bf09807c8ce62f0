package l2l.dsl.report;

import io.vavr.collection.List;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import l2l.dsl.MetaTraining;
import l2l.dsl.io.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * PNG plots with XChart, like the paper's figures: loss against step on a log-scale y axis, one
 * line per optimizer (the learned ones thick, each tuned baseline thin), and meta-training's
 * progress. Runs headless ({@code -Djava.awt.headless=true} is set if nothing else is). Points
 * that are not finite or not positive cannot be drawn on a log scale and are left out.
 */
public final class Plots {
  private Plots() {}

  private static final Color[] BASELINE_COLORS = {new Color(0x1f77b4), new Color(0x2ca02c), new Color(0x9467bd),
      new Color(0xff7f0e), new Color(0x8c564b), new Color(0x17becf), new Color(0x7f7f7f), new Color(0xbcbd22)};
  private static final Color[] LEARNED_COLORS = {new Color(0xd62728), new Color(0xe377c2), new Color(0x000000)};

  /** A curve that climbs above this multiple of the largest initial mean loss is cut there, so it cannot squash the others. */
  public static final double CEILING = 100;

  /**
   * The mean loss curve of every optimizer of the results. Optimizers whose name is in
   * {@code learned} are drawn thick in warm colours, the others thin. A curve that climbs above
   * {@link #CEILING} times the largest initial mean loss ends there, and its legend says after
   * which step it left the chart; one whose runs diverged ends where the first did, and says so.
   */
  public static XYChart lossChart(Results r, java.util.Set<String> learned) {
    XYChart chart = new XYChartBuilder().width(900).height(600).title(r.title())
        .xAxisTitle("step").yAxisTitle("mean loss over " + r.tasks() + " tasks (log scale)").build();
    style(chart);
    double start = 0;
    for (Curves c : r.curves()) {
      double[] mean = c.summary().meanCurve();
      if (mean.length > 0 && Double.isFinite(mean[0])) start = Math.max(start, mean[0]);
    }
    double ceiling = start > 0 ? CEILING * start : Double.POSITIVE_INFINITY;
    int li = 0, bi = 0;
    for (Curves c : r.curves()) {
      double[] mean = c.summary().meanCurve();
      ArrayList<Double> xs = new ArrayList<>(), ys = new ArrayList<>();
      String note = "";
      for (int t = 0; t < mean.length; t++) {
        if (!Double.isFinite(mean[t])) {
          if (t > 0) note = " (a run diverged at step " + (t - 1) + ")";
          break;
        }
        if (mean[t] > ceiling) {
          note = " (off the chart after step " + (t - 1) + ")";
          break;
        }
        if (mean[t] > 0) {
          xs.add((double) t);
          ys.add(mean[t]);
        }
      }
      if (xs.isEmpty()) continue;
      XYSeries s = chart.addSeries(uniqueName(chart, c.label() + note), xs, ys);
      s.setMarker(SeriesMarkers.NONE);
      boolean isLearned = learned.contains(c.name());
      s.setLineColor(isLearned ? LEARNED_COLORS[li++ % LEARNED_COLORS.length] : BASELINE_COLORS[bi++ % BASELINE_COLORS.length]);
      s.setLineStyle(new BasicStroke(isLearned ? 3.0f : 1.6f));
    }
    return chart;
  }

  /** Meta-training's progress: the optimizee's final loss of every epoch and the held-out evaluations. */
  public static XYChart trainingChart(String title, List<MetaTraining.EpochReport> history) {
    XYChart chart = new XYChartBuilder().width(900).height(600).title(title).xAxisTitle("epochs trained")
        .yAxisTitle("loss (log scale)").build();
    style(chart);
    ArrayList<Double> ex = new ArrayList<>(), ey = new ArrayList<>(), vx = new ArrayList<>(), vy = new ArrayList<>();
    for (MetaTraining.EpochReport e : history) {
      if (Double.isFinite(e.finalLoss()) && e.finalLoss() > 0) {
        ex.add((double) e.epoch() + 1);
        ey.add(e.finalLoss());
      }
      if (e.evaluated() && Double.isFinite(e.evaluation()) && e.evaluation() > 0) {
        vx.add((double) e.epoch() + 1);
        vy.add(e.evaluation());
      }
    }
    if (!ex.isEmpty()) {
      XYSeries s = chart.addSeries("final loss of each training epoch", ex, ey);
      s.setMarker(SeriesMarkers.NONE);
      s.setLineColor(new Color(0x9e9e9e));
      s.setLineStyle(new BasicStroke(1f));
    }
    if (!vx.isEmpty()) {
      XYSeries s = chart.addSeries("mean final loss on held-out validation tasks", vx, vy);
      s.setMarker(SeriesMarkers.CIRCLE);
      s.setLineColor(new Color(0xd62728));
      s.setMarkerColor(new Color(0xd62728));
      s.setLineStyle(new BasicStroke(2f));
    }
    return chart;
  }

  /** The held-out validation losses of several meta-training runs, one line per run. */
  public static XYChart validationChart(String title, java.util.Map<String, List<MetaTraining.EpochReport>> runs) {
    XYChart chart = new XYChartBuilder().width(900).height(600).title(title).xAxisTitle("epochs trained")
        .yAxisTitle("mean final loss on held-out tasks (log scale)").build();
    style(chart);
    int i = 0;
    for (var run : runs.entrySet()) {
      ArrayList<Double> xs = new ArrayList<>(), ys = new ArrayList<>();
      for (MetaTraining.EpochReport e : run.getValue()) {
        if (e.evaluated() && Double.isFinite(e.evaluation()) && e.evaluation() > 0) {
          xs.add((double) e.epoch() + 1);
          ys.add(e.evaluation());
        }
      }
      if (xs.isEmpty()) continue;
      XYSeries s = chart.addSeries(uniqueName(chart, run.getKey()), xs, ys);
      s.setMarker(SeriesMarkers.CIRCLE);
      Color c = i < LEARNED_COLORS.length ? LEARNED_COLORS[i] : BASELINE_COLORS[(i - LEARNED_COLORS.length)
          % BASELINE_COLORS.length];
      s.setLineColor(c);
      s.setMarkerColor(c);
      s.setLineStyle(new BasicStroke(2f));
      i++;
    }
    return chart;
  }

  private static void style(XYChart chart) {
    Styler st = chart.getStyler();
    chart.getStyler().setYAxisLogarithmic(true);
    st.setLegendPosition(Styler.LegendPosition.InsideNE);
    st.setChartBackgroundColor(Color.WHITE);
    st.setPlotBackgroundColor(Color.WHITE);
    chart.getStyler().setPlotGridLinesColor(new Color(0xe0e0e0));
    st.setLegendBorderColor(new Color(0xc0c0c0));
    st.setAntiAlias(true);
    chart.getStyler().setXAxisDecimalPattern("#");
    chart.getStyler().setXAxisTickMarkSpacingHint(90);
  }

  private static String uniqueName(XYChart chart, String name) {
    String n = name;
    for (int i = 2; chart.getSeriesMap().containsKey(n); i++) n = name + " #" + i;
    return n;
  }

  /** Writes the chart as PNG, atomically. */
  public static void savePng(XYChart chart, Path file) {
    if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    byte[] png;
    try {
      png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot draw " + file + ": " + e.getMessage(), e);
    }
    AtomicFiles.write(file, png);
  }
}
