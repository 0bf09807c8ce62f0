package l2l.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import l2l.dsl.io.OptimizerFile;
import org.junit.jupiter.api.Test;

/** The pretrained optimizers in the jar: each loads, and its recipe states its training record, command and table. */
class LearnedOptimizersTest {

  @Test
  void everyShippedOptimizerLoadsAndItsRecipeStatesItsTrainingRecordCommandAndTableRow() {
    assertTrue(LearnedOptimizers.names().contains("quadratic"), LearnedOptimizers.names()::toString);
    for (String name : LearnedOptimizers.names()) {
      OptimizerFile f = LearnedOptimizers.pretrained(name);
      String recipe = LearnedOptimizers.recipe(name);
      assertTrue(recipe.contains("--problem " + f.training().problem()) || recipe.contains("--problem '"
          + f.training().problem() + "'"), "the recipe trains on the file's problem: " + recipe);
      assertTrue(recipe.contains("l2l train ") && recipe.contains("l2l compare --pretrained " + name)
          && recipe.contains("LSTM     pretrained " + name), recipe);
      assertTrue(f.training().selectedAfterEpochs() == 0
          ? recipe.contains("Selected φ: the warm start (no meta-training epochs") && f.training().epochs() == 0
          : recipe.contains(String.format(Locale.ROOT, "Selected φ: after epoch %d, held-out validation mean final"
              + " loss %.4g on %d tasks", f.training().selectedAfterEpochs(), f.training().validationLoss(),
              f.training().validationTasks())), "the recipe states the file's training record: " + recipe);
    }
  }

  @Test
  void anUnknownNameIsAnErrorListingTheAvailableOnes() {
    var e = assertThrows(IllegalArgumentException.class, () -> LearnedOptimizers.pretrained("generalis"));
    assertTrue(e.getMessage().contains(
        "no pretrained optimizer 'generalis'; available: quadratic, mnist, mnist-imitation, mnist-adam, generalist,"
            + " generalist-hd, generalist-lo"), e::getMessage);
    assertThrows(IllegalArgumentException.class, () -> LearnedOptimizers.recipe(null));
  }
}
