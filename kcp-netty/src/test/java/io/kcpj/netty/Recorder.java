package io.kcpj.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A sharable child handler that records what happens to sessions, optionally echoing. */
@Sharable
final class Recorder extends ChannelInboundHandlerAdapter {
  final boolean echo;
  final List<KcpChannel> active = new CopyOnWriteArrayList<>();
  final List<KcpChannel> inactive = new CopyOnWriteArrayList<>();
  final List<String> messages = new CopyOnWriteArrayList<>();
  final List<Throwable> errors = new CopyOnWriteArrayList<>();
  final List<Boolean> writability = new CopyOnWriteArrayList<>();
  final List<String> events = new CopyOnWriteArrayList<>();

  Recorder(boolean echo) {
    this.echo = echo;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    active.add((KcpChannel) ctx.channel());
    events.add("active");
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    inactive.add((KcpChannel) ctx.channel());
    events.add("inactive:" + ((KcpChannel) ctx.channel()).closeReason());
    ctx.fireChannelInactive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf buf = (ByteBuf) msg;
    messages.add(buf.toString(StandardCharsets.UTF_8));
    if (echo) {
      ctx.write(buf);
    } else {
      buf.release();
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    events.add("readComplete");
    if (echo) {
      ctx.flush();
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    writability.add(ctx.channel().isWritable());
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    errors.add(cause);
    events.add("exception:" + cause.getClass().getSimpleName());
  }

  List<String> messagesSnapshot() {
    return new ArrayList<>(messages);
  }
}
