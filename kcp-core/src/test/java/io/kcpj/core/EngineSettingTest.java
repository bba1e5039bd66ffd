package io.kcpj.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kcpj.core.EngineSetting.BooleanSetting;
import io.kcpj.core.EngineSetting.IntSetting;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The settings table against the engine and KcpConfig: defaults, each setting's wiring to its own
 * engine setter, and one range everywhere.
 */
class EngineSettingTest {
  static Kcp freshEngine() {
    return new Kcp(1, datagram -> {});
  }

  /** Valid values of a setting worth trying: its bounds, its default, and one in between. */
  static List<Object> samples(EngineSetting<?> s) {
    if (s instanceof BooleanSetting) {
      return List.of(true, false);
    }
    IntSetting i = (IntSetting) s;
    int mid = i.min() + (int) Math.min(1000L, ((long) i.max() - i.min()) / 2);
    return List.of(i.min(), i.max(), i.defaultInt(), mid);
  }

  @Test
  void aNewEngineRunsWithEveryDefaultOfTheTable() {
    Kcp k = freshEngine();
    for (EngineSetting<?> s : EngineSetting.all()) {
      assertEquals(s.defaultValue(), s.readFrom(k), s.key());
    }
    assertEquals(KcpConfig.classic(), KcpConfig.builder().build());
    for (EngineSetting<?> s : EngineSetting.all()) {
      assertEquals(s.defaultValue(), KcpConfig.classic().get(s), s.key());
    }
  }

  @Test
  void eachSettingChangesItsOwnEngineValueAndNothingElse() {
    for (EngineSetting<?> s : EngineSetting.all()) {
      for (Object v : samples(s)) {
        Kcp k = freshEngine();
        s.applyUnchecked(k, v);
        assertEquals(v, s.readFrom(k), s.key() + "=" + v);
        for (EngineSetting<?> other : EngineSetting.all()) {
          if (other == s) {
            continue;
          }
          Object expected = other.defaultValue();
          if (s == EngineSetting.NODELAY && other == EngineSetting.MIN_RTO) {
            expected = EngineSetting.minRtoFor((Integer) v); // as ikcp_nodelay
          }
          assertEquals(expected, other.readFrom(k), s.key() + "=" + v + " changed " + other);
        }
      }
    }
  }

  @Test
  void outOfRangeValuesAreRefusedAlikeByConfigParserAndEngine() {
    for (EngineSetting<?> s : EngineSetting.all()) {
      if (!(s instanceof IntSetting)) {
        continue;
      }
      IntSetting i = (IntSetting) s;
      Set<Long> bad = new HashSet<>(List.of((long) i.min() - 1, (long) i.max() + 1));
      for (long b : bad) {
        if (b < Integer.MIN_VALUE || b > Integer.MAX_VALUE) {
          continue;
        }
        int v = (int) b;
        String message = i.key() + " must be in [" + i.min() + ", " + i.max() + "], got " + v;
        assertRefused(message, () -> KcpConfig.builder().set(i, v));
        assertRefused(message, () -> i.applyTo(freshEngine(), v));
        IllegalArgumentException e =
            assertThrows(IllegalArgumentException.class, () -> KcpConfig.parse(i.key() + "=" + v));
        assertEquals("bad token '" + i.key() + "=" + v + "': " + message, e.getMessage());
      }
    }
  }

  @Test
  void theEnginesOwnSettersCheckTheTablesRanges() {
    Kcp k = freshEngine();
    assertRefused("mtu must be in [50, 65507], got 49", () -> k.setMtu(49));
    assertRefused("minrto must be in [1, 60000], got 0", () -> k.setMinRto(0));
    assertRefused("deadlink must be in [1, 2147483647], got 0", () -> k.setDeadLink(0));
    assertRefused("maxfrag must be in [1, 255], got 256", () -> k.setMaxFragments(256));
    assertRefused("sndwnd must be in [1, 65535], got 65536", () -> k.setWindowSize(65536, 0));
    assertRefused("rcvwnd must be in [128, 65535], got 65536", () -> k.setWindowSize(64, 65536));
    assertEquals(32, k.sendWindow(), "a refused pair of windows changes neither");
    // ikcp's lenient setters keep their semantics: the interval is clamped, small windows raised.
    k.setInterval(1);
    assertEquals(EngineSetting.INTERVAL.min(), k.interval());
    k.setWindowSize(0, 16);
    assertEquals(EngineSetting.RECEIVE_WINDOW.min(), k.receiveWindow());
  }

  @Test
  void minRtoZeroIsRefusedByConfigAsByTheChannelOptionRange() {
    // Once 0..60000 in KcpConfig but 1..60000 in kcp-netty's option: one range now.
    assertEquals(1, EngineSetting.MIN_RTO.min());
    assertThrows(IllegalArgumentException.class, () -> KcpConfig.builder().minRto(0));
    assertThrows(IllegalArgumentException.class, () -> KcpConfig.parse("minrto=0"));
  }

  @Test
  void everyKeyOfTheTableParsesToItsSetting() {
    Set<String> keys = new HashSet<>();
    for (EngineSetting<?> s : EngineSetting.all()) {
      assertEquals(s, EngineSetting.forKey(s.key().toUpperCase(java.util.Locale.ROOT)));
      assertEquals(true, keys.add(s.key()), "duplicate key " + s.key());
      for (Object v : samples(s)) {
        KcpConfig c = KcpConfig.parse(s.key() + "=" + v);
        assertEquals(v, c.get(s), s.key() + "=" + v);
      }
    }
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> EngineSetting.forKey("jitter"));
    assertEquals(
        "unknown setting 'jitter'; valid settings: nodelay, interval, resend, nc, sndwnd, rcvwnd,"
            + " mtu, minrto, deadlink, fastlimit, stream, maxfrag, thin, maxrto, dup, dupbytes,"
            + " repeatacks, ackdelay, xdelivery",
        e.getMessage());
  }

  private static void assertRefused(String message, Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertEquals(message, e.getMessage());
  }
}
