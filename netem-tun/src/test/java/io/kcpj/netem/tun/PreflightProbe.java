package io.kcpj.netem.tun;

/**
 * Tries to start a bridge and reports the outcome through its exit status, for the test that runs
 * it without privileges: 0 started (and closed), 3 {@link TunUnavailableException} (message on
 * stdout), 4 anything else.
 */
public final class PreflightProbe {

  private PreflightProbe() {}

  public static void main(String[] args) {
    try (TunBridge bridge = TunBridge.builder().namespacePrefix(args[0]).build().start()) {
      System.out.println("STARTED " + bridge);
    } catch (TunUnavailableException e) {
      System.out.println("UNAVAILABLE " + e.getMessage());
      System.exit(3);
    } catch (Throwable t) {
      t.printStackTrace(System.out);
      System.exit(4);
    }
    System.exit(0);
  }
}
