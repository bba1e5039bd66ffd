package io.kcpj.netty;

import io.kcpj.core.crypt.CryptConfig;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.util.AttributeKey;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a builder hands to its codec: immutable copies of the session options and policy. */
final class CodecSettings {
  final Map<ChannelOption<?>, Object> childOptions;
  final Map<AttributeKey<?>, Object> childAttrs;
  final ChannelHandler childHandler;
  final KcpSessionListener listener;
  final int maxSessions;

  /** 0: read as the datagram channel is configured; else the {@link ReadCoalescer} pause. */
  final long readCoalescingNanos;

  /** Admission, memory budget and log summaries (set by {@link #withLimits}). */
  CodecLimits limits = CodecLimits.CLIENT_DEFAULTS;

  /** kcp-go's packet encryption for every datagram ({@link KcpChannelOption#CRYPT}), or null. */
  CryptConfig crypt;

  CodecSettings(
      Map<ChannelOption<?>, Object> childOptions,
      Map<AttributeKey<?>, Object> childAttrs,
      ChannelHandler childHandler,
      KcpSessionListener listener,
      int maxSessions,
      long readCoalescingNanos) {
    this.readCoalescingNanos = readCoalescingNanos;
    this.childOptions = Collections.unmodifiableMap(new LinkedHashMap<>(childOptions));
    this.childAttrs = Collections.unmodifiableMap(new LinkedHashMap<>(childAttrs));
    this.childHandler = childHandler;
    this.listener = listener;
    this.maxSessions = maxSessions;
  }

  /** Sets the codec's packet encryption (null: none); returns this. */
  CodecSettings withCrypt(CryptConfig crypt) {
    this.crypt = crypt;
    return this;
  }

  /** Sets the codec's limits; returns this. */
  CodecSettings withLimits(CodecLimits limits) {
    this.limits = limits;
    return this;
  }
}
