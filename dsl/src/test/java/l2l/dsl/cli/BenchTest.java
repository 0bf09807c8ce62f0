package l2l.dsl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code l2l bench}: every combination timed in one run, the ratios, and the PyTorch reference beside (a stand-in Python here). */
class BenchTest {
  @TempDir
  Path dir;

  @Test
  void everyCombinationIsTimedAndTheReferenceIsPrintedBesideWithItsRatio() throws Exception {
    // stands in for python3: gets the bundled script's path and its options, writes the JSON it was asked for
    Path fake = dir.resolve("python");
    Files.writeString(fake, """
        #!/bin/bash
        [ -f "$1" ] && grep -q 'torch' "$1" || exit 4
        shift
        while [ $# -gt 0 ]; do
          case "$1" in
            --json) out="$2"; shift;;
            --architecture) arch="$2"; shift;;
          esac
          shift
        done
        [ "$arch" = "lstm,rnnprop" ] || exit 3
        echo "fake torch running"
        printf '{"torch_version": "fake", "blas_libs": [], "bench": [{"architecture": "lstm", "threads": 1, "median_s_per_epoch": 0.5}]}' > "$out"
        """);
    Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
    Path json = dir.resolve("bench.json");
    Cli r = Cli.run("bench", "--epochs", "1", "--warmup", "0", "--thread-counts", "1", "--architecture",
        "lstm,rnnprop,lstm-features", "--precision", "double,float32", "--torch", "--python", fake.toString(), "--json",
        json.toString());
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().contains("matrix products:") && r.out().contains("elementwise loops: SIMD"), r.out());
    assertTrue(r.out().contains("[torch] fake torch running"), r.out());
    JsonObject o = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
    JsonArray rows = o.getAsJsonArray("l2l");
    // lstm: default and general in double, default in float32; rnnprop and lstm-features: both engines in double
    assertEquals(7, rows.size(), rows.toString());
    JsonObject first = rows.get(0).getAsJsonObject();
    assertEquals("lstm", first.get("architecture").getAsString());
    assertEquals("default", first.get("engine").getAsString());
    double mine = first.get("median_s_per_epoch").getAsDouble();
    assertTrue(mine > 0);
    String ratio = String.format(java.util.Locale.ROOT, "%.2f", mine / 0.5);
    assertTrue(r.out().lines().anyMatch(l -> l.startsWith("lstm default double ") && l.trim().endsWith(ratio)), r.out());
    assertTrue(r.out().lines().anyMatch(l -> l.startsWith("rnnprop general double ")), r.out());
  }

  @Test
  void aPythonThatCannotRunIsAUsageError() {
    Cli r = Cli.run("bench", "--torch", "--python", dir.resolve("none").toString());
    assertEquals(Main.USAGE, r.code(), r.toString());
    assertTrue(r.err().contains("not an executable file"), r.err());
  }
}
