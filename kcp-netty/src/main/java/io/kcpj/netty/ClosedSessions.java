package io.kcpj.netty;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The (address, conv) keys of the sessions a server codec closed in the last {@value
 * #MEMORY_MILLIS} ms, so that the datagrams their peers go on sending are counted as {@link
 * KcpDropReason#CLOSED_SESSION} rather than as strays ({@code UNKNOWN_SESSION}, {@code
 * UNKNOWN_CONV}). It changes nothing on the wire: plain KCP has no reset, and such a datagram is
 * dropped either way; an opening (a data segment with sn 0) still opens a new session.
 *
 * <p>Every close is remembered, unvalidated sessions' included (a live client whose session timed
 * out unvalidated is the case an operator most needs to see), at most {@value #CAPACITY} keys, the
 * oldest forgotten first: a flood of forged openings, whose sessions are evicted or time out, can
 * push real ones out early (they then count as strays again) but cannot grow it. Event-loop
 * confined; owned by its codec.
 */
final class ClosedSessions {
  /** How long a closed session's key is remembered. */
  static final long MEMORY_MILLIS = 60_000;

  /** The most keys remembered. */
  static final int CAPACITY = 1024;

  /** Key to the time it closed, oldest first. */
  private final LinkedHashMap<SessionKey, Long> closedAt = new LinkedHashMap<>();

  /** A session left the table at {@code nowMillis}; {@code key} is its own (never mutated). */
  void closed(SessionKey key, long nowMillis) {
    closedAt.remove(key); // a reopened and closed again conversation moves to the end
    closedAt.put(key, nowMillis);
    Iterator<Map.Entry<SessionKey, Long>> oldest = closedAt.entrySet().iterator();
    while (oldest.hasNext()) {
      Map.Entry<SessionKey, Long> e = oldest.next();
      if (closedAt.size() <= CAPACITY && nowMillis - e.getValue() < MEMORY_MILLIS) {
        break;
      }
      oldest.remove();
    }
  }

  /**
   * Whether {@code key} (a look-up key; not kept) is a session closed less than {@value
   * #MEMORY_MILLIS} ms before {@code nowMillis}.
   */
  boolean recentlyClosed(SessionKey key, long nowMillis) {
    if (closedAt.isEmpty()) {
      return false;
    }
    Long at = closedAt.get(key);
    if (at == null) {
      return false;
    }
    if (nowMillis - at < MEMORY_MILLIS) {
      return true;
    }
    closedAt.remove(key);
    return false;
  }

  int size() {
    return closedAt.size();
  }
}
