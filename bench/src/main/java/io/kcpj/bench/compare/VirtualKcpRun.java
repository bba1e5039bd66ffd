package io.kcpj.bench.compare;

import io.kcpj.bench.report.RunResult;
import io.kcpj.core.Kcp;
import io.kcpj.core.KcpCounters;
import io.kcpj.core.stack.DatagramStack;
import io.kcpj.core.stack.DatagramStackCounters;
import io.kcpj.netem.log.FateLog;
import io.kcpj.netem.net.Endpoint;
import io.kcpj.netem.net.VirtualNetwork;
import io.kcpj.netem.profile.Profile;
import io.kcpj.netem.time.Timer;
import io.kcpj.netem.time.VirtualScheduler;
import java.net.InetSocketAddress;
import java.util.Objects;
import org.HdrHistogram.Histogram;

/**
 * One KCP transport on one profile in virtual time: a client and an echo server, each a {@link Kcp}
 * engine on a netem-sim {@link VirtualNetwork} endpoint, driven on a {@link VirtualScheduler}
 * either as kcp-netty drives its sessions ({@link Kcp#advance} at the deadlines it returns, and a
 * flush after every send and input: {@link KcpTransport#eager()}) or as the C reference's test loop
 * does ({@code update} at the {@code check()} deadlines). Deterministic: the same seed gives the
 * same result.
 *
 * <p>Wire bytes count every datagram a side hands to the network (lost ones included) plus 28 bytes
 * of IPv4 and UDP headers, so they compare with TCP's bytes counted at the bridge.
 *
 * <p>With FEC ({@link KcpTransport#fec()}) each engine sits behind a kcp-core {@link
 * DatagramStack}, as a kcp-netty session does: its MTU shrinks by the 8 bytes of FEC, its datagrams
 * go out as shards (parity included in the wire bytes), and the driver also wakes for the stack's
 * group deadline. The run's note then gives FEC's own figures.
 *
 * <p>With secure sessions ({@link KcpTransport#secure()}) a {@link VirtualSecureLink} sits between
 * each engine (or its FEC stack) and the network, as kcp-netty's secure layers do: the engine's MTU
 * shrinks by the record overhead, the client holds its first datagrams until the handshake
 * completes (a round trip the first messages' RTTs include), and the wire bytes include the
 * handshake, the 26 bytes each record adds and the keepalive PINGs. The note gives the handshake's
 * time and the records' figures.
 */
public final class VirtualKcpRun {
  /** IPv4 (20) + UDP (8) header bytes added to every KCP datagram's wire size. */
  public static final int IP_UDP_HEADERS = 28;

  private static final int CONV = 0x4b43504a;
  private static final long NANOS_PER_MILLI = 1_000_000L;

  private final Profile profile;
  private final KcpTransport transport;
  private final Workload workload;
  private final long seed;
  private long drainMillis = 60_000;
  private FateLog fateLog;

  private final VirtualScheduler clock = new VirtualScheduler();
  private final Histogram rtt = new Histogram(3_600_000_000L, 3);
  private long wireBytes;
  private long goodputBytes;
  private int echoed;
  private int superseded;
  private int oldestPending;
  private int sent;
  private long bulkDelivered;
  private long bulkCompletedNanos = -1;
  private long timerWakeUps;
  private boolean[] received;
  private long[] bulkQueuedAt;

  public VirtualKcpRun(Profile profile, KcpTransport transport, Workload workload, long seed) {
    this.profile = Objects.requireNonNull(profile, "profile");
    this.transport = Objects.requireNonNull(transport, "transport");
    this.workload = Objects.requireNonNull(workload, "workload");
    this.seed = seed;
  }

  /** How long (virtual ms) to wait after the last send for outstanding echoes. Default 60 s. */
  public VirtualKcpRun drainMillis(long millis) {
    this.drainMillis = millis;
    return this;
  }

  /**
   * How often the two engines' drivers were woken by their timers (not by a send or an input)
   * during {@link #run()}: a driver sleeping until {@code Kcp.advance}'s deadlines wakes only for
   * retransmissions and probes, the reference loop every {@code interval}.
   */
  long timerWakeUps() {
    return timerWakeUps;
  }

  /** Records the link's per-packet fates into {@code log} ({@code null}: no log, the default). */
  public VirtualKcpRun fateLog(FateLog log) {
    this.fateLog = log;
    return this;
  }

  /** Runs the scenario to completion and returns its result. */
  public RunResult run() {
    VirtualNetwork net = new VirtualNetwork(clock).fateLog(fateLog);
    InetSocketAddress clientAddr = new InetSocketAddress("192.0.2.1", 40000);
    InetSocketAddress serverAddr = new InetSocketAddress("192.0.2.2", 4000);
    Endpoint clientEp = net.endpoint(clientAddr);
    Endpoint serverEp = net.endpoint(serverAddr);
    net.link(clientAddr, serverAddr, profile, seed);

    InetSocketAddress[] replyTo = {clientAddr};
    Kcp[] engines = new Kcp[2];
    DatagramStack[] stacks = new DatagramStack[2];
    io.kcpj.core.fec.DatagramSink clientWire =
        (b, off, len) -> {
          wireBytes += len + IP_UDP_HEADERS;
          clientEp.send(serverAddr, b, off, len);
        };
    io.kcpj.core.fec.DatagramSink serverWire =
        (b, off, len) -> {
          wireBytes += len + IP_UDP_HEADERS;
          serverEp.send(replyTo[0], b, off, len);
        };
    // Opened inner datagrams go to the FEC stack if there is one, else to the engine.
    VirtualSecureLink clientSecure =
        secureLink(
            true,
            serverAddr,
            clientWire,
            (b, off, len) -> {
              if (stacks[0] != null) {
                stacks[0].receive(b, off, len, clock.nowMillis());
              } else {
                engines[0].input(b, off, len);
              }
            });
    VirtualSecureLink serverSecure =
        secureLink(
            false,
            clientAddr,
            serverWire,
            (b, off, len) -> {
              if (stacks[1] != null) {
                stacks[1].receive(b, off, len, clock.nowMillis());
              } else {
                engines[1].input(b, off, len);
              }
            });
    io.kcpj.core.fec.DatagramSink clientOut =
        clientSecure == null
            ? clientWire
            : (b, off, len) -> clientSecure.send(b, off, len, clock.nowMillis());
    io.kcpj.core.fec.DatagramSink serverOut =
        serverSecure == null
            ? serverWire
            : (b, off, len) -> serverSecure.send(b, off, len, clock.nowMillis());
    DatagramStack clientStack = layers(clientOut, (b, off, len) -> engines[0].input(b, off, len));
    DatagramStack serverStack = layers(serverOut, (b, off, len) -> engines[1].input(b, off, len));
    stacks[0] = clientStack;
    stacks[1] = serverStack;
    Kcp client =
        new Kcp(
            CONV,
            transport.config(),
            dg -> {
              if (clientStack != null) {
                clientStack.send(dg, clock.nowMillis());
                return;
              }
              if (clientSecure != null) {
                byte[] copy = new byte[dg.remaining()];
                dg.duplicate().get(copy);
                clientOut.accept(copy, 0, copy.length);
                return;
              }
              wireBytes += dg.remaining() + IP_UDP_HEADERS;
              clientEp.send(serverAddr, dg);
            });
    Kcp server =
        new Kcp(
            CONV,
            transport.config(),
            dg -> {
              if (serverStack != null) {
                serverStack.send(dg, clock.nowMillis());
                return;
              }
              if (serverSecure != null) {
                byte[] copy = new byte[dg.remaining()];
                dg.duplicate().get(copy);
                serverOut.accept(copy, 0, copy.length);
                return;
              }
              wireBytes += dg.remaining() + IP_UDP_HEADERS;
              serverEp.send(replyTo[0], dg);
            });
    engines[0] = client;
    engines[1] = server;
    int overhead =
        (clientStack != null ? clientStack.overhead() : 0)
            + (clientSecure != null ? VirtualSecureLink.overhead() : 0);
    if (overhead > 0) {
      client.setMtu(transport.config().mtu() - overhead);
      server.setMtu(transport.config().mtu() - overhead);
    }
    Driver clientDriver = new Driver(client, clientStack, clientSecure);
    Driver serverDriver = new Driver(server, serverStack, serverSecure);

    io.kcpj.core.Delivery delivery = workload.delivery().engineDelivery();
    byte[] buf = new byte[Math.max(client.maxMessageSize(), workload.size()) + 1];
    received = new boolean[workload.kind() == Workload.Kind.BULK ? 0 : workload.messageCount()];
    byte[] reply = new byte[Math.max(workload.responseSize(), EchoMessage.HEADER)];
    serverEp.onReceive(
        (src, data) -> {
          replyTo[0] = src;
          serverDriver.beforeInput();
          if (serverSecure != null) {
            serverSecure.receive(data, src, clock.nowMillis());
          } else if (serverStack != null) {
            serverStack.receive(data, 0, data.length, clock.nowMillis());
          } else {
            server.input(data, 0, data.length);
          }
          int n;
          while ((n = server.recv(buf, 0, buf.length)) >= 0) {
            goodputBytes += n;
            if (workload.kind() == Workload.Kind.BULK) {
              bulkDelivered += n;
              if (bulkDelivered >= workload.bulkBytes() && bulkCompletedNanos < 0) {
                bulkCompletedNanos = clock.nowNanos();
              }
              rtt.recordValue(
                  Math.max(0, (clock.nowNanos() - bulkQueuedAt[EchoMessage.seq(buf, 0)]) / 1000));
              continue;
            }
            System.arraycopy(buf, 0, reply, 0, EchoMessage.HEADER);
            server.send(reply, 0, workload.responseSize(), delivery);
          }
          serverDriver.afterInput();
        });
    clientEp.onReceive(
        (src, data) -> {
          clientDriver.beforeInput();
          if (clientSecure != null) {
            clientSecure.receive(data, src, clock.nowMillis());
          } else if (clientStack != null) {
            clientStack.receive(data, 0, data.length, clock.nowMillis());
          } else {
            client.input(data, 0, data.length);
          }
          int n;
          while ((n = client.recv(buf, 0, buf.length)) >= 0) {
            goodputBytes += n;
            int seq = EchoMessage.seq(buf, 0);
            if (seq < 0 || seq >= sent || received[seq]) {
              throw new IllegalStateException(
                  "echo of message " + seq + " is unexpected or repeated");
            }
            if (delivery == io.kcpj.core.Delivery.SEQUENCED) {
              supersedeBefore(seq); // older messages will never arrive: a newer state did
            }
            record(seq);
          }
          clientDriver.afterInput();
        });

    if (workload.kind() == Workload.Kind.BULK) {
      runBulk(client, clientDriver, serverDriver);
    } else {
      runMessages(client, clientDriver, serverDriver);
    }
    KcpCounters c = client.counters();
    KcpCounters s = server.counters();
    String fecNote = "";
    if (clientStack != null) {
      DatagramStackCounters layers = clientStack.counters();
      serverStack.addCountersTo(layers);
      fecNote =
          String.format(
              java.util.Locale.ROOT,
              "FEC %s: %d recovered, %d parity shards sent (%d skipped), %d short groups",
              transport.fec(),
              layers.fecRecovered,
              layers.fecParityShardsSent,
              layers.fecParitySkipped,
              layers.fecShortGroupsSent);
    }
    if (clientSecure != null) {
      fecNote = join(fecNote, secureNote(clientSecure, serverSecure));
    }
    long endNanos =
        workload.kind() == Workload.Kind.BULK && bulkCompletedNanos > 0
            ? bulkCompletedNanos
            : clock.nowNanos();
    return RunResult.builder()
        .profile(profile.name())
        .transport(transport.name())
        .transportDetail(transport.spec() + (transport.eager() ? ",eager" : ",reference-loop"))
        .config(transport.compactSettings())
        .delivery(workload.delivery().label())
        .mode("virtual")
        .rttMicros(rtt)
        .messagesSent(workload.kind() == Workload.Kind.BULK ? 1 : sent)
        .messagesEchoed(
            workload.kind() == Workload.Kind.BULK ? (bulkCompletedNanos > 0 ? 1 : 0) : echoed)
        .goodputBytes(goodputBytes)
        .wireBytes(wireBytes)
        .retransmits(c.retransmittedSegments + s.retransmittedSegments)
        .messagesSuperseded(superseded)
        .durationMillis(endNanos / NANOS_PER_MILLI)
        .note(
            join(
                workload.kind() == Workload.Kind.BULK && bulkCompletedNanos > 0
                    ? String.format(
                        java.util.Locale.ROOT,
                        "goodput %.1f kbit/s",
                        workload.bulkBytes() * 8.0 / (bulkCompletedNanos / 1e6))
                    : "",
                fecNote))
        .build();
  }

  private static String join(String a, String b) {
    return a.isEmpty() ? b : b.isEmpty() ? a : a + "; " + b;
  }

  /** One side's secure link ({@code secure=}), or null without secure sessions. */
  private VirtualSecureLink secureLink(
      boolean client,
      InetSocketAddress peer,
      io.kcpj.core.fec.DatagramSink wire,
      io.kcpj.core.fec.DatagramSink inner) {
    if (transport.secure() == null) {
      return null;
    }
    return new VirtualSecureLink(
        transport.secure(), client, seed * 2 + (client ? 0 : 1), peer, CONV, wire::accept, inner);
  }

  /** The note's secure part: suite, handshake time, records and what was refused or dropped. */
  private static String secureNote(VirtualSecureLink client, VirtualSecureLink server) {
    io.kcpj.core.secure.SecureCounters c = client.counters();
    io.kcpj.core.secure.SecureCounters s = server.counters();
    return String.format(
        java.util.Locale.ROOT,
        "secure %s: handshake %s, %d records accepted, %d PINGs, %d dropped, %d not sent",
        client.spec().suite().protocolName(),
        client.handshakeMillis() < 0 ? "not completed" : client.handshakeMillis() + " ms",
        c.recordsAccepted + s.recordsAccepted,
        c.keepalivesSent + s.keepalivesSent,
        c.totalDrops() + s.totalDrops() + client.unrouted() + server.unrouted(),
        client.refused() + server.refused());
  }

  /** The transport's datagram layers between an engine and its endpoint, or null without FEC. */
  private DatagramStack layers(
      io.kcpj.core.fec.DatagramSink toWire, io.kcpj.core.fec.DatagramSink toKcp) {
    if (!transport.fec().enabled()) {
      return null;
    }
    return DatagramStack.builder()
        .fec(transport.fec())
        .maxDatagram(Math.max(transport.config().mtu(), DatagramStack.DEFAULT_MAX_DATAGRAM))
        .toWire(toWire)
        .toKcp(toKcp)
        .build();
  }

  /** Message {@code seq}'s echo (or a newer one) arrived now: its RTT. */
  private void record(int seq) {
    received[seq] = true;
    long scheduled = workload.scheduledNanos(seq);
    rtt.recordValue(Math.max(0, (clock.nowNanos() - scheduled) / 1000));
    echoed++;
  }

  /** Sequenced: every message before {@code seq} not yet echoed is superseded by it. */
  private void supersedeBefore(int seq) {
    for (; oldestPending < seq; oldestPending++) {
      if (!received[oldestPending]) {
        record(oldestPending);
        superseded++;
      }
    }
  }

  private void runMessages(Kcp client, Driver clientDriver, Driver serverDriver) {
    int total = workload.messageCount();
    byte[] msg = new byte[workload.size()];
    io.kcpj.core.Delivery delivery = workload.delivery().engineDelivery();
    Runnable sendNext =
        new Runnable() {
          @Override
          public void run() {
            EchoMessage.write(msg, msg.length, sent);
            client.send(msg, 0, msg.length, delivery);
            sent++;
            clientDriver.afterSend();
            if (sent < total) {
              clock.schedule(workload.scheduledNanos(sent), this);
            }
          }
        };
    clock.schedule(workload.scheduledNanos(0), sendNext);
    clientDriver.start();
    serverDriver.start();
    long limit = workload.scheduledNanos(total - 1) + drainMillis * NANOS_PER_MILLI;
    clock.runUntil(() -> sent == total && echoed >= total, limit);
  }

  private void runBulk(Kcp client, Driver clientDriver, Driver serverDriver) {
    int chunk = Math.min(64 * 1024, client.maxMessageSize());
    byte[] msg = new byte[chunk];
    long[] queued = {0};
    bulkQueuedAt = new long[(int) (workload.bulkBytes() / chunk) + 2];
    int topUp = 2 * client.sendWindow();
    Runnable fill =
        () -> {
          while (queued[0] < workload.bulkBytes() && client.waitSnd() < topUp) {
            int n = (int) Math.min(chunk, workload.bulkBytes() - queued[0]);
            bulkQueuedAt[sent] = clock.nowNanos();
            EchoMessage.write(msg, Math.max(n, EchoMessage.HEADER), sent++);
            client.send(msg, 0, Math.max(n, EchoMessage.HEADER));
            queued[0] += n;
          }
        };
    clientDriver.beforeUpdate = fill;
    fill.run();
    clientDriver.start();
    serverDriver.start();
    clock.runUntil(() -> bulkCompletedNanos >= 0, 3_600L * 1000 * NANOS_PER_MILLI);
  }

  /**
   * Drives one engine. Eager (kcp-netty's policy, the engine's own {@link Kcp#advance}): the clock
   * brought to the arrival time before each input, a flush after each send and each input, and
   * otherwise sleep until the deadline {@code advance} returns (none when nothing is timed).
   * Reference loop: {@code update} at the {@code check()} deadlines only, so data and ACKs wait for
   * the next interval flush.
   */
  private final class Driver {
    private final Kcp kcp;
    private final DatagramStack stack;
    private final VirtualSecureLink secure;
    private final Timer timer;

    /** The application's refill, run before the engine is driven (bulk transfers). */
    Runnable beforeUpdate;

    Driver(Kcp kcp, DatagramStack stack, VirtualSecureLink secure) {
      this.kcp = kcp;
      this.stack = stack;
      this.secure = secure;
      this.timer = clock.newTimer(this::tick);
    }

    void start() {
      timer.scheduleAt(clock.nowNanos());
    }

    private void tick() {
      timerWakeUps++;
      if (beforeUpdate != null) {
        beforeUpdate.run();
      }
      long now = clock.nowMillis();
      if (secure != null) {
        secure.onTimer(now); // handshake retransmission, keepalive
      }
      if (stack != null) {
        stack.onTimer(now); // an FEC group whose deadline has come
      }
      if (transport.eager()) {
        schedule(kcp.advance(now));
      } else {
        kcp.update(now);
        schedule(Math.max(kcp.check(now), now + 1));
      }
    }

    /**
     * Eager: brings the engine's clock to the arrival time, as kcp-netty does before input, so the
     * ACKs in the datagram give true RTT samples (the engine may have slept for seconds).
     */
    void beforeInput() {
      if (transport.eager()) {
        kcp.update(clock.nowMillis());
      }
    }

    void afterSend() {
      long now = clock.nowMillis();
      if (transport.eager()) {
        kcp.update(now);
        kcp.flush();
        schedule(kcp.advance(now));
      } else {
        schedule(Math.max(kcp.check(now), now + 1));
      }
    }

    void afterInput() {
      if (transport.eager() && beforeUpdate != null) {
        beforeUpdate.run(); // an application refills when ACKs free room (kcp-netty: writability)
      }
      afterSend();
    }

    /** Wakes the driver at {@code atMillis} (or the stack's deadline), or never. */
    private void schedule(long atMillis) {
      if (stack != null) {
        atMillis = Math.min(atMillis, stack.nextDeadline());
      }
      if (secure != null) {
        atMillis = Math.min(atMillis, secure.nextDeadline());
      }
      if (atMillis == Kcp.NO_EVENT) {
        timer.cancel();
      } else {
        timer.scheduleAt(atMillis * NANOS_PER_MILLI);
      }
    }
  }
}
