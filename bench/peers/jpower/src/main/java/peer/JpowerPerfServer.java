package peer;

import io.jpower.kcp.netty.ChannelOptionHelper;
import io.jpower.kcp.netty.UkcpChannel;
import io.jpower.kcp.netty.UkcpChannelOption;
import io.jpower.kcp.netty.UkcpServerChannel;
import io.netty.bootstrap.UkcpServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.nio.NioEventLoopGroup;

/**
 * kcpj perf echo server on io.jpower.kcp:kcp-netty 1.5.2. Usage: PORT [fast|normal|classic]
 * [WINDOW]. Same KCP settings as kcpj's presets: fast = nodelay on, interval 10, resend 2, no
 * congestion window; one NIO event loop; conv taken from the client (UKCP_AUTO_SET_CONV).
 */
public final class JpowerPerfServer {
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    String mode = args.length > 1 ? args[1] : "fast";
    int window = args.length > 2 ? Integer.parseInt(args[2]) : 128;
    PerfWire wire = new PerfWire();
    NioEventLoopGroup group = new NioEventLoopGroup(1);
    UkcpServerBootstrap b = new UkcpServerBootstrap();
    b.group(group).channel(UkcpServerChannel.class)
        .option(ChannelOption.SO_RCVBUF, 4 << 20).option(ChannelOption.SO_SNDBUF, 4 << 20)
        .childHandler(new ChannelInitializer<UkcpChannel>() {
          @Override
          protected void initChannel(UkcpChannel ch) {
            ch.pipeline().addLast(new Echo(wire));
          }
        });
    switch (mode) {
      case "fast":
        ChannelOptionHelper.nodelay(b, true, 10, 2, true);
        break;
      case "normal":
        ChannelOptionHelper.nodelay(b, false, 40, 0, false);
        break;
      default:
        ChannelOptionHelper.nodelay(b, false, 100, 0, false);
    }
    b.childOption(UkcpChannelOption.UKCP_SND_WND, window)
        .childOption(UkcpChannelOption.UKCP_RCV_WND, window)
        .childOption(UkcpChannelOption.UKCP_MTU, 1400)
        .childOption(UkcpChannelOption.UKCP_AUTO_SET_CONV, true);
    b.bind(port).sync();
    System.out.println("jpower kcp-netty perf server listening on " + port + " mode " + mode);
    System.out.flush();
  }

  @Sharable
  static final class Echo extends ChannelInboundHandlerAdapter {
    private final PerfWire wire;

    Echo(PerfWire wire) {
      this.wire = wire;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf m = (ByteBuf) msg;
      try {
        ByteBuf reply = wire.answer(m, ctx.alloc());
        if (reply != null) {
          ctx.write(reply);
        }
      } finally {
        m.release();
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      ctx.flush();
    }
  }
}
