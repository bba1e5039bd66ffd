package io.kcpj.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.core.Delivery;
import io.kcpj.core.KcpConfig;
import io.kcpj.core.wire.SegmentHeader;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Per-write delivery in kcp-netty: a {@link KcpMessage} picks the mode of one message, {@link
 * KcpChannelOption#DEFAULT_DELIVERY} that of plain {@code ByteBuf}s, and the modes reach the wire
 * as the delivery extension's commands only when the extension is on.
 */
class KcpMessageDeliveryTest {
  static final InetSocketAddress SERVER = new InetSocketAddress("10.9.9.9", 4000);

  EmbeddedKcp net;

  @AfterEach
  void tearDown() {
    if (net != null) {
      net.finish();
    }
    LeakCheck.assertNoLeaks();
  }

  KcpChildChannel connect(KcpConfig config, Delivery defaultDelivery) {
    net = new EmbeddedKcp(new KcpClientCodecBuilder().config(config).build());
    KcpChannelBootstrap b = KcpChannel.newBootstrap(net.channel);
    if (defaultDelivery != null) {
      b.option(KcpChannelOption.DEFAULT_DELIVERY, defaultDelivery);
    }
    Future<KcpChannel> f = b.remoteAddress(SERVER).handler(new Recorder(false)).connect();
    assertTrue(f.isSuccess(), () -> "connect failed: " + f.cause());
    return (KcpChildChannel) f.getNow();
  }

  private static io.netty.buffer.ByteBuf text(String s) {
    return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
  }

  /**
   * The commands of every segment in the datagrams sent so far (no peer: all unrouted), without the
   * WINS segments a client pads its first datagrams with (PAD_UNTIL_ANSWERED).
   */
  private List<Integer> commandsSent() {
    net.exchange();
    java.util.ArrayList<Integer> cmds = new java.util.ArrayList<>();
    for (byte[] d : net.unrouted) {
      for (int at = 0; at + SegmentHeader.HEADER_SIZE <= d.length; ) {
        if (SegmentHeader.cmd(d, at) != SegmentHeader.CMD_WINS) {
          cmds.add(SegmentHeader.cmd(d, at));
        }
        at += SegmentHeader.HEADER_SIZE + (int) SegmentHeader.len(d, at);
      }
    }
    return cmds;
  }

  @Test
  void aKcpMessageCarriesItsModeAndAByteBufTheChannelDefault() {
    KcpChildChannel ch = connect(KcpConfig.game(), Delivery.SEQUENCED);
    assertEquals(Delivery.SEQUENCED, ch.config().getOption(KcpChannelOption.DEFAULT_DELIVERY));
    ch.writeAndFlush(new KcpMessage(text("event"), Delivery.UNORDERED));
    ch.writeAndFlush(new KcpMessage(text("chat"), Delivery.ORDERED));
    ch.writeAndFlush(text("snapshot"));
    assertEquals(
        List.of(SegmentHeader.CMD_UPUSH, SegmentHeader.CMD_PUSH, SegmentHeader.CMD_SPUSH),
        commandsSent());
  }

  @Test
  void withoutTheExtensionANonOrderedWriteFailsAndSendsNothing() {
    KcpChildChannel ch = connect(KcpConfig.fast(), null);
    ChannelFuture f = ch.writeAndFlush(new KcpMessage(text("event"), Delivery.UNORDERED));
    assertFalse(f.isSuccess());
    assertInstanceOf(IllegalStateException.class, f.cause());
    assertTrue(f.cause().getMessage().contains("delivery extension"), f.cause().getMessage());
    assertEquals(0, ch.waitSnd());
    ch.writeAndFlush(text("ordered still works"));
    assertEquals(List.of(SegmentHeader.CMD_PUSH), commandsSent());
  }

  @Test
  void anUnorderedMessageReachesThePeerPastAMissingOne() {
    KcpChildChannel ch = connect(KcpConfig.game(), null);
    TestPeer peer = net.peer(new TestPeer(SERVER, ch.conv(), KcpConfig.game()));
    peer.listening = false; // the first datagram is lost
    ch.writeAndFlush(new KcpMessage(text("first"), Delivery.ORDERED));
    net.exchange();
    peer.listening = true;
    ch.writeAndFlush(new KcpMessage(text("second"), Delivery.UNORDERED));
    net.exchange();
    assertEquals(
        List.of("second"), peer.receivedText(), "delivered before the missing ordered one");
    net.step(500); // the first is retransmitted (or arrives as a copy) and delivered after
    assertEquals(List.of("second", "first"), peer.receivedText());
  }
}
