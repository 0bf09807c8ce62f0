package l2l.dsl.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vavr.collection.List;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import l2l.optimizers.Optimizers;
import l2l.problems.NeuralArt;
import l2l.problems.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code compare --images}: a neural-art task's image under each optimizer at the chosen steps, as PNGs. */
class ArtImagesTest {
  @TempDir
  Path dir;

  @Test
  void everyOptimizerGetsOnePngPerChosenStepBesideTheContentAndStyleAndStepZeroIsTheStart() throws Exception {
    NeuralArt art = new NeuralArt(TestData.images("style", 1, 3, 10, 10, 2, 1), TestData.images("contents", 2, 3, 12, 12,
        2, 2), 8, 2, 3, 3, 1, 1, NeuralArt.Init.NOISE, 0.1, 4);
    List<Evaluator.Entry> entries = List.of(new Evaluator.Entry("Adam", "lr=0.1", Optimizers.adam(0.1), false, null),
        new Evaluator.Entry("SGD", "lr=1", Optimizers.sgd(1), false, null));
    ArtImages.write(art, 7, entries, List.of(0, 3), dir);
    for (String f : new String[] {"content.png", "style.png", "adam-lr=0.1-step0.png", "adam-lr=0.1-step3.png",
        "sgd-lr=1-step0.png", "sgd-lr=1-step3.png"}) {
      var img = ImageIO.read(dir.resolve(f).toFile());
      assertEquals(8, img.getWidth(), f);
      assertEquals(8, img.getHeight(), f);
    }
    assertArrayEquals(Files.readAllBytes(dir.resolve("adam-lr=0.1-step0.png")),
        Files.readAllBytes(dir.resolve("sgd-lr=1-step0.png")), "both start from the task's x₀");
    assertTrue(!java.util.Arrays.equals(Files.readAllBytes(dir.resolve("adam-lr=0.1-step0.png")),
        Files.readAllBytes(dir.resolve("adam-lr=0.1-step3.png"))), "the image moves");
    assertEquals(6, Files.list(dir).count(), "nothing else, no temporaries");
  }

  @Test
  void imagesOfAProblemThatIsNoImageAreRefusedBeforeAnyWork() {
    Cli r = Cli.run("compare", "--problem", "quadratic", "--images", "0,10", "--out", dir.resolve("x").toString());
    assertEquals(Main.USAGE, r.code(), r.toString());
    assertTrue(r.err().contains("--images needs an image problem (neural-art), got quadratic"), r.err());
  }
}
