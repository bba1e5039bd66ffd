package io.kcpj.netem.tun;

/**
 * Starts a bridge in a child JVM, prints {@code STARTED <namespaceA> <namespaceB>}, and when its
 * stdin closes exits with {@link System#exit} <em>without</em> closing the bridge, so the test can
 * check the shutdown-hook safety net (or kill it to leave leftovers).
 */
public final class BridgeHolder {

  private BridgeHolder() {}

  public static void main(String[] args) throws Exception {
    TunBridge bridge =
        TunBridge.builder().namespacePrefix(args[0]).interfaceNameTemplate(args[1]).build().start();
    System.out.println("STARTED " + bridge.namespaceA() + " " + bridge.namespaceB());
    System.out.flush();
    while (System.in.read() >= 0) {
      // wait for EOF
    }
    System.exit(0);
  }
}
