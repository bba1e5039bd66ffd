package peer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import kcp.ChannelConfig;
import kcp.KcpListener;
import kcp.KcpServer;
import kcp.Ukcp;

/**
 * kcpj perf echo server on com.github.l42111996:kcp-base 1.6 (java-Kcp). Usage: PORT
 * [fast|normal|classic] [WINDOW]. Same KCP settings as kcpj's presets; no FEC, no CRC, sessions
 * keyed by address (its default), conv 1 (the comparison's client uses --conv 1).
 */
public final class JavaKcpPerfServer {
  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    String mode = args.length > 1 ? args[1] : "fast";
    int window = args.length > 2 ? Integer.parseInt(args[2]) : 128;
    PerfWire wire = new PerfWire();
    ChannelConfig config = new ChannelConfig();
    switch (mode) {
      case "fast":
        config.nodelay(true, 10, 2, true);
        break;
      case "normal":
        config.nodelay(false, 40, 0, false);
        break;
      default:
        config.nodelay(false, 100, 0, false);
    }
    config.setSndwnd(window);
    config.setRcvwnd(window);
    config.setMtu(1400);
    config.setCrc32Check(false);
    config.setConv(1); // its address-keyed sessions take the conv from here: the client uses 1
    config.setTimeoutMillis(600_000);
    KcpServer server = new KcpServer();
    server.init(new KcpListener() {
      @Override
      public void onConnected(Ukcp ukcp) {}

      @Override
      public void handleReceive(ByteBuf m, Ukcp ukcp) {
        ByteBuf reply = wire.answer(m, ByteBufAllocator.DEFAULT);
        if (reply != null) {
          ukcp.write(reply);
          reply.release();
        }
      }

      @Override
      public void handleException(Throwable ex, Ukcp ukcp) {
        ex.printStackTrace();
      }

      @Override
      public void handleClose(Ukcp ukcp) {}
    }, config, port);
    System.out.println("java-Kcp (l42111996 kcp-base) perf server listening on " + port + " mode " + mode);
    System.out.flush();
  }
}
