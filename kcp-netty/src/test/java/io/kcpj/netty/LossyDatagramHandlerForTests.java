package io.kcpj.netty;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DatagramPacket;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * TEST ONLY — a stand-in for netem-sim's {@code NetemHandler} until that lands: impairs inbound
 * {@link DatagramPacket}s of the datagram channel it sits in, before the KCP codec. Each packet is
 * dropped with probability {@code loss} (seeded), otherwise delivered after a uniform random delay
 * in [0, jitterMillis] ms scheduled on the event loop (so packets may reorder). Each delayed
 * delivery is its own read batch (channelRead, then channelReadComplete).
 */
final class LossyDatagramHandlerForTests extends ChannelDuplexHandler {
  private final Random random;
  private final double loss;
  private final int jitterMillis;
  final AtomicLong dropped = new AtomicLong();
  final AtomicLong delivered = new AtomicLong();
  /** Packets waiting for their delay; released if the channel goes away first. */
  private final Set<DatagramPacket> pending = Collections.newSetFromMap(new IdentityHashMap<>());

  LossyDatagramHandlerForTests(long seed, double loss, int jitterMillis) {
    this.random = new Random(seed);
    this.loss = loss;
    this.jitterMillis = jitterMillis;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof DatagramPacket)) {
      ctx.fireChannelRead(msg);
      return;
    }
    if (random.nextDouble() < loss) {
      dropped.incrementAndGet();
      ((DatagramPacket) msg).release();
      return;
    }
    DatagramPacket packet = (DatagramPacket) msg;
    pending.add(packet);
    int delay = jitterMillis == 0 ? 0 : random.nextInt(jitterMillis + 1);
    ctx.executor().schedule(() -> {
      if (!pending.remove(packet)) {
        return; // released by channelInactive
      }
      delivered.incrementAndGet();
      ctx.fireChannelRead(packet);
      ctx.fireChannelReadComplete();
    }, delay, TimeUnit.MILLISECONDS);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    for (DatagramPacket p : pending) {
      p.release();
    }
    pending.clear();
    ctx.fireChannelInactive();
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    // Each delayed packet completes its own batch.
  }
}
