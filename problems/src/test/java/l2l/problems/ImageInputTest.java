package l2l.problems;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import l2l.problems.data.ImageDataset;
import org.junit.jupiter.api.Test;

/** Minibatches brought to a network's shape agree with the dataset padded and widened as a whole. */
class ImageInputTest {

  @Test
  void paddingAndChannelCopiesMatchImageDatasetPadToAndWithChannels() {
    ImageDataset grey = TestData.images("grey", 6, 1, 5, 4, 2, 3);
    int[] idx = {4, 0, 4, 2};
    double[] fly = new ImageInput(grey, 3, 9, 8).images(idx).toArray();
    double[] whole = ImageInput.of(grey.padTo(9, 8).withChannels(3)).images(idx).toArray();
    assertArrayEquals(whole, fly, 0);
    assertArrayEquals(grey.labels(idx), new ImageInput(grey, 3, 9, 8).labels(idx));
  }

  @Test
  void colourImagesAreOnlyPaddedAndShrinkingIsRefused() {
    ImageDataset rgb = TestData.images("rgb", 3, 3, 4, 4, 2, 5);
    int[] idx = {2, 1};
    assertArrayEquals(ImageInput.of(rgb.padTo(6, 6)).images(idx).toArray(),
        new ImageInput(rgb, 3, 6, 6).images(idx).toArray(), 0);
    assertThrows(IllegalArgumentException.class, () -> new ImageInput(rgb, 1, 6, 6));
    assertThrows(IllegalArgumentException.class, () -> new ImageInput(rgb, 3, 3, 6));
  }
}
