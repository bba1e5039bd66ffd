package io.kcpj.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.core.KcpConfig;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Calls from a thread other than the codec's event loop: {@code abort(code)} and {@code isSecure()}
 * hand their work to the event loop, and after that loop has shut down they neither throw nor block
 * (a real event-loop thread, loopback UDP on ephemeral ports).
 */
class KcpChannelOffLoopTest {
  EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

  @AfterEach
  void tearDown() throws InterruptedException {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
  }

  @Test
  void abortFromAnotherThreadRunsOnTheEventLoopAndIsANoOpOnceTheLoopShutDown() throws Exception {
    KcpClientCodec codec = new KcpClientCodecBuilder().config(KcpConfig.fast()).build();
    Channel sink = bind(new ChannelInboundHandlerAdapter()); // a peer that ignores everything
    Channel client = bind(codec);
    KcpChannel aborted = connect(client, (InetSocketAddress) sink.localAddress());
    KcpChannel other = connect(client, (InetSocketAddress) sink.localAddress());
    assertFalse(aborted.eventLoop().inEventLoop(), "the test runs on another thread");

    ChannelFuture closed = aborted.abort(9);
    assertSame(aborted.closeFuture(), closed);
    assertTrue(closed.await(10, TimeUnit.SECONDS), "closed on the event loop");
    assertEquals(KcpCloseReason.LOCAL_ABORT, aborted.closeReason());
    assertEquals(9, aborted.abortCode());
    assertFalse(codec.isSecure(), "plain KCP, asked from another thread");

    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    assertTrue(other.eventLoop().isShutdown());
    // the loop rejects new tasks now: neither call may throw RejectedExecutionException
    assertSame(other.closeFuture(), other.abort(3));
    assertEquals(0, other.abortCode(), "nothing ran: the loop is gone");
    assertFalse(codec.isSecure(), "false once the event loop has shut down");
  }

  private Channel bind(io.netty.channel.ChannelHandler handler) throws InterruptedException {
    return new Bootstrap()
        .group(group)
        .channel(NioDatagramChannel.class)
        .handler(handler)
        .bind(new InetSocketAddress("127.0.0.1", 0))
        .sync()
        .channel();
  }

  private static KcpChannel connect(Channel client, InetSocketAddress to)
      throws InterruptedException {
    return KcpChannel.newBootstrap(client)
        .remoteAddress(to)
        .handler(new ChannelInboundHandlerAdapter())
        .connect()
        .sync()
        .getNow();
  }
}
