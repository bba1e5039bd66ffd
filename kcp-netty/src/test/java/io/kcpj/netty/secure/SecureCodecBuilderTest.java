package io.kcpj.netty.secure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.core.EngineSetting;
import io.kcpj.core.KcpConfig;
import io.kcpj.core.crypt.CryptConfig;
import io.kcpj.core.crypt.CryptMethod;
import io.kcpj.core.fec.FecSpec;
import io.kcpj.core.secure.SecureClientConfig;
import io.kcpj.core.secure.SecureServerConfig;
import io.kcpj.core.secure.SecureWire;
import io.kcpj.netty.KcpChannel;
import io.kcpj.netty.KcpChannelOption;
import io.kcpj.netty.KcpClientCodec;
import io.kcpj.netty.KcpClientCodecBuilder;
import io.kcpj.netty.KcpServerCodec;
import io.kcpj.netty.KcpServerCodecBuilder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Secure sessions set up through the codec builders alone ({@code secure(...)}): the codec installs
 * its layer and lowers the engine MTU itself; conflicting settings fail at {@code build()}. Virtual
 * time: two {@code EmbeddedChannel}s on one {@link MockTicker}, joined by a lossless link that
 * records the size of every datagram.
 */
class SecureCodecBuilderTest {
  static final InetSocketAddress SERVER = new InetSocketAddress("10.0.0.1", 4000);
  static final InetSocketAddress CLIENT = new InetSocketAddress("10.0.0.2", 5000);
  static final byte[] PSK = SecureSessionEventsTest.fill(32, 7);
  static final int WIRE_MTU = KcpConfig.fast().mtu(); // 1400: the configured KCP_MTU, unchanged

  final MockTicker ticker = Ticker.newMockTicker();
  final List<byte[]> clientReceived = new ArrayList<>();
  final List<Integer> wireSizes = new ArrayList<>();
  EmbeddedChannel server;
  EmbeddedChannel client;

  @AfterEach
  void tearDown() {
    if (client != null) {
      client.finishAndReleaseAll();
    }
    if (server != null) {
      server.finishAndReleaseAll();
    }
  }

  @Test
  void codecsBuiltWithSecureHandshakeEchoAndKeepDatagramsWithinTheMtu() {
    start(new KcpServerCodecBuilder(), new KcpClientCodecBuilder());
    assertInstanceOf(SecureServerLayer.class, server.pipeline().first(), "installed before it");
    assertInstanceOf(KcpServerCodec.class, server.pipeline().last());
    assertInstanceOf(SecureClientLayer.class, client.pipeline().first());
    SecureClientLayer clientLayer = (SecureClientLayer) client.pipeline().first();

    KcpChannel ch = connect();
    assertEquals(1, clientLayer.counters().handshakesCompleted);
    echoAndCheck(ch);
  }

  @Test
  void secureWithFecFailsAtBuild() {
    KcpClientCodecBuilder b =
        new KcpClientCodecBuilder()
            .secure(clientConfig())
            .option(KcpChannelOption.FEC_DATA_SHARDS, 4)
            .option(KcpChannelOption.FEC_PARITY_SHARDS, 2);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
    assertEquals(
        "secure(...) and FEC cannot be combined yet: the secure layers match the codec's datagrams"
            + " to sessions by the KCP conv in their first 4 bytes, where FEC puts its own header;"
            + " drop the FEC options",
        e.getMessage());
    b.option(KcpChannelOption.FEC, FecSpec.OFF);
    assertInstanceOf(KcpClientCodec.class, b.build(), "FEC switched off again");
  }

  @Test
  void aSecureCodecWithALayerAddedByHandAsWellRefusesTheSecondLayer() {
    KcpClientCodec codec = new KcpClientCodecBuilder().secure(clientConfig()).build();
    SecureClientLayer byHand = new SecureClientLayer(clientConfig());
    EmbeddedChannel ch = EmbeddedChannel.builder().ticker(ticker).handlers(byHand).build();
    ch.pipeline().addLast(codec); // Netty removes a handler whose handlerAdded throws
    Throwable e = assertThrows(Exception.class, ch::checkException);
    IllegalStateException cause = assertInstanceOf(IllegalStateException.class, e.getCause());
    assertEquals(
        "the codec was built with secure(...) and installs its own layer, but SecureClientLayer is"
            + " already before it in the pipeline: use one or the other",
        cause.getMessage());
    assertEquals(List.of(byHand), List.copyOf(ch.pipeline().toMap().values()), "one layer");
    ch.finishAndReleaseAll();
  }

  @Test
  void secureWithKcpGoEncryptionFailsAtBuild() {
    CryptConfig crypt = CryptConfig.fromPassphrase(CryptMethod.AES_256, "kcpj test");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new KcpClientCodecBuilder()
                    .secure(clientConfig())
                    .option(KcpChannelOption.CRYPT, crypt)
                    .build());
    assertEquals(
        "secure(...) and KcpChannelOption.CRYPT cannot be combined: secure sessions already"
            + " encrypt and authenticate every datagram; drop the CRYPT option",
        e.getMessage());
  }

  @Test
  void anMtuTooSmallForTheRecordFailsAtBuild() {
    KcpServerCodecBuilder b =
        new KcpServerCodecBuilder()
            .secure(serverConfig())
            .config(KcpConfig.fast().toBuilder().mtu(75).build())
            .handler(new EchoServer());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
    assertEquals(
        "KCP_MTU 75 is too small for secure sessions: less 26 bytes per secure record, it leaves 49"
            + " for KCP, below its minimum of 50; set KCP_MTU to at least 76",
        e.getMessage());
    b.option(KcpChannelOption.of(EngineSetting.MTU), 76);
    assertInstanceOf(KcpServerCodec.class, b.build(), "76 leaves KCP its minimum");
  }

  @Test
  void admissionSettingsWithoutSecureFailAtBuild() {
    KcpServerCodecBuilder b =
        new KcpServerCodecBuilder().secureMaxHalfOpen(10).handler(new EchoServer());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
    assertEquals(
        "secureMaxHalfOpen(...) needs secure(SecureServerConfig): it tunes secure sessions",
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> b.secureResetsPerSecond(-1));
  }

  // ------------------------------------------------------------------------------- helpers

  static SecureServerConfig serverConfig() {
    return SecureServerConfig.builder().psk(PSK).build();
  }

  static SecureClientConfig clientConfig() {
    return SecureClientConfig.builder().psk(PSK).build();
  }

  /**
   * Builds both codecs with {@code fast()} and secure sessions; each channel holds its codec only.
   */
  void start(KcpServerCodecBuilder serverBuilder, KcpClientCodecBuilder clientBuilder) {
    KcpServerCodec serverCodec =
        serverBuilder
            .config(KcpConfig.fast())
            .secure(serverConfig())
            .secureMaxHalfOpen(10)
            .secureResetsPerSecond(10)
            .handler(new EchoServer())
            .build();
    KcpClientCodec clientCodec =
        clientBuilder.config(KcpConfig.fast()).secure(clientConfig()).build();
    server = EmbeddedChannel.builder().ticker(ticker).handlers(serverCodec).build();
    client = EmbeddedChannel.builder().ticker(ticker).handlers(clientCodec).build();
  }

  KcpChannel connect() {
    Future<KcpChannel> connecting =
        KcpChannel.newBootstrap(client).remoteAddress(SERVER).handler(new Received()).connect();
    exchange();
    assertTrue(connecting.isSuccess(), () -> "connected: " + connecting.cause());
    return connecting.getNow();
  }

  /**
   * Echoes small messages and one of 20,000 bytes (many full segments): all come back intact, and
   * no datagram on the wire is larger than the configured MTU, the full ones exactly as large.
   */
  void echoAndCheck(KcpChannel ch) {
    List<byte[]> sent = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      sent.add(("message " + i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    byte[] big = new byte[20_000];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) i;
    }
    sent.add(big);
    for (byte[] m : sent) {
      ch.writeAndFlush(Unpooled.wrappedBuffer(m));
      exchange();
    }
    assertEquals(sent.size(), clientReceived.size(), "every message echoed");
    for (int i = 0; i < sent.size(); i++) {
      assertTrue(Arrays.equals(sent.get(i), clientReceived.get(i)), "message " + i + " intact");
    }
    int largest = wireSizes.stream().mapToInt(Integer::intValue).max().orElse(0);
    assertEquals(
        WIRE_MTU,
        largest,
        "full datagrams are exactly KCP_MTU on the wire (engine MTU "
            + (WIRE_MTU - SecureWire.TRANSPORT_OVERHEAD)
            + " + the record's 26 bytes), none larger");
  }

  /** Runs due tasks on both loops and moves datagrams both ways until nothing moves. */
  void exchange() {
    for (int round = 0; round < 1_000; round++) {
      client.runScheduledPendingTasks();
      server.runScheduledPendingTasks();
      client.runPendingTasks();
      server.runPendingTasks();
      boolean moved = false;
      for (Object o; (o = client.readOutbound()) != null; ) {
        DatagramPacket p = (DatagramPacket) o;
        moved = true;
        wireSizes.add(p.content().readableBytes());
        server.writeInbound(new DatagramPacket(p.content(), SERVER, CLIENT));
      }
      for (Object o; (o = server.readOutbound()) != null; ) {
        DatagramPacket p = (DatagramPacket) o;
        moved = true;
        wireSizes.add(p.content().readableBytes());
        client.writeInbound(new DatagramPacket(p.content(), CLIENT, SERVER));
      }
      if (!moved) {
        return;
      }
    }
    throw new AssertionError("the exchange did not settle");
  }

  /** The server's session initializer: echoes every message. */
  static final class EchoServer extends ChannelInitializer<KcpChannel> {
    @Override
    protected void initChannel(KcpChannel ch) {
      ch.pipeline()
          .addLast(
              new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                  ctx.writeAndFlush(msg);
                }
              });
    }
  }

  /** Records what the client's channel receives. */
  final class Received extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf b = (ByteBuf) msg;
      byte[] bytes = new byte[b.readableBytes()];
      b.readBytes(bytes);
      clientReceived.add(bytes);
      ReferenceCountUtil.release(msg);
    }
  }
}
