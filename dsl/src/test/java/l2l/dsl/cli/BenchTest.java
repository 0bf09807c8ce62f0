package l2l.dsl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code l2l bench}: timings, the backends, and the PyTorch reference side by side (a stand-in script here). */
class BenchTest {
  @TempDir
  Path dir;

  @Test
  void benchTimesEpochsAndPrintsTheReferenceBesideWithTheRatio() throws Exception {
    Path fake = dir.resolve("fake_torch.sh");
    Files.writeString(fake, """
        while [ $# -gt 0 ]; do
          case "$1" in
            --json) out="$2"; shift;;
            --bench-only) only=1;;
          esac
          shift
        done
        [ -n "$only" ] || exit 3
        echo "fake torch running"
        printf '{"torch_version": "fake", "blas_libs": [], "bench": [{"threads": 1, "median_s_per_epoch": 0.5}]}' > "$out"
        """);
    Path json = dir.resolve("bench.json");
    Cli r = Cli.run("bench", "--epochs", "1", "--warmup", "0",
        "--thread-counts", "1", "--torch-script", fake.toString(), "--python", "/bin/bash", "--json", json.toString());
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().contains("matrix products:"), r.out());
    assertTrue(r.out().contains("vector API (jdk.incubator.vector): present"), r.out());
    assertTrue(r.out().contains("[torch] fake torch running"), r.out());
    assertTrue(r.out().contains("l2l / PyTorch"), r.out());
    JsonObject o = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
    double mine = o.getAsJsonArray("l2l").get(0).getAsJsonObject().get("median_s_per_epoch").getAsDouble();
    assertTrue(mine > 0);
    String ratio = String.format(java.util.Locale.ROOT, "%.2f", mine / 0.5);
    assertTrue(r.out().lines().anyMatch(l -> l.startsWith("1 ") && l.trim().endsWith(ratio)), r.out());
  }

  @Test
  void aMissingReferenceScriptIsAUsageError() {
    Cli r = Cli.run("bench", "--torch-script", dir.resolve("none.py").toString());
    assertEquals(L2l.USAGE, r.code(), r.toString());
    assertTrue(r.err().contains("no such readable file"), r.err());
  }
}
