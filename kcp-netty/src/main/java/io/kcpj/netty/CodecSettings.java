package io.kcpj.netty;

import io.kcpj.core.crypt.CryptConfig;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.util.AttributeKey;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

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

  /**
   * Makes the {@link KcpSessionLayer} the codec installs before itself when it is added to a
   * pipeline (the builders' {@code secure(...)}), or null: none, or one the user placed by hand.
   */
  Supplier<? extends KcpSessionLayer> sessionLayer;

  /**
   * Bytes that layer adds around each datagram the codec writes: the engine's MTU is lowered by
   * them (after the FEC and encryption bytes, {@link SessionLayers#applyMtu}).
   */
  int sessionLayerOverhead;

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

  /** Sets the session layer the codec installs and the bytes it adds; returns this. */
  CodecSettings withSessionLayer(Supplier<? extends KcpSessionLayer> layer, int overhead) {
    this.sessionLayer = layer;
    this.sessionLayerOverhead = layer == null ? 0 : overhead;
    return this;
  }

  /** Sets the codec's limits; returns this. */
  CodecSettings withLimits(CodecLimits limits) {
    this.limits = limits;
    return this;
  }
}
