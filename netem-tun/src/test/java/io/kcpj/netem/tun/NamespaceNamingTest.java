package io.kcpj.netem.tun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class NamespaceNamingTest {

  @Test
  void generatedNamesCarryPrefixPidAndSequenceAndParseBack() {
    String a = NamespaceNaming.name("kcpj-", 1234, 7, Side.A);
    String b = NamespaceNaming.name("kcpj-", 1234, 7, Side.B);
    assertEquals("kcpj-1234-7-a", a);
    assertEquals("kcpj-1234-7-b", b);
    assertEquals(OptionalLong.of(1234), NamespaceNaming.ownerPid("kcpj-", a));
    assertEquals(OptionalLong.of(1234), NamespaceNaming.ownerPid("kcpj-", b));
  }

  @Test
  void onlyExactSchemeMatchesCount() {
    assertTrue(NamespaceNaming.ownerPid("kcpj-", "other-1234-7-a").isEmpty());
    assertTrue(NamespaceNaming.ownerPid("kcpj-", "kcpj-1234-7-c").isEmpty());
    assertTrue(NamespaceNaming.ownerPid("kcpj-", "kcpj-1234-a").isEmpty());
    assertTrue(NamespaceNaming.ownerPid("kcpj-", "kcpj-abc-7-a").isEmpty());
    assertTrue(NamespaceNaming.ownerPid("kcpj-", "kcpj-1234-7-a-x").isEmpty());
    assertTrue(NamespaceNaming.ownerPid("kcpj-", "kcpj-").isEmpty());
    // a longer prefix sharing our prefix is not ours
    assertTrue(NamespaceNaming.ownerPid("kcpj-", "kcpj-test-1234-7-a").isEmpty());
  }

  @Test
  void validatesPrefixesAndNames() {
    assertEquals("kcpj-", NamespaceNaming.checkPrefix("kcpj-"));
    assertThrows(IllegalArgumentException.class, () -> NamespaceNaming.checkPrefix(""));
    assertThrows(IllegalArgumentException.class, () -> NamespaceNaming.checkPrefix("a/b"));
    assertThrows(IllegalArgumentException.class, () -> NamespaceNaming.checkPrefix("a b"));
    assertThrows(IllegalArgumentException.class, () -> NamespaceNaming.checkPrefix("x".repeat(41)));
    assertThrows(IllegalArgumentException.class, () -> NamespaceNaming.checkName(".."));
    assertThrows(IllegalArgumentException.class, () -> NamespaceNaming.checkName("../etc"));
    assertEquals("lab.a", NamespaceNaming.checkName("lab.a"));
  }
}
