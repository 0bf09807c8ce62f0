package l2l.dsl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import l2l.dsl.io.OptimizerFile;
import l2l.optimizers.learned.LstmConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --base} on the command line: what it says is the saved optimizer's base, with the defaults it names. */
class BaseOptionTest {
  @TempDir
  Path dir;

  private LstmConfig.Base saved(String spec) throws Exception {
    Path out = dir.resolve(Integer.toHexString(spec.hashCode()));
    Cli c = Cli.run("train", "--problem", "quadratic", "--architecture", "rnnprop", "--base", spec, "--epochs", "0",
        "--progress", "none", "--out", out.toString());
    assertEquals(0, c.code(), c.toString());
    return OptimizerFile.load(out.resolve("optimizer.json")).architecture().base();
  }

  @Test
  void theBaseGivenIsTheSavedOnesWithMomentumPointNineAddingAndAFixedRateByDefault() throws Exception {
    assertEquals(LstmConfig.Base.nag(0.5, 0.9), saved("nag:lr=0.5"));
    assertEquals(LstmConfig.Base.adam(0.03), saved("adam:lr=0.03"));
    assertEquals(new LstmConfig.Base(LstmConfig.Base.Kind.NAG, 2, 0, LstmConfig.Base.Combine.SCALE),
        saved("nag:combine=scale,lr=2,momentum=0"));
    assertEquals(new LstmConfig.Base(LstmConfig.Base.Kind.ADAM, 0.1, 0.5, LstmConfig.Base.Combine.SCALE),
        saved("adam:lr=0.1,momentum=0.5,combine=scale"));
    assertEquals(new LstmConfig.Base(LstmConfig.Base.Kind.ADAM, 0.1, 0.9, LstmConfig.Base.Combine.ACCUMULATE),
        saved("adam:lr=0.1,combine=accumulate"));
    assertEquals(new LstmConfig.Base(LstmConfig.Base.Kind.ADAM, 0.1, 0.9, LstmConfig.Base.Combine.ACCUMULATE, 0.2),
        saved("adam:lr=0.1,combine=accumulate,hyper=0.2"));
    assertEquals(LstmConfig.Base.none(), saved("none"));
  }
}
