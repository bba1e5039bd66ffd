package io.kcpj.netem.delay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/**
 * netem's three tables, byte for byte: the CRC-32 of each table's 4096 little-endian 16-bit values
 * and a few entries, from the tables iproute2's generators print (netem/normal.c, pareto.c and
 * paretonormal.c at commit ee2a4a86, built with gcc and glibc's libm).
 */
class NetemTablesTest {

  private static long crc(short[] table) {
    ByteBuffer bytes = ByteBuffer.allocate(table.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (short v : table) {
      bytes.putShort(v);
    }
    CRC32 crc = new CRC32();
    crc.update(bytes.array());
    return crc.getValue();
  }

  @Test
  void normalIsIproute2sTable() {
    short[] t = NetemTables.Kind.NORMAL.entries();
    assertEquals(4096, t.length);
    assertEquals(-32768, t[0], "clipped at -4");
    assertEquals(-28307, t[1]);
    assertEquals(0, t[2048]);
    assertEquals(28858, t[4095]);
    assertEquals(0x70565c65L, crc(t));
  }

  @Test
  void paretoIsIproute2sTable() {
    short[] t = NetemTables.Kind.PARETO.entries();
    assertEquals(-5461, t[0], "(4/3)(1 - 3/2) = -2/3");
    assertEquals(-2622, t[2048]);
    assertEquals(32767, t[4095], "capped at 32767");
    assertEquals(0xeefaaa26L, crc(t));
  }

  @Test
  void paretoNormalIsIproute2sTable() {
    short[] t = NetemTables.Kind.PARETO_NORMAL.entries();
    assertEquals(-12305, t[0]);
    assertEquals(-1966, t[2048]);
    assertEquals(31789, t[4095]);
    assertEquals(0x7bf1f4e1L, crc(t));
    assertEquals(-12305, NetemTables.Kind.PARETO_NORMAL.minimum());
  }

  /** The kernel's tabledist: σ·v/8192 rounded half away from zero, without overflow. */
  @Test
  void scaleRoundsAsTheKernel() {
    assertEquals(77_609_863, NetemTables.scale(20_000_000, 31789)); // 77,609,863.28
    assertEquals(-30_017_090, NetemTables.scale(20_000_000, -12295)); // -30,017,089.84
    assertEquals(1, NetemTables.scale(1, 4096), "0.5 rounds up");
    assertEquals(-1, NetemTables.scale(1, -4096), "-0.5 rounds down");
    assertEquals(0, NetemTables.scale(1, 4095));
    assertEquals(0, NetemTables.scale(0, 32767));
    long huge = 1L << 50;
    assertEquals((huge / 8192) * 32767, NetemTables.scale(huge, 32767));
  }
}
