package io.kcpj.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.core.KcpConfig;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client codec and KcpChannel.newBootstrap on an EmbeddedChannel, against kcp-core peers. */
class KcpClientCodecTest {
  static final InetSocketAddress SERVER = new InetSocketAddress("10.9.9.9", 4000);

  final Recorder recorder = new Recorder(false);
  final RecordingListener listener = new RecordingListener();
  final KcpClientCodec codec =
      new KcpClientCodecBuilder().config(KcpConfig.fast()).sessionListener(listener).build();
  final EmbeddedKcp net = new EmbeddedKcp(codec);

  @AfterEach
  void tearDown() {
    net.finish();
    LeakCheck.assertNoLeaks();
  }

  KcpChannel connect(Integer conv) {
    KcpChannelBootstrap b =
        KcpChannel.newBootstrap(net.channel).remoteAddress(SERVER).handler(recorder);
    if (conv != null) {
      b.conv(conv);
    }
    Future<KcpChannel> f = b.connect();
    assertTrue(f.isSuccess(), () -> "connect failed: " + f.cause());
    return f.getNow();
  }

  @Test
  void bootstrapOpensAnActiveSessionThatTalksToItsServer() {
    KcpChannel ch = connect(77);
    assertEquals(77, ch.conv());
    assertTrue(ch.isActive());
    assertEquals(SERVER, ch.remoteAddress());
    assertEquals(List.of("active"), recorder.events);
    TestPeer server = net.peer(new TestPeer(SERVER, 77, KcpConfig.fast()));
    ch.writeAndFlush(Unpooled.copiedBuffer("ping", StandardCharsets.UTF_8));
    net.step(20);
    assertEquals(List.of("ping"), server.receivedText());
    server.send("pong");
    net.step(20);
    assertEquals(List.of("pong"), recorder.messagesSnapshot());
    assertEquals(1, codec.metrics().sessionsOpened());
  }

  @Test
  void convIsRandomAndNonZeroUnlessGivenAndPairsAreUnique() {
    KcpChannel a = connect(null);
    KcpChannel b = connect(null);
    assertNotEquals(0, a.conv());
    assertNotEquals(0, b.conv());
    assertNotEquals(a.conv(), b.conv());
    connect(5);
    Future<KcpChannel> dup =
        KcpChannel.newBootstrap(net.channel)
            .remoteAddress(SERVER)
            .conv(5)
            .handler(recorder)
            .connect();
    assertInstanceOf(IllegalStateException.class, dup.cause());
    assertEquals(3, codec.sessionCount());
  }

  @Test
  void datagramsForNoSessionAreDropped() {
    connect(1);
    TestPeer stranger = net.peer(new TestPeer(SERVER, 2, KcpConfig.fast()));
    stranger.send("who?");
    net.step(10);
    assertTrue(codec.metrics().datagramsDropped(KcpDropReason.UNKNOWN_SESSION) >= 1);
    assertEquals(1, codec.sessionCount());
    assertTrue(recorder.messages.isEmpty());
  }

  @Test
  void bootstrapWithoutACodecFails() {
    EmbeddedChannel bare = new EmbeddedChannel();
    Future<KcpChannel> f =
        KcpChannel.newBootstrap(bare).remoteAddress(SERVER).handler(recorder).connect();
    assertInstanceOf(IllegalStateException.class, f.cause());
    bare.finishAndReleaseAll();
  }

  @Test
  void sessionLimitAppliesToClientsToo() {
    KcpClientCodec limited = new KcpClientCodecBuilder().maxSessions(1).build();
    EmbeddedChannel ch = new EmbeddedChannel(limited);
    assertTrue(
        KcpChannel.newBootstrap(ch).remoteAddress(SERVER).handler(recorder).connect().isSuccess());
    assertInstanceOf(
        IllegalStateException.class,
        KcpChannel.newBootstrap(ch).remoteAddress(SERVER).handler(recorder).connect().cause());
    ch.finishAndReleaseAll();
  }
}
