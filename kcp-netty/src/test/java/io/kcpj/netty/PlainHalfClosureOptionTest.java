package io.kcpj.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.core.KcpConfig;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/**
 * {@link ChannelOption#ALLOW_HALF_CLOSURE} on plain KCP, which has no end-of-output signal: the
 * option is stored but has no effect, and the codec says so in one warning line.
 */
class PlainHalfClosureOptionTest {
  static final InetSocketAddress SERVER = new InetSocketAddress("10.0.0.1", 4000);

  @Test
  void halfClosureOnPlainKcpIsStoredAndAWarningSaysItHasNoEffect() {
    assertEquals(List.of(), warnings(false), "nothing said without the option");
    List<String> lines = warnings(true);
    assertEquals(1, lines.size(), () -> "lines: " + lines);
    assertTrue(
        lines
            .get(0)
            .contains(
                "1 session(s) opened with ChannelOption.ALLOW_HALF_CLOSURE true, which has no"
                    + " effect here: plain KCP has no end-of-output signal (half-close needs"
                    + " kcpj's secure sessions)"),
        lines.get(0));
  }

  /** The warnings logged while a plain client opens a session with {@code allowHalfClosure}. */
  static List<String> warnings(boolean allowHalfClosure) {
    KcpClientCodec plain = new KcpClientCodecBuilder().config(KcpConfig.fast()).build();
    EmbeddedChannel datagram = new EmbeddedChannel(plain);
    try (LogCapture log = new LogCapture(Level.WARNING)) {
      Future<KcpChannel> connecting =
          KcpChannel.newBootstrap(datagram)
              .remoteAddress(SERVER)
              .option(ChannelOption.ALLOW_HALF_CLOSURE, allowHalfClosure)
              .handler(new ChannelInboundHandlerAdapter())
              .connect();
      datagram.runPendingTasks();
      assertTrue(connecting.isSuccess(), () -> "connected: " + connecting.cause());
      assertEquals(allowHalfClosure, connecting.getNow().config().isAllowHalfClosure());
      return log.messages(Level.WARNING);
    } finally {
      datagram.finishAndReleaseAll();
    }
  }
}
