package io.kcpj.bench.perf;

import io.kcpj.netty.internal.StageTrace;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.LongAdder;

/**
 * The raw-UDP floor of {@code kcpj perf}: the same {@link PerfProtocol} messages sent as plain
 * datagrams, without KCP, through the same client pacing and the same server event loop, so that a
 * report can show what the machine's UDP path costs next to what kcpj costs ({@code kcpj perf
 * client --protocol udp}, or {@code --floor} for both in one run).
 *
 * <p><b>Wire.</b> A raw datagram is an 8-byte prefix followed by one perf message:
 *
 * <pre>
 * offset 0  4 bytes  magic 'k' 'p' 'r' 'w' (0x6B707277)
 * offset 4  byte     0: never a KCP command (KCP's are 81 to 84), so no KCP datagram is taken
 * offset 5  3 bytes  reserved (0)
 * offset 8  ...      the perf message (PerfProtocol: 16-byte header, padding to its size)
 * </pre>
 *
 * A 100-byte message is a 108-byte datagram (KCP carries it in 124: one 24-byte segment header).
 * Only ECHO is answered on the raw path (the datagram is returned unchanged); the client's control
 * session (STATS) stays on KCP, and the server's STATS count raw and KCP echoes together.
 *
 * <p><b>Server.</b> {@link ServerEcho} sits in front of the KCP codec in each of the perf server's
 * datagram pipelines: it answers raw datagrams and passes everything else on untouched. It writes
 * the received buffer back (ownership passes to the outbound pipeline) and flushes once per read
 * batch, as the KCP codec does. Thread-safe (one instance per datagram channel; counters shared).
 */
public final class PerfRawUdp {
  /** The prefix's first four bytes, big-endian. */
  static final int MAGIC = 0x6B707277;

  /** Bytes before the perf message. */
  public static final int PREFIX = 8;

  private PerfRawUdp() {}

  /** True when {@code content} (from its reader index) is a raw perf datagram. */
  static boolean isRaw(ByteBuf content) {
    int at = content.readerIndex();
    return content.readableBytes() >= PREFIX + PerfProtocol.HEADER
        && content.getInt(at) == MAGIC
        && content.getByte(at + 4) == 0;
  }

  /** A raw datagram's payload: the prefix and a perf message of {@code size} bytes. */
  static ByteBuf datagram(ByteBufAllocator alloc, int type, int session, long stamp, int size) {
    int n = Math.max(PerfProtocol.HEADER, size);
    ByteBuf b = alloc.directBuffer(PREFIX + n);
    b.writeInt(MAGIC).writeInt(0);
    b.writeByte(type).writeMedium(0).writeInt(session).writeLong(stamp);
    b.writeZero(n - PerfProtocol.HEADER);
    return b;
  }

  /** The perf message type of a raw datagram. */
  static int type(ByteBuf content) {
    return content.getByte(content.readerIndex() + PREFIX);
  }

  /** The session id of a raw datagram. */
  static int session(ByteBuf content) {
    return content.getInt(content.readerIndex() + PREFIX + 4);
  }

  /** The scheduled send time of a raw ECHO. */
  static long stamp(ByteBuf content) {
    return content.getLong(content.readerIndex() + PREFIX + 8);
  }

  /**
   * The server side: answers raw ECHO datagrams in front of the KCP codec (see the class doc). One
   * instance per datagram channel.
   */
  static final class ServerEcho extends ChannelInboundHandlerAdapter {
    private final LongAdder echoed;
    private final PerfDrops drops;
    private boolean needsFlush;

    /** Counts echoes into {@code echoed} (shared with the KCP handler) and drops into drops. */
    ServerEcho(LongAdder echoed, PerfDrops drops) {
      this.echoed = echoed;
      this.drops = drops;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (!(msg instanceof DatagramPacket) || !isRaw(((DatagramPacket) msg).content())) {
        ctx.fireChannelRead(msg);
        return;
      }
      if (StageTrace.ON) {
        StageTrace.mark(PerfClient.TRACE_SERVER_RAW_READ);
      }
      DatagramPacket packet = (DatagramPacket) msg;
      if (type(packet.content()) != PerfProtocol.ECHO) {
        packet.release();
        return;
      }
      if (!ctx.channel().isWritable()) {
        packet.release();
        drops.count(PerfDrops.Cause.UNWRITABLE, null);
        return;
      }
      echoed.increment();
      InetSocketAddress sender = packet.sender();
      // The received buffer goes back out as it is: ownership passes to the outbound pipeline.
      ctx.write(new DatagramPacket(packet.content(), sender), ctx.voidPromise());
      needsFlush = true;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      if (needsFlush) {
        needsFlush = false;
        ctx.flush();
        if (StageTrace.ON) {
          StageTrace.mark(PerfClient.TRACE_SERVER_RAW_FLUSHED);
        }
      }
      ctx.fireChannelReadComplete();
    }
  }

  /**
   * The client side of one raw socket: hands each returned ECHO to the sender of its session id.
   * Event-loop confined (the socket's).
   */
  static final class ClientSocket extends ChannelInboundHandlerAdapter {
    private final PerfClient.Sender[] senders;
    final LongAdder bytesIn;

    /** Delivers to {@code senders[id]} (sessions are numbered from 0); counts bytes in. */
    ClientSocket(PerfClient.Sender[] senders, LongAdder bytesIn) {
      this.senders = senders;
      this.bytesIn = bytesIn;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (!(msg instanceof DatagramPacket)) {
        ctx.fireChannelRead(msg);
        return;
      }
      DatagramPacket packet = (DatagramPacket) msg;
      try {
        ByteBuf c = packet.content();
        if (StageTrace.ON) {
          StageTrace.mark(PerfClient.TRACE_RAW_ECHOED);
        }
        if (!isRaw(c) || type(c) != PerfProtocol.ECHO) {
          return; // not ours: the server echoes only raw ECHO
        }
        bytesIn.add(c.readableBytes());
        int id = session(c);
        if (id >= 0 && id < senders.length && senders[id] != null) {
          senders[id].echoed(stamp(c));
        }
      } finally {
        packet.release();
      }
    }
  }
}
