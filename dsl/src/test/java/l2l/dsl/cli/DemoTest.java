package l2l.dsl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code l2l demo} end to end, with 2 epochs instead of the README's (the real one takes minutes). */
class DemoTest {
  @TempDir
  Path dir;

  @Test
  void theDemoTrainsComparesAndLeavesTheTableAndThePlotWhereItSays() throws Exception {
    Cli r = Cli.run("demo", "--epochs", "2", "--tasks", "4", "--tuning-tasks", "2", "--out", dir.toString(),
        "--progress", "lines");
    assertEquals(0, r.code(), r.toString());
    for (String name : new String[] {"table.txt", "curves.csv", "curves.json", "loss.png", "train/optimizer.json",
        "train/checkpoint.json"}) {
      assertTrue(Files.size(dir.resolve(name)) > 0, name);
    }
    String table = Files.readString(dir.resolve("table.txt"));
    for (String name : new String[] {"LSTM", "SGD", "NAG", "RMSprop", "Adam"}) assertTrue(table.contains(name), table);
    assertTrue(r.out().contains("results in " + dir.toAbsolutePath().normalize()), r.out());
    assertTrue(r.out().contains("[train]") && r.out().contains("[compare]"), "progress lines: " + r.out());
  }
}
