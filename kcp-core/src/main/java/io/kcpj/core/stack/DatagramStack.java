package io.kcpj.core.stack;

import io.kcpj.core.fec.DatagramSink;
import io.kcpj.core.fec.FecHeader;
import io.kcpj.core.fec.FecReceiver;
import io.kcpj.core.fec.FecSender;
import io.kcpj.core.fec.FecSpec;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * One session's datagram layers between its KCP engine and the wire, outermost first:
 *
 * <pre>
 *   wire  ⇄  [ protection ]  ⇄  [ FEC ]  ⇄  KCP engine
 *            PacketProtection    FecSender / FecReceiver
 * </pre>
 *
 * <p><b>Outbound</b> ({@link #send}): one KCP datagram becomes one or more wire datagrams: FEC
 * frames it as a data shard and, when a group completes (or its deadline passes: {@link #onTimer}),
 * adds parity shards; protection seals each. <b>Inbound</b> ({@link #receive}): one wire datagram
 * becomes zero or more KCP datagrams: protection opens it (or drops it), FEC passes a plain KCP
 * datagram on, or keeps a shard and hands on its KCP datagram and whatever it recovers. A transport
 * that must open datagrams before it knows their session (kcp-go's framing hides the conv;
 * kcp-netty opens at the codec) calls {@link #receiveOpened} instead. Either layer may be absent;
 * with both absent a datagram passes unchanged.
 *
 * <p>Built per session from its settings ({@link #builder()}); the two sinks are fixed at build
 * time, so the steady state allocates nothing. FEC shards that reach a stack without FEC are
 * decoded anyway, by a 1/1 receiver created on demand that re-tunes itself to the sender's counts,
 * as kcp-go does ({@link Builder#decodeUnrequestedFec}; off: dropped and counted).
 *
 * <p><b>Buffers.</b> Datagrams handed to either sink are valid only during the call (see {@link
 * DatagramSink}); bytes given to {@code send}/{@code receive} are read during the call only.
 * <b>Threads:</b> protocol logic only (no clock, no I/O); confined to the session's thread, and so
 * is the protection given to it (it may be shared by the sessions of that one thread).
 */
public final class DatagramStack {
  /** {@link #receive} status: accepted (zero or more KCP datagrams were handed on). */
  public static final int RECEIVED = 0;

  /** {@link #receive} status: the protection dropped it (bad check, too short). */
  public static final int DROPPED_PROTECTION = -1;

  /** {@link #receive} status: an FEC shard to a stack that does not decode unrequested FEC. */
  public static final int DROPPED_UNEXPECTED_FEC = -2;

  /** {@link #nextDeadline()} when nothing is timed. */
  public static final long NO_DEADLINE = FecSender.NO_DEADLINE;

  /** kcp-go's largest datagram, and the least this stack accepts as its maximum. */
  public static final int DEFAULT_MAX_DATAGRAM = 1500;

  private final FecSpec fec;
  private final PacketProtection protection;
  private final int maxDatagram;
  private final boolean decodeUnrequestedFec;
  private final DatagramSink toWire;
  private final DatagramSink toKcp;
  private final FecSender sender;
  private FecReceiver receiver;
  private final DatagramStackCounters counters = new DatagramStackCounters();
  private final byte[] sealed;
  private byte[] opened;
  private byte[] copy;
  private final DatagramSink shardSink;

  private DatagramStack(Builder b) {
    this.fec = b.fec;
    this.protection = b.protection;
    this.maxDatagram = Math.max(DEFAULT_MAX_DATAGRAM, b.maxDatagram);
    this.decodeUnrequestedFec = b.decodeUnrequestedFec;
    this.toWire = Objects.requireNonNull(b.toWire, "toWire");
    this.toKcp = Objects.requireNonNull(b.toKcp, "toKcp");
    int protectionOverhead = protection == null ? 0 : protection.overhead();
    this.sealed = protection == null ? null : new byte[maxDatagram + protectionOverhead];
    if (fec.enabled()) {
      sender = new FecSender(fec, maxDatagram - protectionOverhead);
      receiver = new FecReceiver(fec.dataShards(), fec.parityShards(), maxDatagram);
      sender.lossSource(receiver::lossRate);
    } else {
      sender = null;
    }
    this.shardSink = protection == null ? toWire : this::seal;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** What FEC this stack sends. */
  public FecSpec fec() {
    return fec;
  }

  /** The protection layer, or null. */
  public PacketProtection protection() {
    return protection;
  }

  /** Bytes the layers add in front of a KCP datagram: 8 with FEC, plus the protection's. */
  public int overhead() {
    return (fec.enabled() ? FecHeader.DATA_HEADER_SIZE : 0)
        + (protection == null ? 0 : protection.overhead());
  }

  /** The largest wire datagram this stack handles (at least {@value #DEFAULT_MAX_DATAGRAM}). */
  public int maxDatagram() {
    return maxDatagram;
  }

  /** The FEC receiver (null until an FEC shard has arrived at a stack without FEC). */
  public FecReceiver fecReceiver() {
    return receiver;
  }

  /** The FEC sender, or null without FEC. */
  public FecSender fecSender() {
    return sender;
  }

  /** The loss rate measured on the FEC shards received, 0..1, or NaN when unknown or no FEC. */
  public double measuredLoss() {
    return receiver == null ? Double.NaN : receiver.lossRate();
  }

  // ------------------------------------------------------------------------------- outbound

  /**
   * Sends one KCP datagram (its remaining bytes; the position is not moved) through the layers to
   * the wire sink.
   *
   * @throws IllegalArgumentException if it is longer than the layers allow ({@link #maxDatagram()}
   *     − {@link #overhead()})
   */
  public void send(ByteBuffer kcp, long nowMillis) {
    if (sender != null) {
      sender.send(kcp, nowMillis, shardSink);
    } else if (kcp.hasArray()) {
      shardSink.accept(kcp.array(), kcp.arrayOffset() + kcp.position(), kcp.remaining());
    } else {
      int n = kcp.remaining();
      byte[] c = copyScratch(n);
      kcp.get(kcp.position(), c, 0, n);
      shardSink.accept(c, 0, n);
    }
  }

  /** As {@link #send(ByteBuffer, long)} for {@code kcp[off .. off + len)}. */
  public void send(byte[] kcp, int off, int len, long nowMillis) {
    if (sender != null) {
      sender.send(kcp, off, len, nowMillis, shardSink);
    } else {
      shardSink.accept(kcp, off, len);
    }
  }

  /** When {@link #onTimer} has work (an FEC group deadline), or {@link #NO_DEADLINE}. */
  public long nextDeadline() {
    return sender == null ? NO_DEADLINE : sender.nextDeadline();
  }

  /** Does what is due at {@code nowMillis} (closes an FEC group whose deadline passed). */
  public void onTimer(long nowMillis) {
    if (sender != null) {
      sender.onTimer(nowMillis, shardSink);
    }
  }

  private void seal(byte[] b, int off, int len) {
    int n = protection.seal(b, off, len, sealed, 0);
    counters.sealed++;
    toWire.accept(sealed, 0, n);
  }

  // -------------------------------------------------------------------------------- inbound

  /**
   * Receives one wire datagram: opens it (if protected), decodes FEC, and hands each KCP datagram
   * to the KCP sink. Never throws on any content.
   *
   * @return {@link #RECEIVED}, {@link #DROPPED_PROTECTION} or {@link #DROPPED_UNEXPECTED_FEC}
   */
  public int receive(byte[] wire, int off, int len, long nowMillis) {
    if (protection == null) {
      return receiveOpened(wire, off, len, nowMillis);
    }
    if (opened == null || opened.length < len) {
      opened = new byte[Math.max(len, maxDatagram)];
    }
    int n = protection.open(wire, off, len, opened, 0);
    if (n < 0) {
      counters.openFailures++;
      return DROPPED_PROTECTION;
    }
    counters.opened++;
    return receiveOpened(opened, 0, n, nowMillis);
  }

  /**
   * Receives a datagram whose protection the caller has already removed: FEC and KCP only. Never
   * throws on any content.
   *
   * @return {@link #RECEIVED} or {@link #DROPPED_UNEXPECTED_FEC}
   */
  public int receiveOpened(byte[] buf, int off, int len, long nowMillis) {
    if (!FecReceiver.isFec(buf, off, len)) {
      toKcp.accept(buf, off, len);
      return RECEIVED;
    }
    if (receiver == null) {
      if (!decodeUnrequestedFec) {
        counters.fecUnexpected++;
        return DROPPED_UNEXPECTED_FEC;
      }
      receiver = new FecReceiver(1, 1, maxDatagram); // kcp-go's default; it re-tunes itself
    }
    receiver.receive(buf, off, len, nowMillis, toKcp);
    return RECEIVED;
  }

  // ------------------------------------------------------------------------------- counters

  /** Adds this stack's counters into {@code total}. */
  public void addCountersTo(DatagramStackCounters total) {
    counters.addTo(total);
    if (sender != null) {
      var e = sender.encoder().counters();
      total.fecDataShardsSent += e.dataShards;
      total.fecParityShardsSent += e.parityShards;
      total.fecParitySkipped += e.skippedParity;
      total.fecShortGroupsSent += e.shortGroups;
    }
    if (receiver != null) {
      var d = receiver.decoder().counters();
      var r = receiver.counters();
      total.fecDataShardsReceived += d.dataShards - r.zeroShards;
      total.fecParityShardsReceived += d.parityShards;
      total.fecRecovered += d.recovered;
      total.fecErrors += d.errors;
      total.fecShortShards += d.shortShards;
      total.fecDuplicates += d.duplicates;
      total.fecMalformed += d.tooShort + d.oversized + d.retunesRefused + r.malformed;
      total.fecShortGroupsReceived += r.shortGroups;
    }
  }

  /** A snapshot of this stack's counters. */
  public DatagramStackCounters counters() {
    DatagramStackCounters c = new DatagramStackCounters();
    addCountersTo(c);
    return c;
  }

  private byte[] copyScratch(int n) {
    if (copy == null || copy.length < n) {
      copy = new byte[Math.max(n, maxDatagram)];
    }
    return copy;
  }

  /** Settings of a {@link DatagramStack}. Not thread-safe; one build per session. */
  public static final class Builder {
    private FecSpec fec = FecSpec.OFF;
    private PacketProtection protection;
    private int maxDatagram = DEFAULT_MAX_DATAGRAM;
    private boolean decodeUnrequestedFec = true;
    private DatagramSink toWire;
    private DatagramSink toKcp;

    private Builder() {}

    /** The FEC to send ({@link FecSpec#OFF} by default). */
    public Builder fec(FecSpec fec) {
      this.fec = Objects.requireNonNull(fec, "fec");
      return this;
    }

    /** The outermost layer, e.g. a {@link io.kcpj.core.crypt.BlockCrypt}; null (default): none. */
    public Builder protection(PacketProtection protection) {
      this.protection = protection;
      return this;
    }

    /**
     * The largest datagram on the wire (the session's MTU); at least {@value #DEFAULT_MAX_DATAGRAM}
     * is used, kcp-go's read size.
     */
    public Builder maxDatagram(int maxDatagram) {
      if (maxDatagram < 64 || maxDatagram > 65_507) {
        throw new IllegalArgumentException("maxDatagram must be 64..65507, got " + maxDatagram);
      }
      this.maxDatagram = maxDatagram;
      return this;
    }

    /**
     * Whether FEC shards reaching a stack without FEC are decoded (true, the default, as kcp-go
     * does) or dropped and counted.
     */
    public Builder decodeUnrequestedFec(boolean decode) {
      this.decodeUnrequestedFec = decode;
      return this;
    }

    /** Where wire datagrams go (valid only during the call). */
    public Builder toWire(DatagramSink sink) {
      this.toWire = sink;
      return this;
    }

    /** Where KCP datagrams go (valid only during the call). */
    public Builder toKcp(DatagramSink sink) {
      this.toKcp = sink;
      return this;
    }

    public DatagramStack build() {
      return new DatagramStack(this);
    }
  }
}
