package io.kcpj.bench.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.bench.Kcpj;
import io.kcpj.core.KcpConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The raw-UDP floor: the server's echo in front of the KCP codec (which datagrams it takes, what it
 * returns, what it leaves to KCP), and real-socket runs of {@code --protocol udp} and {@code
 * --floor}.
 */
class PerfRawUdpTest {
  private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40_000);

  private static DatagramPacket raw(int type, int size) {
    ByteBuf b = PerfRawUdp.datagram(UnpooledByteBufAllocator.DEFAULT, type, 7, 123_456L, size);
    return new DatagramPacket(b, new InetSocketAddress("127.0.0.1", 1), CLIENT);
  }

  @Test
  void aRawEchoIsReturnedUnchangedToItsSenderAndCounted() {
    LongAdder echoed = new LongAdder();
    EmbeddedChannel ch = new EmbeddedChannel(new PerfRawUdp.ServerEcho(echoed, new PerfDrops()));
    DatagramPacket in = raw(PerfProtocol.ECHO, 100);
    ByteBuf content = in.content();
    assertEquals(PerfRawUdp.PREFIX + 100, content.readableBytes());
    assertTrue(!ch.writeInbound(in), "a raw datagram does not go on to the KCP codec");
    DatagramPacket out = ch.readOutbound();
    assertSame(content, out.content(), "the received buffer goes back out");
    assertEquals(CLIENT, out.recipient());
    assertEquals(PerfProtocol.ECHO, PerfRawUdp.type(out.content()));
    assertEquals(7, PerfRawUdp.session(out.content()));
    assertEquals(123_456L, PerfRawUdp.stamp(out.content()));
    assertEquals(1, echoed.sum());
    out.release();
    assertTrue(!ch.finish());
  }

  @Test
  void kcpDatagramsAndOtherMessagesPassOnUntouched() {
    LongAdder echoed = new LongAdder();
    EmbeddedChannel ch = new EmbeddedChannel(new PerfRawUdp.ServerEcho(echoed, new PerfDrops()));
    // A KCP segment whose conv happens to be the magic: its command byte (81..84) is not 0.
    ByteBuf kcp = Unpooled.buffer(40).writeInt(PerfRawUdp.MAGIC).writeByte(81).writeZero(35);
    DatagramPacket kcpPacket = new DatagramPacket(kcp, CLIENT, CLIENT);
    assertTrue(ch.writeInbound(kcpPacket));
    assertSame(kcpPacket, ch.readInbound());
    kcpPacket.release();
    // Too short to hold a perf message after the prefix.
    ByteBuf shortOne = Unpooled.buffer(12).writeInt(PerfRawUdp.MAGIC).writeZero(8);
    assertTrue(ch.writeInbound(new DatagramPacket(shortOne, CLIENT, CLIENT)));
    ((DatagramPacket) ch.readInbound()).release();
    assertNull(ch.readOutbound());
    assertEquals(0, echoed.sum());
  }

  @Test
  void aRawNonEchoIsDroppedAndReleased() {
    EmbeddedChannel ch =
        new EmbeddedChannel(new PerfRawUdp.ServerEcho(new LongAdder(), new PerfDrops()));
    DatagramPacket stats = raw(PerfProtocol.STATS_REQUEST, 16);
    ch.writeInbound(stats);
    assertEquals(0, stats.refCnt());
    assertNull(ch.readOutbound());
    assertNull(ch.readInbound());
  }

  @Test
  void aRawUdpRunIsAnsweredInFullByThePerfServer() throws Exception {
    try (PerfServer server =
        new PerfServer(new InetSocketAddress("127.0.0.1", 0), KcpConfig.fast(), 100)) {
      PerfClient.Settings s =
          new PerfClient.Settings(
              server.localAddress(),
              4,
              2,
              1,
              50,
              100,
              Duration.ofSeconds(1),
              Duration.ofMillis(300),
              KcpConfig.fast(),
              false,
              0,
              "nio");
      PerfResult r = new PerfClient(s, PerfClient.Protocol.UDP).run();
      assertEquals("udp", r.values().get("protocol"), r.toTable());
      assertEquals(200, r.number("sent"), 12, r.toTable());
      assertEquals(r.number("sent"), r.number("received"), r.toTable());
      assertTrue(r.number("rtt_p50_ms") > 0, r.toTable());
      // Raw echoes are counted by the server; the KCP codec saw only the control session.
      assertTrue(server.echoed() >= r.number("received"), r.toTable());
      assertEquals(1, server.codec().metrics().sessionsOpen(), "only the control session");
      assertEquals(
          r.number("sent") * (PerfRawUdp.PREFIX + 100),
          r.number("client_wire_bytes_out"),
          PerfRawUdp.PREFIX + 100.0 * 12,
          r.toTable());
    }
  }

  @Test
  void floorRunsBothProtocolsAndReportsTheExcess() throws Exception {
    try (PerfServer server =
        new PerfServer(new InetSocketAddress("127.0.0.1", 0), KcpConfig.fast(), 100)) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      CommandLine cl = Kcpj.newCommandLine();
      cl.setOut(new PrintWriter(out, true));
      cl.setErr(new PrintWriter(err, true));
      int exit =
          cl.execute(
              "perf",
              "client",
              "--connect",
              "127.0.0.1:" + server.localAddress().getPort(),
              "--rate",
              "50",
              "--duration",
              "1s",
              "--warmup",
              "200ms",
              "--floor",
              "--json");
      assertEquals(0, exit, err.toString());
      String json = out.toString();
      for (String key :
          new String[] {
            "\"protocol\":\"kcp\"",
            "\"floor_rtt_p50_ms\":",
            "\"floor_rtt_p99_ms\":",
            "\"received\":50",
            "\"excess_p50_ms\":",
            "\"p99_over_floor\":",
            "\"send_lag_p50_ms\":"
          }) {
        assertTrue(json.contains(key), key + " in " + json);
      }
      // The floor ran in the same window as KCP, not before it: the server's echoes between the
      // window's two STATS requests cover both (one after the other, they would cover KCP's 50
      // alone). 10 % slack for the STATS answers' lag.
      assertTrue(number(json, "server_echoed") >= 90, json);
      // The twin's schedule is shifted by half a period: 49 to 51 of its sends fall in the window.
      assertEquals(50, number(json, "floor_sent"), 1, json);
      assertEquals(number(json, "floor_sent"), number(json, "floor_received"), json);
    }
  }

  private static long number(String json, String key) {
    Matcher m = Pattern.compile("\"" + key + "\":(\\d+)").matcher(json);
    assertTrue(m.find(), key + " in " + json);
    return Long.parseLong(m.group(1));
  }

  @Test
  void floorAndBulkOrAnUnknownProtocolAreRefused() {
    for (String[] args :
        new String[][] {
          {"--protocol", "tcp"},
          {"--floor", "--bulk"},
          {"--protocol", "udp", "--bulk"},
          {"--floor", "--protocol", "udp"}
        }) {
      StringWriter err = new StringWriter();
      CommandLine cl = Kcpj.newCommandLine();
      cl.setErr(new PrintWriter(err, true));
      String[] all = new String[args.length + 4];
      all[0] = "perf";
      all[1] = "client";
      all[2] = "--connect";
      all[3] = "127.0.0.1:9";
      System.arraycopy(args, 0, all, 4, args.length);
      assertEquals(2, cl.execute(all), String.join(" ", args) + ": " + err);
      assertEquals(1, err.toString().strip().lines().count(), err.toString());
    }
  }
}
