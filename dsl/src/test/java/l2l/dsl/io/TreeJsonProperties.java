package l2l.dsl.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonParser;
import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Trees survive JSON with their structure (empty subtrees included) and every bit of every value. */
class TreeJsonProperties {
  @Provide
  Arbitrary<Tree> trees() {
    return tree(3);
  }

  private Arbitrary<Tree> tree(int depth) {
    Arbitrary<Tree> leaf = Arbitraries.integers().between(1, 3).flatMap(r -> Arbitraries.integers().between(1, 3)
        .flatMap(c -> Arbitraries.doubles().withSpecialValue(Double.NaN).withSpecialValue(-0.0)
            .withSpecialValue(Double.NEGATIVE_INFINITY).withSpecialValue(Double.MIN_VALUE).array(double[].class)
            .ofSize(r * c).map(v -> Tree.leaf(Tensor.fromRowMajor(r, c, v)))));
    if (depth == 0) return leaf;
    Arbitrary<Tree> branch = Arbitraries.strings().withCharRange('a', 'e').ofMinLength(1).ofMaxLength(2).list()
        .ofMaxSize(3).uniqueElements().flatMap(names -> tree(depth - 1).list().ofSize(names.size()).map(kids -> {
          Tree t = Tree.empty();
          for (int i = 0; i < names.size(); i++) t = t.with(names.get(i), kids.get(i));
          return t;
        }));
    return Arbitraries.oneOf(leaf, branch);
  }

  @Property(tries = 300)
  void base64KeepsStructureAndBits(@ForAll("trees") Tree t) {
    String text = Json.pretty(TreeJson.write(t, TreeJson.Values.BASE64));
    Tree back = TreeJson.read(JsonParser.parseString(text), "t");
    assertEquals(t.toString(), back.toString());
    Files4Test.assertSameBits(t, back);
  }

  @Property(tries = 300)
  void numbersKeepEveryFiniteBit(@ForAll("trees") Tree t) {
    Tree finite = t.map(x -> {
      double[] v = x.toArray();
      for (int i = 0; i < v.length; i++) if (!Double.isFinite(v[i])) v[i] = -0.0;
      return Tensor.fromRowMajor(x.rows(), x.cols(), v);
    });
    String text = Json.pretty(TreeJson.write(finite, TreeJson.Values.NUMBERS));
    Tree back = TreeJson.read(JsonParser.parseString(text), "t");
    assertEquals(finite.toString(), back.toString());
    Files4Test.assertSameBits(finite, back);
  }
}
