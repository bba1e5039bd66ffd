package io.kcpj.examples;

import io.kcpj.core.KcpConfig;

/** Two ways to the same immutable, validated {@link KcpConfig}: the builder and the text form. */
public final class ConfigExample {
  public static void main(String[] args) {
    KcpConfig[] both = builderAndText();
    System.out.println(both[0] + (both[0].equals(both[1]) ? " == " : " != ") + both[1]);
  }

  /** The "fast" preset with 256-segment windows and a 1200-byte MTU, built both ways. */
  public static KcpConfig[] builderAndText() {
    // tag::config[]
    KcpConfig cfg = KcpConfig.fast().toBuilder().windows(256, 256).mtu(1200).build();
    KcpConfig same = KcpConfig.parse("fast,wnd=256,mtu=1200"); // the command-line form
    // end::config[]
    return new KcpConfig[] {cfg, same};
  }
}
