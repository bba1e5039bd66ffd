package io.kcpj.netem.tun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.netem.Direction;
import io.kcpj.netem.profile.Profile;
import org.junit.jupiter.api.Test;

/** Builder validation and naming; creates nothing, needs no privileges. */
class TunBridgeBuilderTest {

  @Test
  void defaultsAndGeneratedNames() {
    TunBridge one = TunBridge.builder().build();
    TunBridge two = TunBridge.builder().build();
    long pid = ProcessHandle.current().pid();
    assertEquals("192.0.2.1", one.addressA().getHostAddress());
    assertEquals("192.0.2.2", one.addressB().getHostAddress());
    assertEquals(1500, one.mtu());
    assertTrue(
        one.namespaceA().startsWith("kcpj-" + pid + "-") && one.namespaceA().endsWith("-a"),
        one.namespaceA());
    assertEquals(pid, NamespaceNaming.ownerPid("kcpj-", one.namespaceB()).getAsLong());
    assertNotEquals(one.namespaceA(), two.namespaceA(), "bridges in one JVM get distinct names");
    assertTrue(
        !one.isRunning()
            && one.failure().isEmpty()
            && one.traffic().offered(Direction.A_TO_B).packets() == 0);
    one.close(); // closing a never-started bridge is a no-op
    assertThrows(IllegalStateException.class, one::start);
  }

  @Test
  void explicitNamesAndAddresses() {
    TunBridge b =
        TunBridge.builder()
            .namespaceNames("lab-x", "lab-y")
            .addresses("10.9.0.1", "10.9.0.2")
            .prefixLength(30)
            .build();
    assertEquals("lab-x", b.namespace(Side.A));
    assertEquals("lab-y", b.namespace(Side.B));
    assertEquals("10.9.0.2", b.address(Side.B).getHostAddress());
  }

  @Test
  void rejectsInvalidConfiguration() {
    assertThrows(
        IllegalArgumentException.class,
        () -> TunBridge.builder().addresses("192.0.2.1", "192.0.3.2").build());
    assertThrows(
        IllegalArgumentException.class,
        () -> TunBridge.builder().addresses("192.0.2.1", "192.0.2.1").build());
    assertThrows(
        IllegalArgumentException.class,
        () -> TunBridge.builder().addresses("192.0.2.300", "192.0.2.2"));
    assertThrows(
        IllegalArgumentException.class,
        () -> TunBridge.builder().addresses("example.com", "192.0.2.2"));
    assertThrows(
        IllegalArgumentException.class, () -> TunBridge.builder().addresses("::1", "192.0.2.2"));
    assertThrows(
        IllegalArgumentException.class, () -> TunBridge.builder().namespaceNames("same", "same"));
    assertThrows(
        IllegalArgumentException.class, () -> TunBridge.builder().namespaceNames("a/b", "c"));
    assertThrows(IllegalArgumentException.class, () -> TunBridge.builder().mtu(100));
    assertThrows(IllegalArgumentException.class, () -> TunBridge.builder().txQueueLength(0));
    assertThrows(
        IllegalArgumentException.class,
        () -> TunBridge.builder().interfaceNameTemplate("much-too-long-name%d"));
    PacketPath shared = NetemPaths.create(Profile.parse("loss=10%"), 1, false).aToB();
    assertThrows(
        IllegalArgumentException.class,
        () -> TunBridge.builder().pathAtoB(shared).pathBtoA(shared).build());
  }
}
