package io.kcpj.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.core.KcpConfig;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Interop with kcp-go, a real independent peer: the Go programs of {@code interop/kcpgo/} are built
 * offline (GOPATH mode, Debian's golang-go and golang-github-xtaci-kcp-dev) and run as separate
 * processes on loopback. Both ends run "fast" mode with 128-segment windows, mtu 1400, no FEC, no
 * encryption (kcp-go's defaults differ: nodelay 0, interval 100, windows 32).
 *
 * <p>Skipped, with a message, only when {@code go} or the kcp-go sources are absent.
 */
@Tag("interop")
class KcpGoInteropTest {
  static final int MESSAGES = 1_000;
  static final KcpConfig FAST_128 = KcpConfig.parse("fast,wnd=128");
  static Path bin;

  MultiThreadIoEventLoopGroup group;
  Process process;

  @BeforeAll
  static void buildGoPeers() throws Exception {
    Path root = repositoryRoot();
    Path script = root.resolve("interop/kcpgo/build.sh");
    Assumptions.assumeTrue(Files.exists(script), "interop/kcpgo/build.sh not found from " + root);
    Assumptions.assumeTrue(
        onPath("go"), "go is not installed: apt-get install golang-go golang-github-xtaci-kcp-dev");
    Assumptions.assumeTrue(
        Files.isDirectory(Paths.get("/usr/share/gocode/src/github.com/xtaci/kcp-go")),
        "kcp-go sources are not installed: apt-get install golang-github-xtaci-kcp-dev");
    bin = Paths.get("target", "kcpgo").toAbsolutePath();
    Process build =
        new ProcessBuilder("bash", script.toString(), bin.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(build.waitFor(300, TimeUnit.SECONDS), "go build timed out");
    assertEquals(0, build.exitValue(), () -> "building the kcp-go peers failed:\n" + output);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (process != null) {
      process.destroy();
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
    if (group != null) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
    LeakCheck.assertNoLeaks();
  }

  /** Our client against kcp-go's echo server: 1,000 messages of 8 B to 11 KB. */
  @Test
  void kcpjClientAgainstKcpGoServer() throws Exception {
    process =
        new ProcessBuilder(
                bin.resolve("kcpgo-echoserver").toString(),
                "-listen",
                "127.0.0.1:0",
                "-mode",
                "fast",
                "-window",
                "128",
                "-timeout",
                "120s")
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String first = CompletableFuture.supplyAsync(() -> readLine(out)).get(30, TimeUnit.SECONDS);
    assertTrue(first != null && first.startsWith("LISTENING "), "unexpected first line: " + first);
    String[] hostPort = first.substring("LISTENING ".length()).split(":");
    InetSocketAddress server = new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1]));

    group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    KcpClientCodec codec =
        new KcpClientCodecBuilder()
            .config(FAST_128)
            .option(KcpChannelOption.SEND_QUEUE_CAP, 65_536)
            .build();
    Channel udp =
        new Bootstrap()
            .group(group)
            .channel(NioDatagramChannel.class)
            .handler(codec)
            .bind(new InetSocketAddress("127.0.0.1", 0))
            .sync()
            .channel();

    byte[] expected = expectedStream();
    StreamChecker checker = new StreamChecker(expected);
    KcpChannel ch =
        KcpChannel.newBootstrap(udp)
            .remoteAddress(server)
            .handler(checker)
            .connect()
            .sync()
            .getNow();
    ch.eventLoop()
        .execute(
            () -> {
              for (int i = 0; i < MESSAGES; i++) {
                ch.write(ch.alloc().buffer(size(i)).writeBytes(message(i)));
              }
              ch.flush();
            });
    String result = checker.done.get(90, TimeUnit.SECONDS);
    assertEquals("ok", result);
    assertTrue(process.isAlive(), "the kcp-go server exited: it rejected a message");
    assertTrue(ch.counters().segmentsIn > 0);
    udp.close().sync();
  }

  /** kcp-go's client against our echo server. */
  @Test
  void kcpGoClientAgainstKcpjServer() throws Exception {
    group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    RecordingListener listener = new RecordingListener();
    KcpServerCodec codec =
        new KcpServerCodecBuilder()
            .config(FAST_128)
            .sessionListener(listener)
            .handler(
                new ChannelInitializer<KcpChannel>() {
                  @Override
                  protected void initChannel(KcpChannel ch) {
                    ch.pipeline().addLast(new LoopbackIntegrationTest.Echo());
                  }
                })
            .build();
    Channel udp =
        new Bootstrap()
            .group(group)
            .channel(NioDatagramChannel.class)
            .handler(codec)
            .bind(new InetSocketAddress("127.0.0.1", 0))
            .sync()
            .channel();
    int port = ((InetSocketAddress) udp.localAddress()).getPort();
    process =
        new ProcessBuilder(
                bin.resolve("kcpgo-echoclient").toString(),
                "-connect",
                "127.0.0.1:" + port,
                "-count",
                String.valueOf(MESSAGES),
                "-mode",
                "fast",
                "-window",
                "128",
                "-timeout",
                "60s")
            .redirectErrorStream(true)
            .start();
    CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(process));
    assertTrue(process.waitFor(90, TimeUnit.SECONDS), "the kcp-go client did not finish");
    String text = output.get(10, TimeUnit.SECONDS);
    assertEquals(0, process.exitValue(), () -> "kcp-go client failed: " + text);
    assertTrue(text.startsWith("OK " + MESSAGES + " "), text);
    assertEquals(1, listener.opened.size());
    KcpCodecMetrics m = codec.metrics();
    assertEquals(0, m.datagramsDropped(KcpDropReason.MALFORMED));
    assertEquals(0, m.datagramsDropped(KcpDropReason.ENGINE_REJECTED));
    udp.close().sync();
  }

  // --- the message pattern of our client ----------------------------------------------------

  /** 8 B to ~11 KB: mss boundaries (1376, 1377, 2752) and up to 9 fragments included. */
  static int size(int i) {
    switch (i % 100) {
      case 1:
        return 1376;
      case 2:
        return 1377;
      case 3:
        return 2752;
      default:
        int s = 8 + (i * 7919) % 1400;
        return i % 10 == 0 ? s + 1376 * (1 + i % 7) : s;
    }
  }

  /** A 4-byte big-endian length prefix (checked by the Go server), then a pattern. */
  static byte[] message(int i) {
    byte[] b = new byte[size(i)];
    int n = b.length;
    b[0] = (byte) (n >>> 24);
    b[1] = (byte) (n >>> 16);
    b[2] = (byte) (n >>> 8);
    b[3] = (byte) n;
    for (int j = 4; j < n; j++) {
      b[j] = (byte) (i * 31 + j);
    }
    return b;
  }

  static byte[] expectedStream() {
    return expectedStream(MESSAGES);
  }

  /** The first {@code messages} messages of the pattern, as one stream. */
  static byte[] expectedStream(int messages) {
    int total = 0;
    for (int i = 0; i < messages; i++) {
      total += size(i);
    }
    byte[] all = new byte[total];
    int at = 0;
    for (int i = 0; i < messages; i++) {
      byte[] m = message(i);
      System.arraycopy(m, 0, all, at, m.length);
      at += m.length;
    }
    return all;
  }

  /**
   * Compares echoes with the sent bytes as one stream: kcp-go's Write splits an echo larger than
   * mss into several messages, so boundaries are checked by the Go server, bytes by us.
   */
  static final class StreamChecker extends ChannelInboundHandlerAdapter {
    final CompletableFuture<String> done = new CompletableFuture<>();
    private final byte[] expected;
    private int at;

    StreamChecker(byte[] expected) {
      this.expected = expected;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf b = (ByteBuf) msg;
      try {
        int n = b.readableBytes();
        if (at + n > expected.length) {
          done.complete("too many bytes: " + (at + n) + " > " + expected.length);
          return;
        }
        byte[] got = new byte[n];
        b.readBytes(got);
        for (int j = 0; j < n; j++) {
          if (got[j] != expected[at + j]) {
            done.complete("byte " + (at + j) + " differs");
            return;
          }
        }
        at += n;
        if (at == expected.length) {
          done.complete("ok");
        }
      } finally {
        b.release();
      }
    }
  }

  // --- helpers ---------------------------------------------------------------------------------

  static Path repositoryRoot() {
    Path dir = Paths.get("").toAbsolutePath();
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("interop")) && Files.exists(p.resolve("pom.xml"))) {
        return p;
      }
    }
    return dir;
  }

  static boolean onPath(String command) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (Files.isExecutable(Paths.get(dir, command))) {
        return true;
      }
    }
    return false;
  }

  static String readLine(BufferedReader r) {
    try {
      return r.readLine();
    } catch (IOException e) {
      return "read failed: " + e;
    }
  }

  static String readAll(Process p) {
    try {
      return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "read failed: " + e;
    }
  }
}
