package io.kcpj.netty.secure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.core.Delivery;
import io.kcpj.core.KcpConfig;
import io.kcpj.core.secure.SecureClientConfig;
import io.kcpj.core.secure.SecureServerConfig;
import io.kcpj.core.secure.SecureTimers;
import io.kcpj.core.secure.SecureWire;
import io.kcpj.netty.KcpChannel;
import io.kcpj.netty.KcpChannelOption;
import io.kcpj.netty.KcpClientCodec;
import io.kcpj.netty.KcpClientCodecBuilder;
import io.kcpj.netty.KcpCloseReason;
import io.kcpj.netty.KcpDropReason;
import io.kcpj.netty.KcpMessage;
import io.kcpj.netty.KcpServerCodec;
import io.kcpj.netty.KcpServerCodecBuilder;
import io.kcpj.netty.KcpSessionLayerEvent;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.channel.socket.ChannelOutputShutdownEvent;
import io.netty.channel.socket.ChannelOutputShutdownException;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Half-close of secure sessions on the KCP channels ({@code KcpChannel.shutdownOutput()}, Netty's
 * {@code ALLOW_HALF_CLOSURE} and its input/output shutdown events), in virtual time: a client and a
 * server {@code EmbeddedChannel} sharing one {@link MockTicker}, joined by a lossless link that a
 * test can cut. Plain KCP's refusal is checked on a client codec without a layer.
 */
class SecureHalfCloseTest {
  static final InetSocketAddress SERVER = new InetSocketAddress("10.0.0.1", 4000);
  static final InetSocketAddress CLIENT = new InetSocketAddress("10.0.0.2", 5000);
  static final byte[] PSK = fill(32, 1);
  static final SecureTimers TIMERS =
      SecureTimers.builder().keepaliveInterval(2_000).idleTimeout(6_000).build();
  static final KcpConfig KCP =
      KcpConfig.fast().toBuilder()
          .mtu(KcpConfig.fast().mtu() - SecureWire.TRANSPORT_OVERHEAD)
          .build();

  /** Messages the client sends before shutting its output; replies the server sends after. */
  static final int N = 12;

  static final int M = 7;

  /** Every third request is this long (several KCP segments), the others short. */
  static final int LONG = 5_000;

  final MockTicker ticker = Ticker.newMockTicker();
  final List<KcpChannel> serverChildren = new ArrayList<>();
  final List<Object> serverSeen = new ArrayList<>(); // messages (as text) and events, in order
  final List<Object> clientSeen = new ArrayList<>();
  final List<ChannelFuture> serverShutdowns = new ArrayList<>();

  /** The server's children allow half-closure (else Netty's default: the peer's end closes). */
  boolean serverAllowsHalfClosure = true;

  /** The server's children read only when asked ({@code AUTO_READ} false). */
  boolean serverAutoRead = true;

  /** The server answers the end of the client's output with M replies and its own end. */
  boolean serverReplies = true;

  /** The server replies (with M long replies) as soon as it has read the last request. */
  boolean replyOnLastRequest;

  /** A server handler closes its channel on {@code ChannelInputShutdownEvent}. */
  boolean closeOnInputShutdown;

  /** The client's KCP idle timeout (0: off, the client's default). */
  long clientIdleMillis;

  boolean linkUp = true;

  /** Server-to-client datagrams lost on purpose (besides a cut link). */
  Predicate<DatagramPacket> loseFromServer = p -> false;

  /** Random loss both ways (after the connect), seeded. */
  double lossRate;

  final Random loss = new Random(20261206L);

  KcpServerCodec serverCodec;
  EmbeddedChannel server;
  final SecureServerLayer serverLayer =
      new SecureServerLayer(
          SecureServerConfig.builder().psk(PSK).resetKey(fill(32, 2)).timers(TIMERS).build(),
          false,
          100,
          100);
  final SecureClientLayer clientLayer =
      new SecureClientLayer(SecureClientConfig.builder().psk(PSK).timers(TIMERS).build());
  final KcpClientCodec clientCodec = new KcpClientCodecBuilder().config(KCP).build();
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

  // ------------------------------------------------------------------------------ the exchange

  @Test
  void bothSidesHalfCloseAndEveryMessageArrivesBeforeTheEndOfItsDirection() {
    KcpChannel ch = connect(true);
    assertTrue(ch.config().isAllowHalfClosure());
    assertEquals(Boolean.TRUE, ch.config().getOption(ChannelOption.ALLOW_HALF_CLOSURE));
    List<String> requests = sendRequests(ch);
    ChannelFuture shut = ch.shutdownOutput();
    exchange();

    assertTrue(shut.isSuccess(), () -> "client output shut: " + shut.cause());
    // The server read every request, then saw the end of the client's output, then replied M
    // times and shut its own output; the client read every reply, then saw the server's end.
    List<Object> expectedServer = new ArrayList<>(requests);
    expectedServer.add(ChannelInputShutdownEvent.INSTANCE);
    expectedServer.add(ChannelInputShutdownReadComplete.INSTANCE);
    expectedServer.add(ChannelOutputShutdownEvent.INSTANCE);
    assertEquals(expectedServer, withoutLayerEvents(serverSeen));
    List<Object> expectedClient = new ArrayList<>();
    expectedClient.add(ChannelOutputShutdownEvent.INSTANCE);
    for (int i = 0; i < M; i++) {
      expectedClient.add("reply" + i);
    }
    expectedClient.add(ChannelInputShutdownEvent.INSTANCE);
    expectedClient.add(ChannelInputShutdownReadComplete.INSTANCE);
    assertEquals(expectedClient, withoutLayerEvents(clientSeen));

    KcpChannel serverSide = serverChildren.get(0);
    assertTrue(serverShutdowns.get(0).isSuccess(), () -> "server: " + serverShutdowns.get(0));
    assertFalse(ch.isOpen());
    assertFalse(serverSide.isOpen());
    assertEquals(KcpCloseReason.SHUTDOWN, ch.closeReason());
    assertEquals(KcpCloseReason.SHUTDOWN, serverSide.closeReason());
    assertEquals(1, serverCodec.metrics().sessionsClosed(KcpCloseReason.SHUTDOWN));
    assertEquals(1, clientCodec.metrics().sessionsClosed(KcpCloseReason.SHUTDOWN));
    assertEquals(1, clientLayer.counters().closeFramesSent, "one CLOSE each way, none repeated");
    assertEquals(1, serverLayer.counters().closeFramesSent);
    assertEquals(List.of(), layerEvents(clientSeen), "no Closed event: the channels closed first");
    step(TIMERS.drain() + 10);
    assertEquals(0, serverLayer.sessionCount(), "drained and forgotten");
    assertEquals(0, clientLayer.sessionCount());
  }

  @Test
  void shutdownOutputCompletesOnlyOnceThePeerHoldsEverythingAndLaterWritesFail() {
    serverReplies = false;
    KcpChannel ch = connect(true);
    linkUp = false; // nothing reaches the server for now
    List<String> requests = sendRequests(ch);
    ChannelFuture shut = ch.shutdownOutput();
    exchange();
    assertFalse(shut.isDone(), "pending while the requests are unacknowledged");
    assertFalse(ch.isOutputShutdown());
    assertEquals(0, clientLayer.counters().closeFramesSent, "no CLOSE before the ACKs");

    ChannelFuture late = ch.writeAndFlush(text("too late"));
    assertTrue(late.isDone());
    ChannelOutputShutdownException e =
        assertInstanceOf(ChannelOutputShutdownException.class, late.cause());
    assertEquals(
        "the channel's output is shut down (shutdownOutput() was called): nothing more is sent",
        e.getMessage());
    ChannelFuture again = ch.shutdownOutput();
    assertFalse(again.isDone(), "a second call completes with the first");

    linkUp = true;
    for (int i = 0; i < 5_000 && !shut.isDone(); i++) {
      step(1); // the engine retransmits; the ACKs come back
    }
    assertTrue(shut.isSuccess(), () -> "output shut: " + shut.cause());
    assertTrue(again.isSuccess());
    assertEquals(1, clientLayer.counters().closeFramesSent);
    assertEquals(requests, texts(serverSeen), "the server holds and read every request");
    assertTrue(ch.isOutputShutdown());
    assertTrue(ch.isOpen() && ch.isActive(), "still open: the server has not ended its output");
    assertTrue(withoutLayerEvents(serverSeen).contains(ChannelInputShutdownEvent.INSTANCE));
  }

  @Test
  void theServerWithoutHalfClosureClosesWithPeerClosedAndTheClientEndsCleanly() {
    serverAllowsHalfClosure = false;
    KcpChannel ch = connect(true);
    List<String> requests = sendRequests(ch);
    ChannelFuture shut = ch.shutdownOutput();
    exchange();
    assertTrue(shut.isSuccess(), () -> "client output shut: " + shut.cause());

    KcpChannel serverSide = serverChildren.get(0);
    assertEquals(requests, texts(serverSeen), "the requests were read before the close");
    assertFalse(serverSeen.contains(ChannelInputShutdownEvent.INSTANCE));
    assertFalse(serverSide.isOpen());
    assertEquals(KcpCloseReason.PEER_CLOSED, serverSide.closeReason(), "as before half-close");
    KcpSessionLayerEvent.Closed closed =
        (KcpSessionLayerEvent.Closed) layerEvents(serverSeen).get(0);
    assertEquals("10.0.0.2:5000 closed the secure session", closed.description());
    // The server's layer ends its own output in turn: the client's input ends, both directions
    // have ended on the client.
    assertEquals(
        List.of(
            ChannelOutputShutdownEvent.INSTANCE,
            ChannelInputShutdownEvent.INSTANCE,
            ChannelInputShutdownReadComplete.INSTANCE),
        withoutLayerEvents(clientSeen));
    assertEquals(KcpCloseReason.SHUTDOWN, ch.closeReason());
  }

  @Test
  void theClientWithoutHalfClosureClosesWithPeerClosedOnTheServersEnd() {
    KcpChannel ch = connect(false);
    sendRequests(ch);
    ch.shutdownOutput();
    exchange();
    assertFalse(ch.isOpen());
    assertEquals(KcpCloseReason.PEER_CLOSED, ch.closeReason());
    assertEquals(M, texts(clientSeen).size(), "the replies were read before the close");
    assertFalse(clientSeen.contains(ChannelInputShutdownEvent.INSTANCE));
    assertEquals(KcpCloseReason.SHUTDOWN, serverChildren.get(0).closeReason());
  }

  @Test
  void theInputShutsOnlyOnceTheApplicationReadEverything() {
    serverAutoRead = false;
    KcpChannel ch = connect(true);
    List<String> requests = sendRequests(ch);
    ch.shutdownOutput();
    exchange();
    KcpChannel serverSide = serverChildren.get(0);
    assertEquals(List.of(), serverSeen, "nothing read yet: no input-shutdown event either");
    assertFalse(serverSide.isInputShutdown());
    for (int i = 0; i < N; i++) {
      assertFalse(serverSeen.contains(ChannelInputShutdownEvent.INSTANCE), "still data to read");
      serverSide.read(); // one message per read
      exchange();
    }
    assertEquals(requests, texts(serverSeen));
    assertTrue(serverSeen.contains(ChannelInputShutdownEvent.INSTANCE));
    assertTrue(serverSide.isInputShutdown());
  }

  @Test
  void unreadMessagesOutliveTheDrainedSecureSessionAndTheChannelClosesOnceTheyAreRead() {
    KcpChannel ch = connect(true);
    ch.config().setAutoRead(false);
    sendRequests(ch);
    ch.shutdownOutput();
    exchange();
    assertEquals(KcpCloseReason.SHUTDOWN, serverChildren.get(0).closeReason());
    step(TIMERS.drain() + 10);
    assertEquals(0, clientLayer.sessionCount(), "the secure session drained and was forgotten");
    assertTrue(ch.isOpen(), "the replies wait for the application");
    for (int i = 0; i < M; i++) {
      ch.read();
      exchange();
    }
    assertEquals(M, texts(clientSeen).size());
    assertTrue(clientSeen.contains(ChannelInputShutdownEvent.INSTANCE));
    assertEquals(KcpCloseReason.SHUTDOWN, ch.closeReason());
  }

  @Test
  void aCloseBeforeTheEndOfOutputFailsTheFutureWithTheReason() {
    KcpChannel ch = connect(true);
    linkUp = false;
    sendRequests(ch);
    ChannelFuture shut = ch.shutdownOutput();
    exchange();
    assertFalse(shut.isDone());
    ch.abort(3);
    ClosedChannelException e = assertInstanceOf(ClosedChannelException.class, shut.cause());
    assertEquals(
        "the channel closed (LOCAL_ABORT) before its output was shut down", e.getMessage());
    assertTrue(ch.shutdownOutput().cause() instanceof ClosedChannelException);
  }

  @Test
  void aPeerThatClosesInsteadOfHalfClosingLeavesTheAnswersUnacknowledged() {
    KcpChannel ch = connect(true);
    List<String> requests = sendRequests(ch);
    ch.close(); // the same CLOSE as shutdownOutput(), but nothing is read afterwards
    exchange();
    assertEquals(KcpCloseReason.LOCAL_CLOSE, ch.closeReason());
    KcpChannel serverSide = serverChildren.get(0);
    assertEquals(requests, texts(serverSeen));
    assertTrue(serverSeen.contains(ChannelInputShutdownEvent.INSTANCE), "looks like a half-close");
    step(2_000);
    assertFalse(serverShutdowns.get(0).isDone(), "the answers are never acknowledged");
    assertTrue(serverSide.isOpen(), "until the dead-link rule or an idle timeout ends it");
    assertTrue(serverSide.waitSnd() > 0);
    assertEquals(List.of(), texts(clientSeen));
  }

  // ---------------------------------------------------------- no clean end after lost data

  @Test
  void aServerWithoutHalfClosureWhoseReplyIsUnacknowledgedAbortsInsteadOfEndingCleanly() {
    serverAllowsHalfClosure = false;
    serverReplies = false;
    replyOnLastRequest = true; // M replies of 1 kB written on reading the last request
    KcpChannel ch = connect(true);
    // The replies' datagrams (the long ones) are lost until the client has sent its CLOSE: the
    // server gets the CLOSE with its replies unacknowledged; the ACKs (short) go through.
    loseFromServer =
        p -> p.content().readableBytes() > 500 && clientLayer.counters().closeFramesSent == 0;
    List<String> requests = sendRequests(ch);
    ChannelFuture shut = ch.shutdownOutput();
    stepUntilClosed(ch, 10_000);

    assertTrue(shut.isSuccess(), () -> "client output shut: " + shut.cause());
    KcpChannel serverSide = serverChildren.get(0);
    assertEquals(requests, texts(serverSeen));
    assertEquals(KcpCloseReason.PEER_CLOSED, serverSide.closeReason(), "as before half-close");
    assertEquals(0, serverLayer.counters().closeFramesSent, "no CLOSE: its replies were lost");
    assertFalse(ch.isOpen());
    assertEquals(KcpCloseReason.PEER_ABORT, ch.closeReason(), "not SHUTDOWN: data was lost");
    assertEquals(KcpChannel.ABORT_UNDELIVERED, ch.abortCode());
    assertFalse(clientSeen.contains(ChannelInputShutdownEvent.INSTANCE));
    assertTrue(texts(clientSeen).size() < M, "some replies never arrived");
  }

  @Test
  void anIdleTimeoutWithUnacknowledgedOutputAbortsTheSecureSession() {
    clientIdleMillis = 500;
    KcpChannel ch = connect(true);
    loseFromServer = p -> true; // the client hears nothing more: its idle timeout will end it
    ch.writeAndFlush(text("never acknowledged"));
    stepUntilClosed(ch, 5_000);
    assertEquals(KcpCloseReason.IDLE_TIMEOUT, ch.closeReason());
    assertEquals(0, clientLayer.counters().closeFramesSent, "no CLOSE with a segment in flight");
    exchange();
    KcpChannel serverSide = serverChildren.get(0);
    assertFalse(serverSide.isOpen());
    assertEquals(KcpCloseReason.PEER_ABORT, serverSide.closeReason());
    assertEquals(KcpChannel.ABORT_UNDELIVERED, serverSide.abortCode());
  }

  @Test
  void aCloseWithoutLingerAndUnacknowledgedOutputAbortsTheSecureSession() {
    KcpChannel ch = connect(true);
    ch.config().setOption(KcpChannelOption.CLOSE_TIMEOUT_MILLIS, 0L); // close() does not wait
    loseFromServer = p -> true; // no ACK comes back
    ch.writeAndFlush(text("never acknowledged"));
    exchange();
    ch.close();
    assertEquals(KcpCloseReason.LOCAL_CLOSE, ch.closeReason());
    assertEquals(0, clientLayer.counters().closeFramesSent, "no CLOSE with a segment in flight");
    exchange();
    KcpChannel serverSide = serverChildren.get(0);
    assertEquals(KcpCloseReason.PEER_ABORT, serverSide.closeReason());
    assertEquals(KcpChannel.ABORT_UNDELIVERED, serverSide.abortCode());
  }

  @Test
  void aServerWithoutHalfClosureWithAnUnflushedReplyAbortsInsteadOfEndingCleanly() {
    serverAllowsHalfClosure = false;
    serverReplies = false;
    KcpChannel ch = connect(true);
    ch.writeAndFlush(text("request"));
    exchange();
    serverChildren.get(0).write(text("unflushed reply")); // lost with the channel
    ch.shutdownOutput();
    exchange();
    assertEquals(KcpCloseReason.PEER_CLOSED, serverChildren.get(0).closeReason());
    assertEquals(0, serverLayer.counters().closeFramesSent);
    assertEquals(KcpCloseReason.PEER_ABORT, ch.closeReason());
    assertEquals(KcpChannel.ABORT_UNDELIVERED, ch.abortCode());
  }

  @Test
  void bothSidesHalfCloseOverALossyLinkAndEverythingArrives() {
    KcpChannel ch = connect(true);
    lossRate = 0.2; // both ways, seeded: data, ACKs and the CLOSE records are lost too
    List<String> requests = sendRequests(ch);
    ChannelFuture shut = ch.shutdownOutput();
    stepUntilClosed(ch, 30_000);
    assertTrue(shut.isSuccess(), () -> "client output shut: " + shut.cause());
    KcpChannel serverSide = serverChildren.get(0);
    stepUntilClosed(serverSide, 30_000);
    assertEquals(requests, texts(serverSeen));
    List<String> replies = new ArrayList<>();
    for (int i = 0; i < M; i++) {
      replies.add("reply" + i);
    }
    assertEquals(replies, texts(clientSeen));
    assertEquals(KcpCloseReason.SHUTDOWN, ch.closeReason());
    assertEquals(KcpCloseReason.SHUTDOWN, serverSide.closeReason());
  }

  // ------------------------------------------------------------- data after the peer's end

  @Test
  void dataSentAfterThePeersEndIsNeverReadAndAbortsTheSession() {
    serverReplies = false;
    KcpChannel ch = connect(true);
    ch.writeAndFlush(text("before the end"));
    exchange();
    // A peer that ends its output (its layer's CLOSE) and goes on sending: a protocol violation.
    assertTrue(clientLayer.shutdownOutput(SERVER, ch.conv()));
    exchange();
    KcpChannel serverSide = serverChildren.get(0);
    assertTrue(serverSide.isInputShutdown());
    ch.writeAndFlush(text("after the end"));
    exchange();
    assertEquals(List.of("before the end"), texts(serverSeen), "nothing read after the end");
    assertFalse(serverSide.isOpen());
    assertEquals(KcpCloseReason.LOCAL_ABORT, serverSide.closeReason());
    assertEquals(KcpChannel.ABORT_DATA_AFTER_END, serverSide.abortCode());
    assertEquals(1, serverCodec.metrics().datagramsDropped(KcpDropReason.DATA_AFTER_PEER_END));
    assertEquals(KcpCloseReason.PEER_ABORT, ch.closeReason(), "the peer is told");
    assertEquals(KcpChannel.ABORT_DATA_AFTER_END, ch.abortCode());
  }

  @Test
  void aPeerCannotPostponeTheEndOfInputByStreamingAfterItsEnd() {
    serverReplies = false;
    serverAutoRead = false;
    KcpChannel ch = connect(true);
    ch.writeAndFlush(text("before the end"));
    exchange();
    assertTrue(clientLayer.shutdownOutput(SERVER, ch.conv()));
    exchange();
    KcpChannel serverSide = serverChildren.get(0);
    assertFalse(serverSide.isInputShutdown(), "a message still to read");
    ch.writeAndFlush(text("after the end"));
    exchange();
    assertFalse(serverSide.isOpen());
    assertEquals(KcpChannel.ABORT_DATA_AFTER_END, serverSide.abortCode());
    assertEquals(List.of(), texts(serverSeen));
  }

  // ---------------------------------------------------------------- outcomes and events

  @Test
  void aShutdownOutputTheLayerCannotSendFailsAbortsAndLaterCallsGetTheSameOutcome() {
    serverReplies = false;
    KcpChannel ch = connect(true);
    ch.writeAndFlush(text("hello"));
    exchange();
    serverChildren.get(0).shutdownOutput();
    exchange();
    assertTrue(ch.isInputShutdown());
    // The layer's session ends its output behind the channel's back and drains: the channel's
    // own end can no longer be sent.
    assertTrue(clientLayer.shutdownOutput(SERVER, ch.conv()));
    exchange();
    assertTrue(ch.isOpen());
    ChannelFuture first = ch.shutdownOutput();
    assertTrue(first.isDone());
    IllegalStateException e = assertInstanceOf(IllegalStateException.class, first.cause());
    assertEquals(
        "the session layer could not send the end of output (its session is ending): the"
            + " channel is aborted",
        e.getMessage());
    assertFalse(ch.isOpen(), "aborted: the peer must not take it for a clean end");
    assertEquals(KcpCloseReason.LOCAL_ABORT, ch.closeReason());
    ChannelFuture second = ch.shutdownOutput();
    assertTrue(second.isDone(), "no NullPointerException, the same outcome");
    assertSame(e, second.cause());
  }

  @Test
  void noInputShutdownReadCompleteOnAChannelClosedOnTheInputShutdownEvent() {
    serverReplies = false;
    closeOnInputShutdown = true;
    KcpChannel ch = connect(true);
    sendRequests(ch);
    ch.shutdownOutput();
    exchange();
    assertFalse(serverChildren.get(0).isOpen());
    assertTrue(serverSeen.contains(ChannelInputShutdownEvent.INSTANCE));
    assertFalse(serverSeen.contains(ChannelInputShutdownReadComplete.INSTANCE));
  }

  @Test
  void noOutputShutdownEventOnAChannelClosedByTheFuturesListener() {
    serverReplies = false;
    KcpChannel ch = connect(true);
    sendRequests(ch);
    ChannelFuture shut = ch.shutdownOutput().addListener(f -> ch.close());
    exchange();
    assertTrue(shut.isSuccess());
    assertFalse(ch.isOpen());
    assertFalse(clientSeen.contains(ChannelOutputShutdownEvent.INSTANCE));
  }

  @Test
  void aShutdownOutputFromAWriteListenerWaitsForTheWritesStillInTheOutboundBuffer() {
    serverReplies = false;
    KcpChannel ch = connect(true);
    List<ChannelFuture> shut = new ArrayList<>();
    // Refused inside doWrite (no delivery extension): its listener runs there, before "last"
    // reaches the engine.
    ch.write(new KcpMessage(text("refused"), Delivery.UNORDERED))
        .addListener(f -> shut.add(ch.shutdownOutput()));
    ch.write(text("last"));
    ch.flush();
    assertEquals(1, shut.size());
    assertFalse(shut.get(0).isDone(), "\"last\" is not acknowledged yet");
    assertEquals(0, clientLayer.counters().closeFramesSent, "no CLOSE before \"last\"");
    exchange();
    assertTrue(shut.get(0).isSuccess(), () -> "output shut: " + shut.get(0).cause());
    assertEquals(
        List.of(
            "last", ChannelInputShutdownEvent.INSTANCE, ChannelInputShutdownReadComplete.INSTANCE),
        withoutLayerEvents(serverSeen));
  }

  // ------------------------------------------------------------------------------ plain KCP

  @Test
  void plainKcpRefusesShutdownOutputInOneLineAndKeepsSending() {
    KcpClientCodec plain = new KcpClientCodecBuilder().config(KcpConfig.fast()).build();
    EmbeddedChannel datagram = EmbeddedChannel.builder().ticker(ticker).handlers(plain).build();
    try {
      Future<KcpChannel> connecting =
          KcpChannel.newBootstrap(datagram)
              .remoteAddress(SERVER)
              .handler(new ChannelInboundHandlerAdapter())
              .connect();
      datagram.runPendingTasks();
      KcpChannel ch = connecting.getNow();
      assertNotNull(ch);
      ChannelFuture shut = ch.shutdownOutput();
      assertTrue(shut.isDone());
      UnsupportedOperationException e =
          assertInstanceOf(UnsupportedOperationException.class, shut.cause());
      assertEquals(
          "plain KCP has no end-of-output signal (FIN): shutdownOutput() needs kcpj's secure"
              + " sessions (secure(...) on the codec builder); close() ends the whole session",
          e.getMessage());
      assertFalse(ch.isOutputShutdown());
      assertInstanceOf(UnsupportedOperationException.class, ch.shutdownInput().cause());
      assertInstanceOf(UnsupportedOperationException.class, ch.shutdown().cause());
      ChannelFuture write = ch.writeAndFlush(text("still sending"));
      datagram.runPendingTasks();
      assertTrue(write.isSuccess(), () -> "writes still work: " + write.cause());
      Object out = datagram.readOutbound();
      assertNotNull(out, "the message went out");
      ReferenceCountUtil.release(out);
    } finally {
      datagram.finishAndReleaseAll();
    }
  }

  // ------------------------------------------------------------------------------- helpers

  KcpChannel connect(boolean clientAllowsHalfClosure) {
    serverCodec =
        new KcpServerCodecBuilder()
            .config(KCP)
            .option(ChannelOption.ALLOW_HALF_CLOSURE, serverAllowsHalfClosure)
            .option(ChannelOption.AUTO_READ, serverAutoRead)
            .handler(
                new ChannelInitializer<KcpChannel>() {
                  @Override
                  protected void initChannel(KcpChannel ch) {
                    serverChildren.add(ch);
                    ch.pipeline().addLast(new ServerHandler());
                  }
                })
            .build();
    server = EmbeddedChannel.builder().ticker(ticker).handlers(serverLayer, serverCodec).build();
    client = EmbeddedChannel.builder().ticker(ticker).handlers(clientLayer, clientCodec).build();
    Future<KcpChannel> connecting =
        KcpChannel.newBootstrap(client)
            .remoteAddress(SERVER)
            .option(ChannelOption.ALLOW_HALF_CLOSURE, clientAllowsHalfClosure)
            .option(KcpChannelOption.IDLE_TIMEOUT_MILLIS, clientIdleMillis)
            .handler(new Recorder(clientSeen))
            .connect();
    exchange();
    assertTrue(connecting.isSuccess(), () -> "connected: " + connecting.cause());
    return connecting.getNow();
  }

  /** Writes the N requests (every third one several segments long); returns them as read. */
  List<String> sendRequests(KcpChannel ch) {
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      String s = "request" + i;
      if (i % 3 == 2) {
        s = s + "x".repeat(LONG);
      }
      sent.add(s);
      ch.write(text(s));
    }
    ch.flush();
    return sent;
  }

  static ByteBuf text(String s) {
    return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
  }

  static List<String> texts(List<Object> seen) {
    List<String> out = new ArrayList<>();
    for (Object o : seen) {
      if (o instanceof String) {
        out.add((String) o);
      }
    }
    return out;
  }

  static List<Object> withoutLayerEvents(List<Object> seen) {
    List<Object> out = new ArrayList<>(seen);
    out.removeIf(o -> o instanceof KcpSessionLayerEvent);
    return out;
  }

  static List<Object> layerEvents(List<Object> seen) {
    List<Object> out = new ArrayList<>(seen);
    out.removeIf(o -> !(o instanceof KcpSessionLayerEvent));
    return out;
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
    for (int round = 0; round < 1_000; round++) {
      client.runScheduledPendingTasks();
      server.runScheduledPendingTasks();
      client.runPendingTasks();
      server.runPendingTasks();
      boolean moved = false;
      for (Object o; (o = client.readOutbound()) != null; ) {
        DatagramPacket p = (DatagramPacket) o;
        moved = true;
        if (linkUp && !lost()) {
          server.writeInbound(new DatagramPacket(p.content(), SERVER, CLIENT));
        } else {
          p.release();
        }
      }
      for (Object o; (o = server.readOutbound()) != null; ) {
        DatagramPacket p = (DatagramPacket) o;
        moved = true;
        if (linkUp && !loseFromServer.test(p) && !lost()) {
          client.writeInbound(new DatagramPacket(p.content(), CLIENT, SERVER));
        } else {
          p.release();
        }
      }
      if (!moved) {
        return;
      }
    }
    throw new AssertionError("the exchange did not settle");
  }

  /** Whether random loss takes this datagram. */
  boolean lost() {
    return lossRate > 0 && loss.nextDouble() < lossRate;
  }

  /** Steps 1 ms at a time until {@code ch} closes, at most {@code millis}. */
  void stepUntilClosed(KcpChannel ch, long millis) {
    for (long i = 0; i < millis && ch.isOpen(); i++) {
      step(1);
    }
  }

  static byte[] fill(int n, int v) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) v);
    return b;
  }

  /** Records messages (as text) and user events in order. */
  static class Recorder extends ChannelInboundHandlerAdapter {
    final List<Object> seen;

    Recorder(List<Object> seen) {
      this.seen = seen;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      seen.add(((ByteBuf) msg).toString(StandardCharsets.UTF_8));
      ReferenceCountUtil.release(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      seen.add(evt);
    }
  }

  /**
   * Records like {@link Recorder}; on the end of the client's output answers M replies and shuts
   * its own output (the request/response pattern half-close is for).
   */
  final class ServerHandler extends Recorder {
    ServerHandler() {
      super(serverSeen);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      super.channelRead(ctx, msg);
      String last = (String) seen.get(seen.size() - 1);
      if (replyOnLastRequest && last.startsWith("request" + (N - 1))) {
        for (int i = 0; i < M; i++) {
          ctx.channel().write(text("reply" + i + "y".repeat(1_000)));
        }
        ctx.channel().flush();
      }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      super.userEventTriggered(ctx, evt);
      if (evt == ChannelInputShutdownEvent.INSTANCE && closeOnInputShutdown) {
        ctx.close();
        return;
      }
      if (evt == ChannelInputShutdownEvent.INSTANCE && serverReplies) {
        KcpChannel ch = (KcpChannel) ctx.channel();
        assertTrue(ch.isInputShutdown());
        assertFalse(ch.isOutputShutdown());
        for (int i = 0; i < M; i++) {
          ch.write(text("reply" + i));
        }
        ch.flush();
        serverShutdowns.add(ch.shutdownOutput());
      }
    }
  }
}
