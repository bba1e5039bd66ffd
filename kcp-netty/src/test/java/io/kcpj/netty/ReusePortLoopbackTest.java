package io.kcpj.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.core.KcpConfig;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.unix.UnixChannelOption;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The multi-core server recipe on real loopback sockets: two datagram channels (epoll, and
 * io_uring) bound to one port with {@code SO_REUSEPORT}, each on its own event loop with its own
 * {@link KcpServerCodec}. The kernel hashes each client's 4-tuple to one of the two sockets, so
 * every KCP session must open, and stay, on exactly one codec. 50 client sessions, each on its own
 * client socket, send 200 echoed messages each, checked exactly once and in order. Each variant is
 * skipped, with Netty's reason, only where its transport is unavailable.
 */
class ReusePortLoopbackTest {
  static final int SESSIONS = 50;
  static final int MESSAGES = 200;
  static final int SERVER_THREADS = 2;

  MultiThreadIoEventLoopGroup serverGroup;
  MultiThreadIoEventLoopGroup clientGroup;

  @AfterEach
  void tearDown() throws Exception {
    for (MultiThreadIoEventLoopGroup g :
        new MultiThreadIoEventLoopGroup[] {clientGroup, serverGroup}) {
      if (g != null) {
        g.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
      }
    }
    LeakCheck.assertNoLeaks();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"epoll", "io_uring"})
  void eachSessionLivesOnExactlyOneOfTwoReusePortCodecs(String transport) throws Exception {
    IoHandlerFactory io;
    Class<? extends DatagramChannel> channelClass;
    if (transport.equals("epoll")) {
      Assumptions.assumeTrue(
          Epoll.isAvailable(), () -> "epoll unavailable: " + Epoll.unavailabilityCause());
      io = EpollIoHandler.newFactory();
      channelClass = EpollDatagramChannel.class;
    } else {
      Assumptions.assumeTrue(
          IoUring.isAvailable(), () -> "io_uring unavailable: " + IoUring.unavailabilityCause());
      io = IoUringIoHandler.newFactory();
      channelClass = IoUringDatagramChannel.class;
    }
    serverGroup = new MultiThreadIoEventLoopGroup(SERVER_THREADS, io);
    clientGroup = new MultiThreadIoEventLoopGroup(1, io);
    KcpConfig config = KcpConfig.parse("fast,wnd=128");

    // The recipe (README, kcp-netty): one builder, one codec and one channel per event loop.
    List<RecordingListener> listeners = new ArrayList<>();
    List<KcpServerCodec> codecs = new ArrayList<>();
    List<Channel> servers = new ArrayList<>();
    int port = 0;
    for (EventExecutor loop : serverGroup) {
      RecordingListener listener = new RecordingListener();
      KcpServerCodec codec =
          new KcpServerCodecBuilder()
              .config(config)
              .sessionListener(listener)
              .handler(
                  new ChannelInitializer<KcpChannel>() {
                    @Override
                    protected void initChannel(KcpChannel ch) {
                      ch.pipeline().addLast(new LoopbackIntegrationTest.Echo());
                    }
                  })
              .build();
      Channel server =
          new Bootstrap()
              .group((EventLoop) loop)
              .channel(channelClass)
              .option(UnixChannelOption.SO_REUSEPORT, true)
              .option(ChannelOption.SO_RCVBUF, LoopbackIntegrationTest.SOCKET_BUFFER)
              .handler(codec)
              .bind(new InetSocketAddress("127.0.0.1", port))
              .sync()
              .channel();
      port = ((InetSocketAddress) server.localAddress()).getPort(); // the others join this port
      listeners.add(listener);
      codecs.add(codec);
      servers.add(server);
    }
    assertEquals(SERVER_THREADS, servers.size());
    assertEquals(channelClass, servers.get(1).getClass());
    assertEquals(true, servers.get(1).config().getOption(UnixChannelOption.SO_REUSEPORT));
    assertEquals(servers.get(0).localAddress(), servers.get(1).localAddress(), "one port");
    assertNotSame(servers.get(0).eventLoop(), servers.get(1).eventLoop(), "one event loop each");
    InetSocketAddress serverAddress = (InetSocketAddress) servers.get(0).localAddress();

    CountDownLatch done = new CountDownLatch(SESSIONS);
    ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    List<KcpChannel> sessions = new ArrayList<>();
    List<LoopbackIntegrationTest.Checker> checkers = new ArrayList<>();
    List<KcpClientCodec> clientCodecs = new ArrayList<>();
    Set<String> clientKeys = new HashSet<>();
    for (int s = 0; s < SESSIONS; s++) { // one client socket per session: its own 4-tuple
      KcpClientCodec clientCodec = new KcpClientCodecBuilder().config(config).build();
      Channel client =
          new Bootstrap()
              .group(clientGroup)
              .channel(channelClass)
              .handler(clientCodec)
              .bind(new InetSocketAddress("127.0.0.1", 0))
              .sync()
              .channel();
      LoopbackIntegrationTest.Checker checker =
          new LoopbackIntegrationTest.Checker(s, MESSAGES, done, problems);
      KcpChannel ch =
          KcpChannel.newBootstrap(client)
              .remoteAddress(serverAddress)
              .handler(checker)
              .connect()
              .sync()
              .getNow();
      clientCodecs.add(clientCodec);
      checkers.add(checker);
      sessions.add(ch);
      clientKeys.add(key((InetSocketAddress) client.localAddress(), ch.conv()));
    }
    for (int s = 0; s < SESSIONS; s++) {
      KcpChannel ch = sessions.get(s);
      LoopbackIntegrationTest.Checker checker = checkers.get(s);
      ch.eventLoop().execute(() -> checker.start(ch));
    }
    boolean finished = done.await(60, TimeUnit.SECONDS);
    assertTrue(problems.isEmpty(), () -> "problems: " + problems);
    assertTrue(
        finished,
        () ->
            "sessions not finished: "
                + done.getCount()
                + "\n"
                + LoopbackIntegrationTest.diagnose(sessions, checkers)
                + "\nserver 0: "
                + codecs.get(0).metrics()
                + "\nserver 1: "
                + codecs.get(1).metrics());

    // Every client session was opened on exactly one codec, and the two together hold all 50.
    Set<String> seen = new HashSet<>();
    long open = 0;
    long opened = 0;
    for (int i = 0; i < SERVER_THREADS; i++) {
      KcpCodecMetrics m = codecs.get(i).metrics();
      List<KcpChannel> here = listeners.get(i).opened;
      System.out.println("codec " + i + ": " + here.size() + " sessions; " + m);
      assertTrue(here.size() > 0, "the kernel spread the 50 client sockets over both sockets");
      assertEquals(here.size(), m.sessionsOpened());
      for (KcpChannel ch : here) {
        String key = key(ch.remoteAddress(), ch.conv());
        assertTrue(seen.add(key), () -> "session " + key + " was opened on two codecs");
        assertEquals(
            servers.get(i).eventLoop(), ch.eventLoop(), "a session runs on its codec's loop");
      }
      open += m.sessionsOpen();
      opened += m.sessionsOpened();
    }
    assertEquals(SESSIONS, opened);
    assertEquals(SESSIONS, open);
    assertEquals(clientKeys, seen, "the codecs' sessions are exactly the clients' sessions");

    for (KcpClientCodec c : clientCodecs) {
      assertEquals(0, c.metrics().datagramsDropped(), () -> "a client dropped: " + c.metrics());
    }
    for (Channel server : servers) {
      server.close().sync();
    }
  }

  static String key(InetSocketAddress address, int conv) {
    return address + "#" + Integer.toUnsignedString(conv);
  }
}
