package l2l.problems.data;

import static l2l.problems.data.TestFiles.assertContains;
import static l2l.problems.data.TestFiles.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pictures load as centred, area-averaged squares with their stored sample values. */
class ImagesTest {

  @TempDir Path dir;

  private Path png(BufferedImage img, String name) throws Exception {
    Path f = dir.resolve(name);
    ImageIO.write(img, "png", f.toFile());
    return f;
  }

  @Test
  void rgbPictureIsCroppedToItsCentredSquare() throws Exception {
    BufferedImage img = new BufferedImage(4, 2, BufferedImage.TYPE_INT_RGB);
    for (int x = 0; x < 4; x++) {
      for (int y = 0; y < 2; y++) {
        img.setRGB(x, y, (10 * x + y) << 16 | (100 + x) << 8 | (200 + y));
      }
    }
    ImageDataset d = Images.loadRgb(png(img, "wide.png"), 2);
    assertEquals("wide", d.name());
    assertEquals(3, d.channels());
    for (int y = 0; y < 2; y++) {
      for (int x = 0; x < 2; x++) {
        assertEquals(10 * (x + 1) + y, d.rawPixel(0, 0, y, x));
        assertEquals(100 + x + 1, d.rawPixel(0, 1, y, x));
        assertEquals(200 + y, d.rawPixel(0, 2, y, x));
      }
    }
  }

  @Test
  void greyPictureKeepsItsValuesInAllThreeChannels() throws Exception {
    BufferedImage img = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
    for (int x = 0; x < 4; x++) {
      for (int y = 0; y < 4; y++) {
        img.getRaster().setSample(x, y, 0, 40 * (x / 2) + 80 * (y / 2) + (x % 2) * 2);
      }
    }
    ImageDataset d = Images.loadRgb(png(img, "grey.png"), 2);
    for (int c = 0; c < 3; c++) {
      assertEquals(1, d.rawPixel(0, c, 0, 0));
      assertEquals(41, d.rawPixel(0, c, 0, 1));
      assertEquals(81, d.rawPixel(0, c, 1, 0));
      assertEquals(121, d.rawPixel(0, c, 1, 1));
    }
  }

  @Test
  void areaAveragingKeepsTheMeanForAnyRatio() {
    double[] src = new double[3 * 7 * 7];
    for (int k = 0; k < src.length; k++) {
      src[k] = (k * 37) % 256;
    }
    for (int to : new int[] {1, 2, 3, 5, 7, 11}) {
      double[] out = Images.resize(src, 3, 7, to);
      for (int c = 0; c < 3; c++) {
        double a = 0;
        double b = 0;
        for (int k = 0; k < 49; k++) {
          a += src[c * 49 + k] / 49;
        }
        for (int k = 0; k < to * to; k++) {
          b += out[c * to * to + k] / (to * to);
        }
        assertEquals(a, b, 1e-9, "mean of channel " + c + " at size " + to);
      }
    }
  }

  @Test
  void writtenPngLoadsBack() {
    ImageDataset d = TestFiles.dataset("rgb", 2, 5, 5, 3, 1, 4);
    Path f = dir.resolve("out.png");
    Images.writePng(d, 1, f);
    assertEquals(d.select(new int[] {1}).withName("out"), Images.loadRgb(f, 5));
  }

  @Test
  void nonPictureAndMissingFileAreNamed() {
    Path f = TestFiles.write(dir.resolve("x.png"), new byte[] {1, 2, 3});
    assertContains(failure(f, () -> Images.loadRgb(f, 8)).getMessage(),
        "expected a picture ImageIO can read");
    Path none = dir.resolve("none.png");
    assertContains(failure(none, () -> Images.loadRgb(none, 8)).getMessage(), "file not found");
  }
}
