package l2l.optimizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vavr.collection.LinkedHashMap;
import io.vavr.collection.List;
import l2l.autodiff.Autodiff;
import l2l.autodiff.Tensor;
import org.junit.jupiter.api.Test;

/** Schedules are the documented functions of the step (step 0 is the first update). */
class ScheduleTest {
  private static final double TIGHT = 1e-12;

  @Test
  void constantIsTheSameAtEveryStep() {
    Schedule s = Schedules.constant(0.3);
    assertEquals(0.3, s.valueAt(0));
    assertEquals(0.3, s.valueAt(1000));
  }

  @Test
  void linearInterpolatesThenStays() {
    Schedule s = Schedules.linear(1, 0, 4);
    assertEquals(List.of(1.0, 0.75, 0.5, 0.25, 0.0, 0.0), List.range(0, 6).map(s::valueAt));
  }

  @Test
  void exponentialDecayIsInitTimesRateToTheStepOverTransitionSteps() {
    Schedule s = Schedules.exponentialDecay(2, 10, 0.5);
    assertEquals(2 * Math.pow(0.5, 0.5), s.valueAt(5), TIGHT);
    assertEquals(0.5, s.valueAt(20), TIGHT);
    Schedule stairs = Schedules.exponentialDecay(2, 10, 0.5, true);
    assertEquals(2, stairs.valueAt(9), TIGHT);
    assertEquals(1, stairs.valueAt(10), TIGHT);
  }

  @Test
  void cosineDecayGoesFromInitToAlphaTimesInit() {
    Schedule s = Schedules.cosineDecay(2, 10, 0.1);
    assertEquals(2, s.valueAt(0), TIGHT);
    assertEquals(2 * (0.9 * 0.5 + 0.1), s.valueAt(5), TIGHT);
    assertEquals(0.2, s.valueAt(10), TIGHT);
    assertEquals(0.2, s.valueAt(50), TIGHT);
  }

  @Test
  void piecewiseConstantMultipliesTheScalesOfPassedBoundaries() {
    Schedule s = Schedules.piecewiseConstant(1, LinkedHashMap.of(20L, 0.5, 10L, 0.1));
    assertEquals(1, s.valueAt(9), TIGHT);
    assertEquals(0.1, s.valueAt(10), TIGHT);
    assertEquals(0.05, s.valueAt(20), TIGHT);
  }

  @Test
  void joinRunsEachScheduleFromItsBoundary() {
    Schedule s = Schedules.join(List.of(Schedules.constant(1), Schedules.linear(10, 0, 10)), List.of(5L));
    assertEquals(1, s.valueAt(4), TIGHT);
    assertEquals(10, s.valueAt(5), TIGHT);
    assertEquals(9, s.valueAt(6), TIGHT);
  }

  @Test
  void warmupCosineDecayRisesLinearlyThenDecays() {
    Schedule s = Schedules.warmupCosineDecay(0, 1, 4, 14, 0.1);
    assertEquals(0.5, s.valueAt(2), TIGHT);
    assertEquals(1, s.valueAt(4), TIGHT);
    assertEquals(0.1 + 0.9 * 0.5, s.valueAt(9), TIGHT);
    assertEquals(0.1, s.valueAt(14), TIGHT);
  }

  @Test
  void aScheduleTimesATracedFactorIsDifferentiableInIt() {
    Schedule base = Schedules.cosineDecay(1, 10);
    double d = Autodiff.grad((Tensor f) -> base.times(f).at(5)).apply(Tensor.scalar(3)).item();
    assertEquals(base.valueAt(5), d, TIGHT);
  }

  @Test
  void schedulesDescribeThemselves() {
    assertEquals("join(linear(init=0, end=1, steps=4), from step 4: cosineDecay(init=1, decaySteps=10, alpha=0.1))",
        Schedules.warmupCosineDecay(0, 1, 4, 14, 0.1).toString());
    assertTrue(Schedules.exponentialDecay(1, 2, 0.5, true).toString().contains("staircase"));
  }
}
