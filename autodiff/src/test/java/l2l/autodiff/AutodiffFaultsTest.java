package l2l.autodiff;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Misuse of the differentiation API fails loudly and leaves nothing recording. */
class AutodiffFaultsTest {

  @Test
  void aHessianVectorProductWithAVectorOfAnotherShapeIsRefusedNamingBothShapes() {
    ShapeException e = assertThrows(ShapeException.class, () -> Autodiff.hessianVectorProduct(
        x -> x.pow(3).sum(), Tensor.row(1, 2, 3), Tensor.scalar(1)));
    assertTrue(e.getMessage().contains("v is 1×1 but x is 1×3"), e.getMessage());
  }

  @Test
  void aTensorEscapingADifferentiatedFunctionThatThrowsIsNoLongerTracedNorAreTensorsMadeFromIt() {
    Tensor[] escaped = new Tensor[1];
    assertThrows(IllegalStateException.class, () -> Autodiff.grad(x -> {
      escaped[0] = x.mul(2);
      assertTrue(escaped[0].isTraced(), "traced while the function runs");
      throw new IllegalStateException("boom");
    }).apply(Tensor.row(1, 2)));
    assertFalse(escaped[0].isTraced(), "the level's tag died with the failed call");
    assertFalse(escaped[0].mul(3).add(1).isTraced(), "ops on it record nothing");
  }
}
