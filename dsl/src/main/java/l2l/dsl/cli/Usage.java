package l2l.dsl.cli;

import java.util.function.Supplier;
import l2l.dsl.io.L2lFileException;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Usage errors: wrong or impossible settings found while checking options, before any work
 * starts. They are picocli {@link CommandLine.ParameterException}s, so {@link Main} prints them as
 * one line on standard error and exits with code 2.
 */
final class Usage {
  private Usage() {}

  /** A usage error of this command. */
  static CommandLine.ParameterException error(CommandSpec spec, String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }

  /** Throws a usage error unless {@code ok}. */
  static void require(CommandSpec spec, boolean ok, String message) {
    if (!ok) throw error(spec, message);
  }

  /** {@code f(argument)}, or a usage error as {@link #check(CommandSpec, String, Supplier)}. */
  static <A, T> T check(CommandSpec spec, String what, java.util.function.Function<A, T> f, A argument) {
    return check(spec, what, () -> f.apply(argument));
  }

  /**
   * The value, or a usage error carrying the message of the {@link IllegalArgumentException} or
   * {@link L2lFileException} that computing it threw (prefixed with {@code what}, if not empty).
   */
  static <T> T check(CommandSpec spec, String what, Supplier<T> value) {
    try {
      return value.get();
    } catch (L2lFileException e) {
      throw error(spec, e.getMessage());
    } catch (IllegalArgumentException e) {
      throw error(spec, (what.isEmpty() ? "" : what + ": ") + e.getMessage());
    }
  }
}
