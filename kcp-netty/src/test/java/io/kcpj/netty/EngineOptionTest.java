package io.kcpj.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.core.EngineSetting;
import io.kcpj.core.KcpConfig;
import io.kcpj.core.cc.ClassicKcp;
import io.kcpj.core.cc.CongestionControl;
import io.kcpj.core.cc.FlowState;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Engine options of kcp-netty: the order codec and bootstrap options apply in, live changes that
 * touch only the setting changed, and one range per setting shared with kcp-core's table.
 */
class EngineOptionTest {
  static final InetSocketAddress SERVER = new InetSocketAddress("10.9.9.9", 4000);
  static final InetSocketAddress CLIENT = new InetSocketAddress("10.0.0.1", 5001);

  EmbeddedKcp net;

  @AfterEach
  void tearDown() {
    if (net != null) {
      net.finish();
    }
    LeakCheck.assertNoLeaks();
  }

  KcpChildChannel connect(KcpChannelBootstrap b) {
    Future<KcpChannel> f = b.remoteAddress(SERVER).handler(new Recorder(false)).connect();
    assertTrue(f.isSuccess(), () -> "connect failed: " + f.cause());
    return (KcpChildChannel) f.getNow();
  }

  @Test
  void aCodecOptionSetAfterKcpConfigDoesNotOverrideTheBootstrapsKcpConfig() {
    KcpClientCodec codec =
        new KcpClientCodecBuilder()
            .config(KcpConfig.fast())
            .option(KcpChannelOption.MTU, 1200)
            .option(KcpChannelOption.SEND_QUEUE_CAP, 64)
            .build();
    net = new EmbeddedKcp(codec);

    KcpConfig own = KcpConfig.parse("normal,mtu=900");
    KcpChildChannel ch =
        connect(KcpChannel.newBootstrap(net.channel).option(KcpChannelOption.KCP_CONFIG, own));
    assertEquals(own, ch.config().engineConfig());
    assertEquals(900, ch.engine().mtu(), "the bootstrap's KCP_CONFIG wins over the codec's MTU");
    assertEquals(40, ch.engine().interval());
    assertEquals(900, ch.config().getOption(KcpChannelOption.MTU));
    assertEquals(64, ch.config().sendQueueCap(), "codec options it does not replace still hold");

    // Without a KCP_CONFIG of its own, a session runs with the codec's, MTU included ...
    KcpChildChannel plain = connect(KcpChannel.newBootstrap(net.channel));
    assertEquals(1200, plain.engine().mtu());
    assertEquals(10, plain.engine().interval());
    // ... and a bootstrap's individual option wins over the codec's.
    KcpChildChannel mtu =
        connect(KcpChannel.newBootstrap(net.channel).option(KcpChannelOption.MTU, 1000));
    assertEquals(1000, mtu.engine().mtu());
    assertEquals(10, mtu.engine().interval());
  }

  /** Counts cumulative-ACK advances; otherwise no congestion window. */
  static final class CountingControl implements CongestionControl {
    int ackAdvances;

    @Override
    public int window(int flowWindow, FlowState state) {
      return flowWindow;
    }

    @Override
    public void onAckAdvanced(FlowState state) {
      ackAdvances++;
    }

    @Override
    public void onFastRetransmit(FlowState state) {}

    @Override
    public void onTimeout(int window, FlowState state) {}

    @Override
    public void afterFlush(FlowState state) {}

    @Override
    public int congestionWindow() {
      return ackAdvances;
    }

    @Override
    public int slowStartThreshold() {
      return 0;
    }
  }

  @Test
  void aCustomCongestionControllerKeepsItsStateAcrossAnUnrelatedOptionChange() {
    Supplier<CongestionControl> counting = CountingControl::new;
    RecordingListener listener = new RecordingListener();
    KcpServerCodec codec =
        new KcpServerCodecBuilder()
            .config(KcpConfig.fast().toBuilder().congestionControl(counting).build())
            .handler(new Recorder(true))
            .sessionListener(listener)
            .build();
    net = new EmbeddedKcp(codec);
    TestPeer peer = net.peer(new TestPeer(CLIENT, 3, KcpConfig.fast()));
    for (int i = 0; i < 5; i++) {
      peer.send("m" + i);
    }
    net.step(50);
    assertEquals(5, peer.received.size(), "echoed");
    KcpChildChannel ch = (KcpChildChannel) listener.opened.get(0);
    CountingControl cc = assertInstanceOf(CountingControl.class, ch.engine().congestionControl());
    int before = cc.ackAdvances;
    assertTrue(before > 0, "the peer acknowledged the echoes");

    // Unrelated live changes: interval, nc, nodelay, and a whole KCP_CONFIG naming the same one.
    assertTrue(ch.config().setOption(KcpChannelOption.INTERVAL, 20));
    assertTrue(ch.config().setOption(KcpChannelOption.NO_CONGESTION_WINDOW, false));
    assertTrue(ch.config().setOption(KcpChannelOption.NODELAY, 0));
    KcpConfig same = ch.config().engineConfig().with(EngineSetting.MTU, 1000);
    assertTrue(ch.config().setOption(KcpChannelOption.KCP_CONFIG, same));
    assertSame(cc, ch.engine().congestionControl(), "the controller was not replaced");
    assertEquals(before, cc.ackAdvances, "nor was its state");
    assertEquals(20, ch.engine().interval());
    assertEquals(1000, ch.engine().mtu());
    assertEquals(0, ch.engine().nodelay());
    assertEquals(100, ch.engine().minRto(), "nodelay 0 resets the minimum RTO, as ikcp_nodelay");
    assertEquals(100, ch.config().getOption(KcpChannelOption.MIN_RTO), "config agrees");

    peer.send("after");
    net.step(100);
    assertEquals(6, peer.received.size());
    assertTrue(cc.ackAdvances > before, "the same controller goes on counting");

    // A configuration without it restores the built-in choice (nc off here: ClassicKcp).
    assertTrue(
        ch.config()
            .setOption(
                KcpChannelOption.KCP_CONFIG, same.toBuilder().congestionControl(null).build()));
    assertNotSame(cc, ch.engine().congestionControl());
    assertInstanceOf(ClassicKcp.class, ch.engine().congestionControl());
  }

  @Test
  void everyEngineOptionHasItsSettingsRangeAndDefault() {
    net = new EmbeddedKcp(new KcpClientCodecBuilder().build());
    KcpChildChannel ch = connect(KcpChannel.newBootstrap(net.channel));
    for (EngineSetting<?> s : EngineSetting.all()) {
      KcpChannelOption<?> o = KcpChannelOption.of(s);
      assertEquals("KCP_" + s.name(), o.name());
      assertSame(s, o.engineSetting());
      assertEquals(s.rangeText(), o.rangeText());
      assertEquals(s.defaultValue(), ch.config().getOption(o), o.name());
      assertEquals(s.defaultValue(), s.readFrom(ch.engine()), o.name());
      if (s instanceof EngineSetting.IntSetting) {
        EngineSetting.IntSetting i = (EngineSetting.IntSetting) s;
        @SuppressWarnings("unchecked")
        KcpChannelOption<Integer> io = (KcpChannelOption<Integer>) o;
        io.validate(i.min());
        io.validate(i.max());
        if (i.min() > Integer.MIN_VALUE) {
          IllegalArgumentException e =
              assertThrows(IllegalArgumentException.class, () -> io.validate(i.min() - 1));
          assertEquals(
              o.name() + " must be in [" + i.min() + ", " + i.max() + "], got " + (i.min() - 1),
              e.getMessage());
          assertThrows(
              IllegalArgumentException.class, () -> ch.config().setOption(io, i.min() - 1));
        }
      }
    }
    assertEquals(1, KcpChannelOption.MIN_RTO.engineSetting().validate(1));
    assertThrows(IllegalArgumentException.class, () -> KcpChannelOption.MIN_RTO.validate(0));
  }
}
