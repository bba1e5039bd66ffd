package io.kcpj.netty.secure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.core.KcpConfig;
import io.kcpj.core.secure.SecureClientConfig;
import io.kcpj.core.secure.SecureCounters;
import io.kcpj.core.secure.SecureDrop;
import io.kcpj.core.secure.SecureServerConfig;
import io.kcpj.core.secure.SecureTimers;
import io.kcpj.core.secure.SecureWire;
import io.kcpj.netty.KcpChannel;
import io.kcpj.netty.KcpClientCodec;
import io.kcpj.netty.KcpClientCodecBuilder;
import io.kcpj.netty.KcpCloseReason;
import io.kcpj.netty.KcpConnectException;
import io.kcpj.netty.KcpDropReason;
import io.kcpj.netty.KcpServerCodec;
import io.kcpj.netty.KcpServerCodecBuilder;
import io.kcpj.netty.KcpSessionLayerEvent;
import io.kcpj.netty.micrometer.KcpCodecMeterBinder;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
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
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the secure layers tell the KCP codecs (docs/secure-sessions.md, section 12.2), on virtual
 * time: two {@code EmbeddedChannel}s sharing one {@link MockTicker}, joined by a lossless link that
 * a test can cut, re-address (the client's NAT rebinding) or point at a restarted server.
 */
class SecureSessionEventsTest {
  static final InetSocketAddress SERVER = new InetSocketAddress("10.0.0.1", 4000);
  static final InetSocketAddress CLIENT = new InetSocketAddress("10.0.0.2", 5000);
  static final InetSocketAddress CLIENT_MOVED = new InetSocketAddress("10.0.0.3", 6000);
  static final byte[] PSK = fill(32, 1);
  static final byte[] RESET_KEY = fill(32, 2);
  static final long IDLE = 6_000;
  static final SecureTimers TIMERS =
      SecureTimers.builder().keepaliveInterval(2_000).idleTimeout(IDLE).build();
  static final KcpConfig KCP =
      KcpConfig.fast().toBuilder()
          .mtu(KcpConfig.fast().mtu() - SecureWire.TRANSPORT_OVERHEAD)
          .build();

  /** A request starting with this byte is answered with {@link #BIG_ANSWER} bytes. */
  static final byte BIG = 'B';

  static final int BIG_ANSWER = 20_000;

  final MockTicker ticker = Ticker.newMockTicker();
  final List<KcpChannel> serverChildren = new ArrayList<>();
  final List<Object> serverEvents = new ArrayList<>();
  final List<String> clientReceived = new ArrayList<>();
  final List<Object> clientEvents = new ArrayList<>();
  int clientActivations;

  Server server = new Server();
  SecureClientLayer clientLayer = clientLayer(PSK);
  KcpClientCodec clientCodec = new KcpClientCodecBuilder().config(KCP).build();
  EmbeddedChannel client;
  InetSocketAddress clientAddress = CLIENT;
  boolean linkUp = true;

  /** While set, the server's datagrams to the client are kept in {@link #held}, not delivered. */
  boolean holdToClient;

  final List<DatagramPacket> held = new ArrayList<>();

  /** The server's datagrams to this address are lost (a path that works one way only), or null. */
  InetSocketAddress deafAddress;

  /** While set, a copy of every client datagram is kept in {@link #captured}. */
  boolean capture;

  final List<byte[]> captured = new ArrayList<>();

  /** One server process: its layer, codec and datagram channel. */
  final class Server {
    Server() {
      this(100);
    }

    Server(int maxSessions) {
      this(
          maxSessions,
          new ChannelInitializer<KcpChannel>() {
            @Override
            protected void initChannel(KcpChannel ch) {
              serverChildren.add(ch);
              ch.pipeline().addLast(new ServerHandler());
            }
          });
    }

    Server(int maxSessions, ChannelHandler childHandler) {
      codec =
          new KcpServerCodecBuilder()
              .config(KCP)
              .maxSessions(maxSessions)
              .handler(childHandler)
              .build();
      channel = EmbeddedChannel.builder().ticker(ticker).handlers(layer, codec).build();
    }

    final SecureServerLayer layer =
        new SecureServerLayer(
            SecureServerConfig.builder().psk(PSK).resetKey(RESET_KEY).timers(TIMERS).build(),
            false,
            100,
            100);
    final KcpServerCodec codec;
    final EmbeddedChannel channel;
  }

  SecureClientLayer clientLayer(byte[] psk) {
    return new SecureClientLayer(SecureClientConfig.builder().psk(psk).timers(TIMERS).build());
  }

  EmbeddedChannel client() {
    if (client == null) {
      client = EmbeddedChannel.builder().ticker(ticker).handlers(clientLayer, clientCodec).build();
    }
    return client;
  }

  @AfterEach
  void tearDown() {
    held.forEach(DatagramPacket::release);
    client().finishAndReleaseAll();
    server.channel.finishAndReleaseAll();
  }

  // ------------------------------------------------------------------------------ (a) connect

  @Test
  void connectSucceedsOnlyOnceTheHandshakeCompleted() {
    Future<KcpChannel> connecting = startConnect();
    assertFalse(connecting.isDone(), "pending while the handshake runs");
    assertEquals(0, clientCodec.sessionCount(), "no channel before the handshake");
    assertEquals(1, clientLayer.sessionCount());
    assertEquals(0, clientLayer.establishedCount());
    exchange();
    assertTrue(connecting.isSuccess(), () -> "connected: " + connecting.cause());
    KcpChannel ch = connecting.getNow();
    assertTrue(ch.isActive());
    assertEquals(1, clientActivations, "channelActive once, after the handshake");
    assertEquals(1, clientLayer.establishedCount());
    assertEquals(1, clientLayer.counters().handshakesCompleted);
    send(ch, "hello");
    assertEquals(List.of("hello"), clientReceived);
  }

  @Test
  void wrongPreSharedKeyFailsTheConnectWithItsReason() {
    clientLayer = clientLayer(fill(32, 9));
    Future<KcpChannel> connecting = startConnect();
    step(TIMERS.handshakeTimeout() - 100);
    assertFalse(connecting.isDone(), "still trying before the handshake timeout");
    step(200);
    assertTrue(connecting.isDone(), "failed at the handshake timeout");
    Throwable cause = connecting.cause();
    KcpConnectException e = assertInstanceOf(KcpConnectException.class, cause);
    assertEquals(KcpCloseReason.HANDSHAKE_FAILED, e.closeReason());
    assertEquals(
        "no authenticated answer from 10.0.0.1:4000 within 10 s: wrong pre-shared key or server"
            + " key, server not in secure mode, or unreachable",
        e.getMessage());
    assertEquals(0, clientActivations, "no channel ever became active");
    assertEquals(0, clientCodec.sessionCount());
    assertEquals(0, clientLayer.sessionCount());
    assertEquals(0, server.codec.metrics().sessionsOpened());
  }

  @Test
  void aCancelledConnectFreesItsConvAndEndsItsHandshake() {
    Future<KcpChannel> cancelled =
        KcpChannel.newBootstrap(client())
            .remoteAddress(SERVER)
            .conv(7)
            .handler(new ClientHandler())
            .connect();
    assertTrue(cancelled.cancel(false));
    assertEquals(0, clientLayer.sessionCount(), "the handshake is abandoned at once");
    Future<KcpChannel> again =
        KcpChannel.newBootstrap(client())
            .remoteAddress(SERVER)
            .conv(7)
            .handler(new ClientHandler())
            .connect();
    exchange();
    assertTrue(again.isSuccess(), () -> "the conv is free again: " + again.cause());
    assertEquals(1, clientCodec.sessionCount());
  }

  @Test
  void aConnectPendingWhenTheDatagramChannelClosesFails() {
    Future<KcpChannel> connecting = startConnect();
    client().close();
    assertTrue(connecting.isDone());
    assertEquals("the datagram channel closed", connecting.cause().getMessage());
  }

  @Test
  void aConnectWhoseChannelCannotBeSetUpFailsAndEndsTheSecureSession() {
    ClientHandler notSharable = new ClientHandler();
    Future<KcpChannel> first =
        KcpChannel.newBootstrap(client()).remoteAddress(SERVER).handler(notSharable).connect();
    exchange();
    assertTrue(first.isSuccess(), () -> "connected: " + first.cause());
    // The same non-@Sharable handler again: the second channel's pipeline refuses it.
    Future<KcpChannel> second =
        KcpChannel.newBootstrap(client()).remoteAddress(SERVER).handler(notSharable).connect();
    exchange();
    assertTrue(second.isDone(), "the connect does not hang");
    assertFalse(second.isSuccess());
    assertTrue(
        second.cause().getMessage().startsWith("the session could not be set up after the"),
        () -> second.cause().getMessage());
    assertEquals(1, clientCodec.sessionCount());
    step(TIMERS.drain() + 10);
    assertEquals(1, clientLayer.sessionCount(), "the second secure session was ended");
    assertEquals(1, server.layer.sessionCount());
    assertEquals(1, server.codec.sessionCount());
  }

  @Test
  void aServerSessionWhoseChannelCannotBeSetUpIsEndedBelow() {
    server.channel.finishAndReleaseAll();
    ServerHandler notSharable = new ServerHandler();
    server = new Server(100, notSharable);
    KcpChannel first = connect();
    send(first, "first");
    assertEquals(List.of("first"), clientReceived);
    KcpChannel second = connect();
    exchange();
    assertFalse(second.isOpen(), "the session the server could not set up is ended below");
    assertEquals(KcpCloseReason.PEER_ABORT, second.closeReason());
    assertTrue(first.isOpen());
    assertEquals(1, server.codec.sessionCount());
    assertEquals(1, server.layer.sessionCount());
  }

  // ----------------------------------------------------------- (d) validated server openings

  @Test
  void aBigFirstAnswerIsNeverWithheldAfterTheHandshake() {
    KcpChannel ch = connect();
    ch.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {BIG}));
    exchange();
    assertEquals(0, server.codec.metrics().datagramsWithheld(), "nothing withheld");
    assertEquals(0, server.codec.metrics().bytesWithheld());
    assertEquals(1, clientReceived.size(), "the whole answer arrived at once");
    assertEquals(BIG_ANSWER, clientReceived.get(0).length());
    assertEquals(1, server.codec.metrics().sessionsValidated());
    assertTrue(serverChildren.get(0).isValidated(), "validated from its opening");
    assertEquals(0, server.codec.metrics().engineCounters().retransmittedSegments);
  }

  @Test
  void theServerOpensSessionsOnTheLayersWordOnly() {
    KcpChannel ch = connect();
    assertEquals(1, server.codec.sessionCount(), "open once established, before any KCP");
    assertEquals(0, serverChildren.get(0).counters().segmentsIn);
    send(ch, "one");
    assertEquals(1, server.codec.metrics().sessionsOpened());
  }

  // -------------------------------------------------------------------- (b) close reasons

  @Test
  void aStatelessResetClosesTheClientsChannelWithItsReason() {
    KcpChannel ch = connect();
    send(ch, "before");
    // The server restarts (same address, same reset key): it holds no session any more.
    server.channel.finishAndReleaseAll();
    server = new Server();
    ch.writeAndFlush(Unpooled.copiedBuffer("after", StandardCharsets.UTF_8));
    exchange();
    assertFalse(ch.isOpen(), "closed within one round trip of the restart");
    assertEquals(KcpCloseReason.STATELESS_RESET, ch.closeReason());
    KcpSessionLayerEvent.Closed closed = lastClosedEvent(clientEvents);
    assertEquals(KcpCloseReason.STATELESS_RESET, closed.reason());
    assertEquals(
        "10.0.0.1:4000 no longer holds this session (stateless reset: the server restarted?)",
        closed.description());
    assertEquals(1, server.layer.counters().statelessResetsSent);
  }

  @Test
  void aPeerAbortClosesTheChannelWithItsReason() {
    KcpChannel ch = connect();
    send(ch, "x");
    // The server's codec ends the session forcibly (as for a memory budget close): ABORT.
    server.layer.close(CLIENT, ch.conv(), KcpCloseReason.MEMORY_BUDGET);
    exchange();
    assertFalse(ch.isOpen());
    assertEquals(KcpCloseReason.PEER_ABORT, ch.closeReason());
    assertEquals(
        "10.0.0.1:4000 aborted the secure session (code 0)",
        lastClosedEvent(clientEvents).description());
  }

  @Test
  void aSessionRefusedForTheServersSessionLimitIsAbortedBelow() {
    server.channel.finishAndReleaseAll();
    server = new Server(1);
    KcpChannel first = connect();
    send(first, "first");
    KcpChannel second = connect();
    exchange();
    assertEquals(1, server.codec.metrics().datagramsDropped(KcpDropReason.SESSION_LIMIT));
    assertFalse(second.isOpen(), "the refused session is ended below, not left to idle");
    assertEquals(KcpCloseReason.PEER_ABORT, second.closeReason());
    assertTrue(first.isOpen());
    assertEquals(1, server.layer.sessionCount());
  }

  @Test
  void aHandlerClosingOnTheClosedEventKeepsTheLayersReason() {
    Future<KcpChannel> connecting =
        KcpChannel.newBootstrap(client())
            .remoteAddress(SERVER)
            .handler(
                new ChannelInboundHandlerAdapter() {
                  @Override
                  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                    if (evt instanceof KcpSessionLayerEvent.Closed) {
                      assertTrue(ctx.channel().isOpen(), "the event comes while still open");
                      ctx.close(); // an application closing on the event
                    }
                  }
                })
            .connect();
    exchange();
    KcpChannel ch = connecting.getNow();
    assertNotNull(ch, () -> "connected: " + connecting.cause());
    server.layer.close(CLIENT, ch.conv(), KcpCloseReason.MEMORY_BUDGET);
    exchange();
    assertFalse(ch.isOpen());
    assertEquals(
        KcpCloseReason.PEER_ABORT, ch.closeReason(), "the layer's reason, not LOCAL_CLOSE");
    assertEquals(1, clientCodec.metrics().sessionsClosed(KcpCloseReason.PEER_ABORT));
    assertEquals(0, clientCodec.metrics().sessionsClosed(KcpCloseReason.LOCAL_CLOSE));
  }

  @Test
  void aClientThatStartsOverWithTheSameAddressAndConvGetsAFreshSession() {
    KcpChannel before = connect();
    for (int i = 0; i < 5; i++) {
      send(before, "old" + i);
    }
    // The client process restarts at the same address and reuses its conv: a new handshake.
    client.finishAndReleaseAll();
    client = null;
    clientLayer = clientLayer(PSK);
    clientCodec = new KcpClientCodecBuilder().config(KCP).build();
    clientReceived.clear();
    Future<KcpChannel> connecting =
        KcpChannel.newBootstrap(client())
            .remoteAddress(SERVER)
            .conv(before.conv())
            .handler(new ClientHandler())
            .connect();
    exchange();
    KcpChannel after = connecting.getNow();
    send(after, "new0");
    send(after, "new1");
    assertEquals(List.of("new0", "new1"), clientReceived, "a fresh KCP session on the server");
    assertEquals(2, serverChildren.size());
    assertEquals(KcpCloseReason.PEER_CLOSED, serverChildren.get(0).closeReason());
    assertTrue(serverChildren.get(1).isOpen());
    assertEquals(1, server.layer.sessionCount(), "the old secure session was ended, not left over");
  }

  @Test
  void aClosingSessionsLateDataNeverReachesTheNewSessionOnTheSameConv() {
    KcpChannel ch = connect();
    // The server's first message (sn 0) is delayed on the way.
    holdToClient = true;
    serverChildren.get(0).writeAndFlush(Unpooled.copiedBuffer("late", StandardCharsets.UTF_8));
    exchange();
    List<DatagramPacket> late = new ArrayList<>(held);
    held.clear();
    assertFalse(late.isEmpty());
    // The client closes (its CLOSE goes out; the server's answer is lost) and reconnects at once
    // with the same conv.
    ch.close();
    exchange();
    held.forEach(DatagramPacket::release);
    held.clear();
    holdToClient = false;
    Future<KcpChannel> connecting =
        KcpChannel.newBootstrap(client())
            .remoteAddress(SERVER)
            .conv(ch.conv())
            .handler(new ClientHandler())
            .connect();
    exchange();
    KcpChannel after = connecting.getNow();
    assertNotNull(after, () -> "reconnected: " + connecting.cause());
    for (DatagramPacket p : late) {
      client.writeInbound(new DatagramPacket(p.content(), CLIENT, SERVER));
    }
    exchange();
    assertEquals(List.of(), clientReceived, "the old session's data is not the new session's");
    assertEquals(0, after.counters().segmentsIn, "nothing of the old session reached the engine");
    assertEquals(1, clientLayer.sessionCount(), "the displaced session was ended at once");
    send(after, "fresh");
    assertEquals(List.of("fresh"), clientReceived);
  }

  @Test
  void aLocalCloseClosesThePeersChannelGracefully() {
    KcpChannel ch = connect();
    send(ch, "x");
    ch.close();
    exchange();
    KcpChannel serverSide = serverChildren.get(0);
    assertFalse(serverSide.isOpen());
    assertEquals(KcpCloseReason.PEER_CLOSED, serverSide.closeReason());
    assertEquals(KcpCloseReason.LOCAL_CLOSE, ch.closeReason());
    step(TIMERS.drain() + 10);
    assertEquals(0, server.layer.sessionCount(), "drained and forgotten");
    assertEquals(0, clientLayer.sessionCount());
  }

  @Test
  void aSilentPeerClosesTheChannelAtTheSecureIdleTimeout() {
    KcpChannel ch = connect();
    send(ch, "x");
    linkUp = false;
    step(IDLE - 100);
    assertTrue(ch.isOpen(), "open before the secure idle timeout");
    step(200);
    assertFalse(ch.isOpen());
    assertEquals(KcpCloseReason.SECURE_IDLE_TIMEOUT, ch.closeReason());
    assertEquals(
        KcpCloseReason.SECURE_IDLE_TIMEOUT, serverChildren.get(0).closeReason(), "both sides");
    assertTrue(
        lastClosedEvent(clientEvents).description().startsWith("nothing authenticated from"));
  }

  // ------------------------------------------------------------------------- (c) migration

  @Test
  void aMigratedClientKeepsItsKcpSessionAndTheServerSeesThePathChange() {
    KcpChannel ch = connect();
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      sent.add("m" + i);
      send(ch, "m" + i);
    }
    clientAddress = CLIENT_MOVED; // NAT rebinding: the old address is dead from now on
    for (int i = 10; i < 20; i++) {
      sent.add("m" + i);
      send(ch, "m" + i);
      step(10);
    }
    step(1_000);
    assertEquals(sent, clientReceived, "every echo, once, in order, across the move");
    assertEquals(1, serverChildren.size(), "the same KCP session");
    KcpChannel serverSide = serverChildren.get(0);
    assertTrue(serverSide.isOpen());
    assertEquals(CLIENT_MOVED, serverSide.remoteAddress());
    assertEquals(
        List.of(new KcpSessionLayerEvent.PathChanged(CLIENT, CLIENT_MOVED, ch.conv())),
        serverEvents);
    assertEquals(
        0, server.codec.metrics().datagramsDropped(), "the codec knew every datagram's session");
    assertEquals(
        0,
        clientCodec.metrics().engineCounters().retransmittedSegments,
        "nothing lost to the move (the link is lossless)");
    assertEquals(1, server.codec.metrics().pathChanges());
    assertEquals(1, server.codec.metrics().sessionsOpened());
    assertEquals(1, server.codec.sessionCount());
    assertEquals(1, server.layer.counters().pathsValidated);
    assertTrue(ch.isOpen());
  }

  @Test
  void aNewAddressThatNeverAnswersTheChallengeIsReportedAndTheSessionStays() {
    KcpChannel ch = connect();
    send(ch, "before");
    // The client seems to move, but nothing the server sends to the new address arrives.
    clientAddress = CLIENT_MOVED;
    deafAddress = CLIENT_MOVED;
    send(ch, "during");
    long start = ticker.nanoTime();
    for (int i = 0; i < 10_000 && !hasEvent(KcpSessionLayerEvent.PathValidationFailed.class); i++) {
      step(1);
    }
    long failedAfter = (ticker.nanoTime() - start) / 1_000_000;
    assertEquals(
        List.of(new KcpSessionLayerEvent.PathValidationFailed(CLIENT, CLIENT_MOVED, ch.conv())),
        serverEvents,
        "the failure reaches the server's channel, no PathChanged");
    assertTrue(
        failedAfter >= TIMERS.pathValidationTimeout()
            && failedAfter <= TIMERS.pathValidationTimeout() + 50,
        "at the path validation timeout: " + failedAfter + " ms");
    KcpChannel serverSide = serverChildren.get(0);
    assertTrue(serverSide.isOpen());
    assertEquals(CLIENT, serverSide.remoteAddress(), "the session stayed where it was");
    assertEquals(1, server.codec.metrics().pathValidationsFailed());
    assertEquals(0, server.codec.metrics().pathChanges());
    assertEquals(1, server.layer.counters().pathValidationsFailed);
    // Back on the old path, the KCP session carries on: nothing was lost.
    clientAddress = CLIENT;
    deafAddress = null;
    step(3_000);
    assertEquals(List.of("before", "during"), clientReceived);
    assertTrue(ch.isOpen() && serverSide.isOpen());
  }

  @Test
  void abortWithACodeClosesBothSidesAndThePeerSeesTheCode() {
    KcpChannel ch = connect();
    send(ch, "x");
    KcpChannel serverSide = serverChildren.get(0);
    ch.writeAndFlush(Unpooled.copiedBuffer("never acknowledged", StandardCharsets.UTF_8));
    ch.abort(4242);
    assertFalse(ch.isOpen(), "closed at once, without waiting for its queue");
    assertEquals(KcpCloseReason.LOCAL_ABORT, ch.closeReason());
    assertEquals(4242, ch.abortCode());
    exchange();
    assertFalse(serverSide.isOpen());
    assertEquals(KcpCloseReason.PEER_ABORT, serverSide.closeReason());
    assertEquals(4242, serverSide.abortCode());
    assertEquals(
        "10.0.0.2:5000 aborted the secure session (code 4242)",
        lastClosedEvent(serverEvents).description());
    assertEquals(4242, lastClosedEvent(serverEvents).abortCode());
    assertEquals(1, clientCodec.metrics().sessionsClosed(KcpCloseReason.LOCAL_ABORT));
    assertEquals(1, server.codec.metrics().sessionsClosed(KcpCloseReason.PEER_ABORT));
    assertEquals(0, server.layer.sessionCount(), "the secure sessions are gone on both sides");
    assertEquals(0, clientLayer.sessionCount());
    assertThrows(IllegalArgumentException.class, () -> ch.abort(65_536));
    ch.abort(7); // a closed channel: no-op
    assertEquals(4242, ch.abortCode());
  }

  @Test
  void aServerAbortReachesTheClientWithItsCode() {
    KcpChannel ch = connect();
    send(ch, "x");
    KcpChannel serverSide = serverChildren.get(0);
    serverSide.abort(0xFFFF);
    exchange();
    assertEquals(KcpCloseReason.LOCAL_ABORT, serverSide.closeReason());
    assertFalse(ch.isOpen());
    assertEquals(KcpCloseReason.PEER_ABORT, ch.closeReason());
    assertEquals(0xFFFF, ch.abortCode());
  }

  @Test
  void aClosedEventRefusesAnAbortCodeOutside0To65535() {
    for (int code : new int[] {-1, 65_536}) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  new KcpSessionLayerEvent.Closed(CLIENT, 1, KcpCloseReason.PEER_ABORT, "x", code));
      assertEquals("an abort code is 0 to 65535, not " + code, e.getMessage());
    }
    assertEquals(
        65_535,
        new KcpSessionLayerEvent.Closed(CLIENT, 1, KcpCloseReason.PEER_ABORT, "x", 65_535)
            .abortCode());
  }

  /** abort(code) on the layer's Closed event must not replace the peer's reason and code. */
  @Test
  void aHandlerAbortingOnThePeersAbortKeepsThePeersReasonAndCode() {
    Future<KcpChannel> connecting =
        KcpChannel.newBootstrap(client())
            .remoteAddress(SERVER)
            .handler(
                new ChannelInboundHandlerAdapter() {
                  @Override
                  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                    if (evt instanceof KcpSessionLayerEvent.Closed) {
                      ((KcpChannel) ctx.channel()).abort(5); // an application aborting on it
                    }
                  }
                })
            .connect();
    exchange();
    KcpChannel ch = connecting.getNow();
    assertNotNull(ch, () -> "connected: " + connecting.cause());
    send(ch, "x");
    serverChildren.get(0).abort(42);
    exchange();
    assertFalse(ch.isOpen());
    assertEquals(
        KcpCloseReason.PEER_ABORT, ch.closeReason(), "the layer's reason, not LOCAL_ABORT");
    assertEquals(42, ch.abortCode(), "the peer's code, not the handler's");
    assertEquals(0, clientCodec.metrics().sessionsClosed(KcpCloseReason.LOCAL_ABORT));
  }

  @Test
  void theSecureCountersAreInTheCodecsMetricsAndItsMeters() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    new KcpCodecMeterBinder(server.codec, Tags.empty(), 0).bindTo(registry);
    assertTrue(server.codec.isSecure());
    KcpChannel ch = connect();
    capture = true;
    send(ch, "x");
    byte[] record = captured.get(0);
    captured.clear();
    linkUp = false; // the next record never reaches the server: its packet number is fresh
    send(ch, "y");
    linkUp = true;
    capture = false;
    byte[] fresh = captured.get(0);
    inject(record); // a record accepted before, again
    byte[] forged = fresh.clone();
    forged[forged.length - 1] ^= 1; // its tag broken
    inject(forged);

    SecureCounters c = server.codec.metrics().secureCounters();
    assertNotNull(c);
    assertEquals(1, c.handshakesCompleted);
    assertEquals(1, c.drops(SecureDrop.REPLAYED));
    assertEquals(1, c.drops(SecureDrop.AUTHENTICATION_FAILED));
    assertEquals(1.0, count(registry, "kcpj.secure.handshakes"));
    assertEquals(1.0, count(registry, "kcpj.secure.dropped", "reason", "replayed"));
    assertEquals(1.0, count(registry, "kcpj.secure.dropped", "reason", "authentication_failed"));
    assertEquals((double) c.datagramsIn, count(registry, "kcpj.secure.datagrams.in"));
    assertEquals((double) c.recordsAccepted, count(registry, "kcpj.secure.records.accepted"));
    assertTrue(c.recordsAccepted >= 2);
    assertEquals(0.0, count(registry, "kcpj.sessions.path_validations.failed"));
    // A plain codec has no secure counters and no kcpj.secure meters.
    KcpServerCodec plain =
        new KcpServerCodecBuilder().config(KCP).handler(new ServerHandler()).build();
    EmbeddedChannel plainChannel = EmbeddedChannel.builder().ticker(ticker).handlers(plain).build();
    SimpleMeterRegistry plainRegistry = new SimpleMeterRegistry();
    new KcpCodecMeterBinder(plain, Tags.empty(), 0).bindTo(plainRegistry);
    assertFalse(plain.isSecure());
    assertNull(plain.metrics().secureCounters());
    assertTrue(plainRegistry.find("kcpj.secure.handshakes").meters().isEmpty());
    assertFalse(plainRegistry.find("kcpj.sessions.opened").meters().isEmpty());
    plainChannel.finishAndReleaseAll();
  }

  void inject(byte[] datagram) {
    server.channel.writeInbound(
        new DatagramPacket(Unpooled.wrappedBuffer(datagram), SERVER, clientAddress));
    exchange();
  }

  static double count(SimpleMeterRegistry r, String name, String... tags) {
    return r.get(name).tags(tags).functionCounter().count();
  }

  boolean hasEvent(Class<?> type) {
    return serverEvents.stream().anyMatch(type::isInstance);
  }

  // ------------------------------------------------------------------------------- helpers

  Future<KcpChannel> startConnect() {
    return KcpChannel.newBootstrap(client())
        .remoteAddress(SERVER)
        .handler(new ClientHandler())
        .connect();
  }

  KcpChannel connect() {
    Future<KcpChannel> connecting = startConnect();
    exchange();
    assertTrue(connecting.isSuccess(), () -> "connected: " + connecting.cause());
    KcpChannel ch = connecting.getNow();
    assertNotNull(ch);
    return ch;
  }

  void send(KcpChannel ch, String text) {
    ch.writeAndFlush(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    exchange();
  }

  static KcpSessionLayerEvent.Closed lastClosedEvent(List<Object> events) {
    for (int i = events.size() - 1; i >= 0; i--) {
      if (events.get(i) instanceof KcpSessionLayerEvent.Closed) {
        return (KcpSessionLayerEvent.Closed) events.get(i);
      }
    }
    throw new AssertionError("no Closed event in " + events);
  }

  /** Advances the clock by {@code millis} in 1 ms steps, running timers and moving datagrams. */
  void step(long millis) {
    for (long i = 0; i < millis; i++) {
      ticker.advance(1, TimeUnit.MILLISECONDS);
      exchange();
    }
  }

  /** Runs due tasks on both loops and moves datagrams both ways until nothing moves. */
  void exchange() {
    EmbeddedChannel c = client();
    for (int round = 0; round < 1_000; round++) {
      c.runScheduledPendingTasks();
      server.channel.runScheduledPendingTasks();
      c.runPendingTasks();
      server.channel.runPendingTasks();
      boolean moved = false;
      for (Object o; (o = c.readOutbound()) != null; ) {
        DatagramPacket p = (DatagramPacket) o;
        moved = true;
        if (capture) {
          captured.add(ByteBufUtil.getBytes(p.content()));
        }
        if (linkUp) {
          server.channel.writeInbound(new DatagramPacket(p.content(), SERVER, clientAddress));
        } else {
          p.release();
        }
      }
      for (Object o; (o = server.channel.readOutbound()) != null; ) {
        DatagramPacket p = (DatagramPacket) o;
        moved = true;
        if (holdToClient) {
          held.add(p);
        } else if (linkUp
            && p.recipient().equals(clientAddress)
            && !p.recipient().equals(deafAddress)) {
          c.writeInbound(new DatagramPacket(p.content(), CLIENT, SERVER));
        } else {
          p.release(); // to an address nobody holds any more
        }
      }
      if (!moved) {
        return;
      }
    }
    throw new AssertionError("the exchange did not settle");
  }

  static byte[] fill(int n, int v) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) v);
    return b;
  }

  /** Echoes messages, answers {@link #BIG} with {@link #BIG_ANSWER} bytes, records events. */
  final class ServerHandler extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf b = (ByteBuf) msg;
      if (b.isReadable() && b.getByte(b.readerIndex()) == BIG) {
        b.release();
        byte[] answer = new byte[BIG_ANSWER];
        Arrays.fill(answer, (byte) 'a');
        ctx.writeAndFlush(Unpooled.wrappedBuffer(answer));
      } else {
        ctx.writeAndFlush(msg);
      }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      serverEvents.add(evt);
    }
  }

  /** Records what the client's channel receives and sees. */
  final class ClientHandler extends ChannelInboundHandlerAdapter {
    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      clientActivations++;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      clientReceived.add(((ByteBuf) msg).toString(StandardCharsets.UTF_8));
      ReferenceCountUtil.release(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      clientEvents.add(evt);
    }
  }
}
