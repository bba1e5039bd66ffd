package io.kcpj.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.kcpj.core.KcpConfig;
import io.kcpj.core.wire.SegmentHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzz target of the server codec's datagram path (see docs/fuzzing.md). A healthy client opens a
 * session; then the fuzzer's bytes choose datagrams sent to the codec's {@code EmbeddedChannel}
 * from three source addresses (two strangers and the healthy client's own address with other
 * conversation ids): raw bytes or well-formed segments with any field values, interleaved with the
 * healthy client's messages and virtual-time steps. Afterwards:
 *
 * <ul>
 *   <li>no exception reached the end of the datagram channel's pipeline, and none was thrown inside
 *       the codec either (it would count a drop as {@code INTERNAL_ERROR});
 *   <li>the healthy client got the echo of every message it sent, in order;
 *   <li>every buffer is released: each injected datagram's content, and everything the codec and
 *       its sessions allocated (a per-run allocator's live memory returns to zero); Netty's
 *       paranoid leak detector reports nothing over the whole run.
 * </ul>
 */
class KcpServerCodecFuzzTest {
  private static final InetSocketAddress HEALTHY = new InetSocketAddress("10.9.0.1", 7001);
  private static final InetSocketAddress[] SOURCES = {
    new InetSocketAddress("10.9.0.2", 7002), new InetSocketAddress("10.9.0.3", 7003), HEALTHY
  };
  private static final int HEALTHY_CONV = 77;
  private static final int MAX_OPS = 64;
  private static final UnpooledByteBufAllocator INJECTED =
      new UnpooledByteBufAllocator(false, true);

  @FuzzTest(maxDuration = "30s")
  void anyDatagramsLeaveAHealthySessionWorkingAndLeakNothing(FuzzedDataProvider data) {
    UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(false, true);
    Recorder echo = new Recorder(true);
    KcpServerCodec codec =
        new KcpServerCodecBuilder()
            .config(KcpConfig.fast())
            .maxSessions(data.consumeInt(1, 6))
            .handler(echo)
            .build();
    EmbeddedKcp net = new EmbeddedKcp(codec);
    net.channel.config().setAllocator(alloc);
    List<ByteBuf> injected = new ArrayList<>();
    List<String> sent = new ArrayList<>();
    try {
      TestPeer healthy = net.peer(new TestPeer(HEALTHY, HEALTHY_CONV, KcpConfig.fast()));
      sent.add("open");
      healthy.send("open");
      net.step(10);
      for (int op = 0; op < MAX_OPS && data.remainingBytes() > 0; op++) {
        switch (data.consumeInt(0, 4)) {
          case 0, 1 -> {
            int source = data.consumeInt(0, SOURCES.length - 1);
            byte[] d =
                data.consumeBoolean() ? data.consumeBytes(data.consumeInt(0, 1500)) : forged(data);
            if (SOURCES[source] == HEALTHY
                && d.length >= 4
                && SegmentHeader.conv(d, 0) == HEALTHY_CONV) {
              d[0] ^= 1; // the healthy conversation itself is not ours to forge (no authentication)
            }
            // Not Unpooled.wrappedBuffer: for zero bytes it gives the shared empty buffer, which
            // is never released.
            ByteBuf buf = INJECTED.heapBuffer(d.length).writeBytes(d);
            injected.add(buf);
            net.channel.writeInbound(new DatagramPacket(buf, EmbeddedKcp.LOCAL, SOURCES[source]));
          }
          case 2 -> {
            String m = "m" + sent.size();
            sent.add(m);
            healthy.send(m);
          }
          default -> net.step(data.consumeInt(0, 20));
        }
        net.channel.checkException();
      }
      net.step(100);
      net.channel.checkException();
      assertEquals(sent, healthy.receivedText(), "the healthy session's echoes");
      assertTrue(echo.errors.isEmpty(), () -> "exceptions in child pipelines: " + echo.errors);
      // The codec survives an exception thrown while handling a datagram (it logs and drops it
      // as INTERNAL_ERROR), but any such exception is a bug, found here.
      assertEquals(
          0, codec.metrics().datagramsDropped(KcpDropReason.INTERNAL_ERROR), "internal errors");
    } finally {
      net.finish();
    }
    for (ByteBuf buf : injected) {
      assertEquals(0, buf.refCnt(), "an injected datagram was not released");
    }
    long live = alloc.metric().usedHeapMemory() + alloc.metric().usedDirectMemory();
    assertEquals(0, live, "bytes of buffers the codec allocated and never released");
  }

  @AfterAll
  static void paranoidLeakDetectorSawNoLeak() {
    LeakCheck.assertNoLeaks();
  }

  /** One or more segments with a header of the fuzzer's choice; lengths mostly consistent. */
  private static byte[] forged(FuzzedDataProvider data) {
    int segments = data.consumeInt(1, 4);
    List<byte[]> parts = new ArrayList<>();
    int conv = data.consumeBoolean() ? data.consumeInt(1, 4) : data.consumeInt();
    for (int i = 0; i < segments; i++) {
      int cmd =
          data.consumeBoolean()
              ? SegmentHeader.CMD_PUSH + data.consumeInt(0, 3)
              : data.consumeByte() & 0xff;
      byte[] payload = data.consumeBytes(data.consumeInt(0, 64));
      byte[] seg = new byte[SegmentHeader.HEADER_SIZE + payload.length];
      int len = data.consumeInt(0, 15) == 0 ? data.consumeInt() : payload.length;
      SegmentHeader.write(
          seg,
          0,
          conv,
          cmd,
          data.consumeInt(0, 255),
          data.consumeInt(0, 65535),
          data.consumeInt(),
          data.consumeBoolean() ? data.consumeInt(0, 8) : data.consumeInt(),
          data.consumeInt(0, 8),
          len);
      System.arraycopy(payload, 0, seg, SegmentHeader.HEADER_SIZE, payload.length);
      parts.add(seg);
    }
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }
}
