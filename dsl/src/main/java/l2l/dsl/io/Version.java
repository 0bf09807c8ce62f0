package l2l.dsl.io;

/** The version of l2l that is running, from the jar's manifest ("development build" when run from classes). */
public final class Version {
  private Version() {}

  /** E.g. "0.1.0-SNAPSHOT". */
  public static String l2l() {
    String v = Version.class.getPackage().getImplementationVersion();
    return v == null ? "development build" : v;
  }
}
