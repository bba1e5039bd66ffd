package io.kcpj.netty.micrometer;

import io.kcpj.netty.KcpCloseReason;
import io.kcpj.netty.KcpCodec;
import io.kcpj.netty.KcpCodecMetrics;
import io.kcpj.netty.KcpDropReason;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Locale;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * Exports a {@link KcpCodec}'s {@linkplain KcpCodec#metrics() metrics} to a Micrometer {@link
 * MeterRegistry}. Every meter carries the tags given to the constructor (e.g. {@code
 * codec=game-server}) besides its own:
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th><th>what it counts</th></tr>
 *   <tr><td>kcpj.sessions</td><td>gauge</td><td>state=validated|unvalidated</td><td>sessions open now</td></tr>
 *   <tr><td>kcpj.sessions.opened</td><td>counter</td><td></td><td>sessions created</td></tr>
 *   <tr><td>kcpj.sessions.validations</td><td>counter</td><td></td><td>sessions validated after opening unvalidated</td></tr>
 *   <tr><td>kcpj.sessions.path_changes</td><td>counter</td><td></td><td>sessions moved to a peer's new address by a session layer</td></tr>
 *   <tr><td>kcpj.sessions.evicted</td><td>counter</td><td></td><td>unvalidated sessions evicted to admit an opening</td></tr>
 *   <tr><td>kcpj.sessions.closed</td><td>counter</td><td>reason (a {@link KcpCloseReason}, lower case)</td><td>sessions closed</td></tr>
 *   <tr><td>kcpj.datagrams.dropped</td><td>counter</td><td>reason (a {@link KcpDropReason}, lower case)</td><td>inbound datagrams dropped</td></tr>
 *   <tr><td>kcpj.datagrams.in</td><td>counter</td><td></td><td>datagrams received from the datagram channel</td></tr>
 *   <tr><td>kcpj.datagrams.out</td><td>counter</td><td></td><td>datagrams written to the datagram channel</td></tr>
 *   <tr><td>kcpj.datagrams.withheld</td><td>counter</td><td></td><td>datagrams the anti-amplification limit cut or withheld</td></tr>
 *   <tr><td>kcpj.session.failures</td><td>counter</td><td></td><td>failures while serving a session outside a datagram</td></tr>
 *   <tr><td>kcpj.bytes.held</td><td>gauge, bytes</td><td></td><td>bytes held in the sessions' queues</td></tr>
 *   <tr><td>kcpj.memory.budget</td><td>gauge, bytes</td><td></td><td>the codec's memory budget</td></tr>
 * </table>
 *
 * <p><b>Threads and cost.</b> The registry reads meters from its own threads. A codec snapshot is
 * taken on the codec's event loop (one task) and reused by all meters for {@code maxAgeMillis}
 * (default 1000), so one scrape costs one snapshot, not one per meter. When the codec's event loop
 * has shut down, the meters keep the last snapshot.
 *
 * <p>Micrometer is an optional dependency of kcp-netty: add {@code io.micrometer:micrometer-core}
 * to use this class; nothing else in kcp-netty needs it.
 */
public final class KcpCodecMeterBinder implements MeterBinder {
  private final KcpCodec codec;
  private final Tags tags;
  private final long maxAgeNanos;
  private volatile KcpCodecMetrics last;
  private volatile long lastAt;

  /** Binds {@code codec}'s metrics with {@code tags} on every meter, snapshots at most 1 s old. */
  public KcpCodecMeterBinder(KcpCodec codec, Iterable<Tag> tags) {
    this(codec, tags, 1000);
  }

  /**
   * Binds {@code codec}'s metrics with {@code tags} on every meter; a snapshot is reused for up to
   * {@code maxAgeMillis} (0: a new one for every meter read).
   */
  public KcpCodecMeterBinder(KcpCodec codec, Iterable<Tag> tags, long maxAgeMillis) {
    if (maxAgeMillis < 0) {
      throw new IllegalArgumentException("maxAgeMillis must be >= 0: " + maxAgeMillis);
    }
    this.codec = Objects.requireNonNull(codec, "codec");
    this.tags = Tags.of(tags);
    this.maxAgeNanos = maxAgeMillis * 1_000_000L;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    gauge(registry, "kcpj.sessions", "sessions open now", KcpCodecMetrics::sessionsValidated, null)
        .tag("state", "validated")
        .register(registry);
    gauge(
            registry,
            "kcpj.sessions",
            "sessions open now",
            KcpCodecMetrics::sessionsUnvalidated,
            null)
        .tag("state", "unvalidated")
        .register(registry);
    counter("kcpj.sessions.opened", "sessions created", KcpCodecMetrics::sessionsOpened)
        .register(registry);
    counter(
            "kcpj.sessions.validations",
            "sessions validated after opening unvalidated",
            KcpCodecMetrics::validations)
        .register(registry);
    counter(
            "kcpj.sessions.path_changes",
            "sessions moved to a peer's new address by a session layer",
            KcpCodecMetrics::pathChanges)
        .register(registry);
    counter(
            "kcpj.sessions.evicted",
            "unvalidated sessions evicted to admit an opening",
            KcpCodecMetrics::sessionsEvicted)
        .register(registry);
    for (KcpCloseReason reason : KcpCloseReason.values()) {
      counter("kcpj.sessions.closed", "sessions closed", m -> m.sessionsClosed(reason))
          .tag("reason", reason.name().toLowerCase(Locale.ROOT))
          .register(registry);
    }
    for (KcpDropReason reason : KcpDropReason.values()) {
      counter(
              "kcpj.datagrams.dropped",
              "inbound datagrams dropped",
              m -> m.datagramsDropped(reason))
          .tag("reason", reason.name().toLowerCase(Locale.ROOT))
          .register(registry);
    }
    counter("kcpj.datagrams.in", "datagrams received", KcpCodecMetrics::datagramsIn)
        .register(registry);
    counter("kcpj.datagrams.out", "datagrams written", KcpCodecMetrics::datagramsOut)
        .register(registry);
    counter(
            "kcpj.datagrams.withheld",
            "datagrams the anti-amplification limit cut or withheld",
            KcpCodecMetrics::datagramsWithheld)
        .register(registry);
    counter(
            "kcpj.session.failures",
            "failures while serving a session outside a datagram",
            KcpCodecMetrics::sessionFailures)
        .register(registry);
    gauge(
            registry,
            "kcpj.bytes.held",
            "bytes held in the sessions' queues",
            KcpCodecMetrics::bytesHeld,
            "bytes")
        .register(registry);
    gauge(
            registry,
            "kcpj.memory.budget",
            "the codec's memory budget",
            KcpCodecMetrics::memoryBudget,
            "bytes")
        .register(registry);
  }

  private Gauge.Builder<KcpCodecMeterBinder> gauge(
      MeterRegistry registry,
      String name,
      String description,
      ToDoubleFunction<KcpCodecMetrics> value,
      String unit) {
    return Gauge.builder(name, this, b -> value.applyAsDouble(b.snapshot()))
        .description(description)
        .baseUnit(unit)
        .tags(tags);
  }

  private FunctionCounter.Builder<KcpCodecMeterBinder> counter(
      String name, String description, ToDoubleFunction<KcpCodecMetrics> value) {
    return FunctionCounter.builder(name, this, b -> value.applyAsDouble(b.snapshot()))
        .description(description)
        .tags(tags);
  }

  /** The codec's metrics, at most {@code maxAgeMillis} old (or the last one taken). */
  KcpCodecMetrics snapshot() {
    KcpCodecMetrics m = last;
    long now = System.nanoTime();
    if (m == null || now - lastAt >= maxAgeNanos) {
      try {
        m = codec.metrics();
        last = m;
        lastAt = now;
      } catch (RuntimeException e) {
        if (m == null) {
          throw e; // nothing to report yet; Micrometer reports the meter as unavailable
        }
      }
    }
    return m;
  }
}
