package io.kcpj.netty.micrometer;

import io.kcpj.core.secure.SecureCounters;
import io.kcpj.core.secure.SecureDrop;
import io.kcpj.netty.KcpCloseReason;
import io.kcpj.netty.KcpCodec;
import io.kcpj.netty.KcpCodecMetrics;
import io.kcpj.netty.KcpDropReason;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 *   <tr><td>kcpj.sessions.path_validations.failed</td><td>counter</td><td></td><td>sessions whose peer's new address failed the session layer's path validation (the session stayed)</td></tr>
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
 * <p><b>Secure sessions.</b> When the codec runs kcpj's secure sessions ({@link
 * KcpCodec#isSecure()} at {@link #bindTo}), the secure layer's counters ({@link
 * KcpCodecMetrics#secureCounters()}, summed over its sessions live and ended) are exported too:
 *
 * <table>
 *   <caption>Secure-session meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th><th>what it counts</th></tr>
 *   <tr><td>kcpj.secure.dropped</td><td>counter</td><td>reason (a {@link SecureDrop} other than NONE, lower case: forged records are authentication_failed, replays replayed or too_old, unknown keys unknown_session or key_unavailable)</td><td>datagrams the secure layer dropped</td></tr>
 *   <tr><td>kcpj.secure.datagrams.in</td><td>counter</td><td></td><td>datagrams the secure layer received</td></tr>
 *   <tr><td>kcpj.secure.datagrams.out</td><td>counter</td><td></td><td>datagrams the secure layer sent</td></tr>
 *   <tr><td>kcpj.secure.bytes.in</td><td>counter</td><td></td><td>bytes the secure layer received</td></tr>
 *   <tr><td>kcpj.secure.bytes.out</td><td>counter</td><td></td><td>bytes the secure layer sent</td></tr>
 *   <tr><td>kcpj.secure.records.accepted</td><td>counter</td><td></td><td>records authenticated and accepted</td></tr>
 *   <tr><td>kcpj.secure.payloads.delivered</td><td>counter</td><td></td><td>inner datagrams (PAYLOAD frames) passed up to the codec</td></tr>
 *   <tr><td>kcpj.secure.handshakes</td><td>counter</td><td></td><td>handshakes completed</td></tr>
 *   <tr><td>kcpj.secure.retries.sent</td><td>counter</td><td></td><td>RETRY (address validation token) answers sent</td></tr>
 *   <tr><td>kcpj.secure.responses.retransmitted</td><td>counter</td><td></td><td>handshake RESPONSEs sent again for a retransmitted INITIATION</td></tr>
 *   <tr><td>kcpj.secure.initiations.retransmitted</td><td>counter</td><td></td><td>handshake INITIATIONs retransmitted</td></tr>
 *   <tr><td>kcpj.secure.keepalives.sent</td><td>counter</td><td></td><td>keepalive PINGs sent</td></tr>
 *   <tr><td>kcpj.secure.stateless_resets.sent</td><td>counter</td><td></td><td>stateless resets sent for unknown sessions</td></tr>
 *   <tr><td>kcpj.secure.stateless_resets.recognised</td><td>counter</td><td></td><td>stateless resets recognised (the session ended)</td></tr>
 *   <tr><td>kcpj.secure.path_challenges.sent</td><td>counter</td><td></td><td>PATH_CHALLENGEs sent to a peer's new address</td></tr>
 *   <tr><td>kcpj.secure.paths.validated</td><td>counter</td><td></td><td>new peer addresses validated</td></tr>
 *   <tr><td>kcpj.secure.path_validations.failed</td><td>counter</td><td></td><td>new peer addresses that failed validation</td></tr>
 *   <tr><td>kcpj.secure.migrations</td><td>counter</td><td></td><td>moves of a session to a new peer address, validated or not</td></tr>
 *   <tr><td>kcpj.secure.close_frames.sent</td><td>counter</td><td></td><td>CLOSE frames sent</td></tr>
 *   <tr><td>kcpj.secure.key_updates</td><td>counter</td><td></td><td>key updates</td></tr>
 * </table>
 *
 * <p><b>Threads and cost.</b> The registry reads meters from its own threads. A codec snapshot is
 * taken on the codec's event loop (one task) and reused by all meters for {@code maxAgeMillis}
 * (default 1000), so one scrape costs one snapshot, not one per meter. When the codec's event loop
 * has shut down, the meters keep the last snapshot.
 *
 * <p><b>Ownership.</b> The meters hold this binder, and through it the codec, strongly: {@code new
 * KcpCodecMeterBinder(codec, tags).bindTo(registry)} needs no reference kept by the caller, and the
 * meters read real values for as long as they stay in the registry. The registry therefore keeps
 * the binder, the codec and what the codec holds alive until the meters are removed: the codec's
 * pipeline context (so its datagram channel's pipeline and handlers, a secure layer with its crypto
 * scratch buffers of about 128 KiB included) and its last snapshot, even after the channel closed
 * (a closed channel's codec keeps reporting its last counters). {@link #close()} removes every
 * meter this binder registered, from every registry it was bound to, and lets all of that be
 * collected; call it when the codec's channel is closed for good ({@code registry.close()} also
 * drops them). Give each binder its own tags: a registry hands back an existing meter with the same
 * name and tags, and {@link #close()} would remove it for both binders.
 *
 * <p>Micrometer is an optional dependency of kcp-netty: add {@code io.micrometer:micrometer-core}
 * to use this class; nothing else in kcp-netty needs it.
 */
public final class KcpCodecMeterBinder implements MeterBinder, AutoCloseable {
  private final KcpCodec codec;

  /** Every meter {@link #bindTo} registered, with its registry, until {@link #close()}. */
  private final List<Map.Entry<MeterRegistry, Meter>> registered = new ArrayList<>();

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
    keep(
        registry,
        gauge(
                registry,
                "kcpj.sessions",
                "sessions open now",
                KcpCodecMetrics::sessionsValidated,
                null)
            .tag("state", "validated")
            .register(registry));
    keep(
        registry,
        gauge(
                registry,
                "kcpj.sessions",
                "sessions open now",
                KcpCodecMetrics::sessionsUnvalidated,
                null)
            .tag("state", "unvalidated")
            .register(registry));
    keep(
        registry,
        counter("kcpj.sessions.opened", "sessions created", KcpCodecMetrics::sessionsOpened)
            .register(registry));
    keep(
        registry,
        counter(
                "kcpj.sessions.validations",
                "sessions validated after opening unvalidated",
                KcpCodecMetrics::validations)
            .register(registry));
    keep(
        registry,
        counter(
                "kcpj.sessions.path_changes",
                "sessions moved to a peer's new address by a session layer",
                KcpCodecMetrics::pathChanges)
            .register(registry));
    keep(
        registry,
        counter(
                "kcpj.sessions.path_validations.failed",
                "sessions whose peer's new address failed path validation",
                KcpCodecMetrics::pathValidationsFailed)
            .register(registry));
    keep(
        registry,
        counter(
                "kcpj.sessions.evicted",
                "unvalidated sessions evicted to admit an opening",
                KcpCodecMetrics::sessionsEvicted)
            .register(registry));
    for (KcpCloseReason reason : KcpCloseReason.values()) {
      keep(
          registry,
          counter("kcpj.sessions.closed", "sessions closed", m -> m.sessionsClosed(reason))
              .tag("reason", reason.name().toLowerCase(Locale.ROOT))
              .register(registry));
    }
    for (KcpDropReason reason : KcpDropReason.values()) {
      keep(
          registry,
          counter(
                  "kcpj.datagrams.dropped",
                  "inbound datagrams dropped",
                  m -> m.datagramsDropped(reason))
              .tag("reason", reason.name().toLowerCase(Locale.ROOT))
              .register(registry));
    }
    keep(
        registry,
        counter("kcpj.datagrams.in", "datagrams received", KcpCodecMetrics::datagramsIn)
            .register(registry));
    keep(
        registry,
        counter("kcpj.datagrams.out", "datagrams written", KcpCodecMetrics::datagramsOut)
            .register(registry));
    keep(
        registry,
        counter(
                "kcpj.datagrams.withheld",
                "datagrams the anti-amplification limit cut or withheld",
                KcpCodecMetrics::datagramsWithheld)
            .register(registry));
    keep(
        registry,
        counter(
                "kcpj.session.failures",
                "failures while serving a session outside a datagram",
                KcpCodecMetrics::sessionFailures)
            .register(registry));
    keep(
        registry,
        gauge(
                registry,
                "kcpj.bytes.held",
                "bytes held in the sessions' queues",
                KcpCodecMetrics::bytesHeld,
                "bytes")
            .register(registry));
    keep(
        registry,
        gauge(
                registry,
                "kcpj.memory.budget",
                "the codec's memory budget",
                KcpCodecMetrics::memoryBudget,
                "bytes")
            .register(registry));
    if (codec.isSecure()) {
      bindSecure(registry);
    }
  }

  /**
   * Removes every meter this binder registered from the registries it was bound to; afterwards no
   * registry holds this binder or its codec. Idempotent; the binder may be bound again.
   */
  @Override
  public void close() {
    List<Map.Entry<MeterRegistry, Meter>> meters;
    synchronized (registered) {
      meters = new ArrayList<>(registered);
      registered.clear();
    }
    for (Map.Entry<MeterRegistry, Meter> e : meters) {
      e.getKey().remove(e.getValue());
    }
  }

  /** Remembers {@code meter} (registered in {@code registry}) for {@link #close()}. */
  private void keep(MeterRegistry registry, Meter meter) {
    synchronized (registered) {
      registered.add(Map.entry(registry, meter));
    }
  }

  /** The {@code kcpj.secure.*} meters. */
  private void bindSecure(MeterRegistry registry) {
    for (SecureDrop reason : SecureDrop.values()) {
      if (reason != SecureDrop.NONE) {
        keep(
            registry,
            secureCounter(
                    "kcpj.secure.dropped",
                    "datagrams the secure layer dropped",
                    c -> c.drops(reason))
                .tag("reason", reason.name().toLowerCase(Locale.ROOT))
                .register(registry));
      }
    }
    keep(
        registry,
        secureCounter(
                "kcpj.secure.datagrams.in",
                "datagrams the secure layer received",
                c -> c.datagramsIn)
            .register(registry));
    keep(
        registry,
        secureCounter(
                "kcpj.secure.datagrams.out", "datagrams the secure layer sent", c -> c.datagramsOut)
            .register(registry));
    keep(
        registry,
        secureCounter("kcpj.secure.bytes.in", "bytes the secure layer received", c -> c.bytesIn)
            .register(registry));
    keep(
        registry,
        secureCounter("kcpj.secure.bytes.out", "bytes the secure layer sent", c -> c.bytesOut)
            .register(registry));
    keep(
        registry,
        secureCounter(
                "kcpj.secure.records.accepted",
                "records authenticated and accepted",
                c -> c.recordsAccepted)
            .register(registry));
    keep(
        registry,
        secureCounter(
                "kcpj.secure.payloads.delivered",
                "inner datagrams (PAYLOAD frames) passed up to the codec",
                c -> c.payloadsDelivered)
            .register(registry));
    keep(
        registry,
        secureCounter("kcpj.secure.handshakes", "handshakes completed", c -> c.handshakesCompleted)
            .register(registry));
    keep(
        registry,
        secureCounter(
                "kcpj.secure.retries.sent",
                "RETRY (address validation token) answers sent",
                c -> c.retriesSent)
            .register(registry));
    keep(
        registry,
        secureCounter(
                "kcpj.secure.responses.retransmitted",
                "handshake RESPONSEs sent again for a retransmitted INITIATION",
                c -> c.responsesRetransmitted)
            .register(registry));
    keep(
        registry,
        secureCounter(
                "kcpj.secure.initiations.retransmitted",
                "handshake INITIATIONs retransmitted",
                c -> c.initiationsRetransmitted)
            .register(registry));
    keep(
        registry,
        secureCounter("kcpj.secure.keepalives.sent", "keepalive PINGs sent", c -> c.keepalivesSent)
            .register(registry));
    keep(
        registry,
        secureCounter(
                "kcpj.secure.stateless_resets.sent",
                "stateless resets sent for unknown sessions",
                c -> c.statelessResetsSent)
            .register(registry));
    keep(
        registry,
        secureCounter(
                "kcpj.secure.stateless_resets.recognised",
                "stateless resets recognised (the session ended)",
                c -> c.statelessResetsRecognised)
            .register(registry));
    keep(
        registry,
        secureCounter(
                "kcpj.secure.path_challenges.sent",
                "PATH_CHALLENGEs sent to a peer's new address",
                c -> c.pathChallengesSent)
            .register(registry));
    keep(
        registry,
        secureCounter(
                "kcpj.secure.paths.validated",
                "new peer addresses validated",
                c -> c.pathsValidated)
            .register(registry));
    keep(
        registry,
        secureCounter(
                "kcpj.secure.path_validations.failed",
                "new peer addresses that failed validation",
                c -> c.pathValidationsFailed)
            .register(registry));
    keep(
        registry,
        secureCounter(
                "kcpj.secure.migrations",
                "moves of a session to a new peer address, validated or not",
                c -> c.migrations)
            .register(registry));
    keep(
        registry,
        secureCounter("kcpj.secure.close_frames.sent", "CLOSE frames sent", c -> c.closeFramesSent)
            .register(registry));
    keep(
        registry,
        secureCounter("kcpj.secure.key_updates", "key updates", c -> c.keyUpdates)
            .register(registry));
  }

  private FunctionCounter.Builder<KcpCodecMeterBinder> secureCounter(
      String name, String description, ToDoubleFunction<SecureCounters> value) {
    return counter(
        name,
        description,
        m -> {
          SecureCounters c = m.secureCounters();
          return c == null ? 0 : value.applyAsDouble(c);
        });
  }

  private Gauge.Builder<KcpCodecMeterBinder> gauge(
      MeterRegistry registry,
      String name,
      String description,
      ToDoubleFunction<KcpCodecMetrics> value,
      String unit) {
    return Gauge.builder(name, this, keepsThisReachable(value))
        .description(description)
        .baseUnit(unit)
        .tags(tags)
        .strongReference(true);
  }

  private FunctionCounter.Builder<KcpCodecMeterBinder> counter(
      String name, String description, ToDoubleFunction<KcpCodecMetrics> value) {
    return FunctionCounter.builder(name, this, keepsThisReachable(value))
        .description(description)
        .tags(tags);
  }

  /**
   * The meter's function. Micrometer holds a meter's state object (this binder) only weakly, but
   * its function strongly: the function captures this binder, so the binder stays reachable from
   * the registry for as long as the meter is registered. ({@code FunctionCounter.Builder} has no
   * {@code strongReference} option; a function that ignored {@code this} would let the binder be
   * collected and every meter stop.)
   */
  private ToDoubleFunction<KcpCodecMeterBinder> keepsThisReachable(
      ToDoubleFunction<KcpCodecMetrics> value) {
    return ignored -> value.applyAsDouble(snapshot());
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
