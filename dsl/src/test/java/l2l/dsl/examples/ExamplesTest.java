package l2l.dsl.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The examples are documentation that runs: each runs end to end at a tiny size and prints its result. */
class ExamplesTest {
  interface Main {
    void run() throws Exception;
  }

  static String output(Main main) throws Exception {
    PrintStream old = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      main.run();
    } finally {
      System.setOut(old);
    }
    String out = bytes.toString(StandardCharsets.UTF_8);
    old.print(out);
    return out;
  }

  @Test
  void theSelfApplicationExampleTrainsFourWaysAndPrintsTheFixedPointAndTheTable() throws Exception {
    String out = output(() -> SelfApplicationExample.main(new String[] {"3", "1", "5"}));
    assertTrue(out.contains("k=1") && out.contains("g by itself") && out.contains("g fixed point"), out);
  }

  @Test
  void theHypergradientExampleTunesAndCompares() throws Exception {
    String out = output(() -> HypergradientExample.main(new String[] {"2"}));
    assertTrue(out.contains("step    0") && out.contains("Adam, hypergradient"), out);
  }

  @Test
  void theDropInExampleLoadsAnOptimizerFileAndFitsTheUsersNetwork() throws Exception {
    String out = output(() -> DropInExample.main(new String[0]));
    assertTrue(out.contains("saved it to") && out.contains(" 200 "), out);
  }
}
