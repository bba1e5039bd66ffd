package io.kcpj.bench.compare;

import java.util.Locale;
import java.util.Objects;

/**
 * What the client does during a comparison run. Immutable.
 *
 * <ul>
 *   <li>{@link Kind#GAME}: a message of {@code size} bytes every {@code 1/rate} s, echoed by the
 *       server; RTT per message from its <em>scheduled</em> send time (no coordinated omission).
 *   <li>{@link Kind#RPC}: request/response — each request of {@code size} bytes is answered with
 *       {@code responseSize} bytes; requests are sent on the same schedule, latency per call from
 *       its scheduled time.
 *   <li>{@link Kind#BULK}: {@code bulkBytes} sent as fast as the transport allows; reported as
 *       goodput (the RTT histogram then holds the time to deliver each 64 KiB chunk).
 * </ul>
 *
 * The run lasts {@code count} messages if {@code count > 0}, else {@code durationMillis}.
 */
public final class Workload {
  /** The kinds of workload. */
  public enum Kind {
    GAME,
    RPC,
    BULK
  }

  private final Kind kind;
  private final double rateHz;
  private final int size;
  private final int responseSize;
  private final long durationMillis;
  private final int count;
  private final long bulkBytes;
  private final Delivery delivery;

  private Workload(
      Kind kind,
      double rateHz,
      int size,
      int responseSize,
      long durationMillis,
      int count,
      long bulkBytes,
      Delivery delivery) {
    this.kind = Objects.requireNonNull(kind, "kind");
    if (kind != Kind.BULK) {
      if (!(rateHz > 0 && rateHz <= 100_000)) {
        throw new IllegalArgumentException("rate must be in (0, 100000] Hz, got " + rateHz);
      }
      if (size < EchoMessage.HEADER || size > 1 << 20) {
        throw new IllegalArgumentException(
            "size must be in ["
                + EchoMessage.HEADER
                + ", 1048576] bytes (a message carries a "
                + EchoMessage.HEADER
                + "-byte sequence and timestamp), got "
                + size);
      }
      if (count <= 0 && durationMillis <= 0) {
        throw new IllegalArgumentException("give a positive count or duration");
      }
    } else if (bulkBytes <= 0) {
      throw new IllegalArgumentException("bulk size must be positive, got " + bulkBytes);
    }
    if (responseSize < EchoMessage.HEADER && kind == Kind.RPC) {
      throw new IllegalArgumentException("response size must be at least " + EchoMessage.HEADER);
    }
    this.rateHz = rateHz;
    this.size = size;
    this.responseSize = responseSize;
    this.durationMillis = durationMillis;
    this.count = count;
    this.bulkBytes = bulkBytes;
    this.delivery = Objects.requireNonNull(delivery, "delivery");
  }

  /** The game-like default: 20 Hz, 100-byte messages, echoed. */
  public static Workload game(double rateHz, int size, long durationMillis) {
    return new Workload(Kind.GAME, rateHz, size, size, durationMillis, 0, 0, Delivery.ORDERED);
  }

  /** A fixed number of echoed messages (the C reference test: 1000 × 8 B at 50 Hz). */
  public static Workload gameCount(double rateHz, int size, int count) {
    return new Workload(Kind.GAME, rateHz, size, size, 0, count, 0, Delivery.ORDERED);
  }

  public static Workload rpc(
      double rateHz, int requestSize, int responseSize, long durationMillis) {
    return new Workload(
        Kind.RPC, rateHz, requestSize, responseSize, durationMillis, 0, 0, Delivery.ORDERED);
  }

  /**
   * {@code bytes} sent as fast as the transport takes them, in {@value #BULK_CHUNK}-byte chunks
   * that the server acknowledges with 4 bytes each (at most {@value #BULK_OUTSTANDING} chunks
   * outstanding, as an application window).
   */
  public static Workload bulk(long bytes) {
    return new Workload(
        Kind.BULK, 0, BULK_CHUNK, EchoMessage.HEADER, 0, 0, bytes, Delivery.ORDERED);
  }

  /** Bytes per bulk chunk (one KCP message, one TCP request). */
  public static final int BULK_CHUNK = 64 * 1024;

  /** Bulk chunks in flight at most. */
  public static final int BULK_OUTSTANDING = 16;

  /** The same workload with messages delivered as {@code delivery} asks. */
  public Workload withDelivery(Delivery delivery) {
    return new Workload(
        kind, rateHz, size, responseSize, durationMillis, count, bulkBytes, delivery);
  }

  /** How the transports must deliver the messages (default {@link Delivery#ORDERED}). */
  public Delivery delivery() {
    return delivery;
  }

  public Kind kind() {
    return kind;
  }

  public double rateHz() {
    return rateHz;
  }

  /** Message (or request) size in bytes. */
  public int size() {
    return size;
  }

  /** Echo (or response) size in bytes. */
  public int responseSize() {
    return responseSize;
  }

  public long bulkBytes() {
    return bulkBytes;
  }

  /** How many messages the client sends (bulk: chunks). */
  public int messageCount() {
    if (kind == Kind.BULK) {
      return (int) ((bulkBytes + size - 1) / size);
    }
    if (count > 0) {
      return count;
    }
    return (int) Math.max(1, Math.round(durationMillis / 1000.0 * rateHz));
  }

  /** The scheduled send time of message {@code i}, in nanoseconds from the start (bulk: 0). */
  public long scheduledNanos(int i) {
    return kind == Kind.BULK ? 0 : Math.round(i * 1e9 / rateHz);
  }

  /** The time the last message is scheduled, in milliseconds (0 for bulk: as fast as possible). */
  public long sendingMillis() {
    return kind == Kind.BULK ? 0 : scheduledNanos(messageCount() - 1) / 1_000_000;
  }

  /** Payload bytes of chunk or message {@code i}. */
  public int messageSize(int i) {
    if (kind != Kind.BULK) {
      return size;
    }
    long rest = bulkBytes - (long) i * size;
    return (int) Math.max(EchoMessage.HEADER, Math.min(size, rest));
  }

  private String hz() {
    return java.math.BigDecimal.valueOf(rateHz).stripTrailingZeros().toPlainString();
  }

  @Override
  public String toString() {
    switch (kind) {
      case BULK:
        return String.format(Locale.ROOT, "bulk %d bytes", bulkBytes);
      case RPC:
        return String.format(
            Locale.ROOT,
            "rpc %s Hz, %d B requests, %d B responses, %d calls",
            hz(),
            size,
            responseSize,
            messageCount());
      default:
        return String.format(
            Locale.ROOT,
            "game %s Hz, %d B messages echoed, %d messages",
            hz(),
            size,
            messageCount());
    }
  }
}
