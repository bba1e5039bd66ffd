package io.kcpj.netty;

import io.kcpj.core.KcpConfig;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Serves one echo through a server codec and returns what the client received and the codec's
 * metrics. {@link KcpCodecMeterBinderTest} runs it in a class loader without Micrometer, to show
 * that kcp-netty works without its optional dependency.
 */
public final class NoMicrometerProbe implements Callable<String> {
  @Override
  public String call() {
    Recorder echo = new Recorder(true);
    EmbeddedKcp net =
        new EmbeddedKcp(new KcpServerCodecBuilder().config(KcpConfig.fast()).handler(echo).build());
    try {
      TestPeer client =
          net.peer(
              new TestPeer(KcpServerAdmissionTest.addr("10.0.0.1", 5000), 1, KcpConfig.fast()));
      client.send("hello");
      net.step(20);
      List<String> got = client.receivedText();
      return got + " " + ((KcpCodec) net.channel.pipeline().last()).metrics().sessionsOpen();
    } finally {
      net.finish();
    }
  }
}
