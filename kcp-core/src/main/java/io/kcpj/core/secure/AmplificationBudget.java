package io.kcpj.core.secure;

/**
 * QUIC's anti-amplification limit for one address (docs/secure-sessions.md, section 9): until the
 * address is validated, bytes sent to it stay within {@link #FACTOR} times the bytes received from
 * it. Counts only what its owner reports (authenticated datagrams). Not thread-safe; owned by one
 * session.
 */
public final class AmplificationBudget {
  /** The limit factor (3, as in QUIC). */
  public static final int FACTOR = 3;

  private long received;
  private long sent;
  private boolean validated;

  /** Whether {@code bytes} more may be sent now. */
  public boolean allows(int bytes) {
    return validated || sent + bytes <= FACTOR * received;
  }

  public void onReceived(int bytes) {
    received += bytes;
  }

  public void onSent(int bytes) {
    sent += bytes;
  }

  /** The address is validated: no limit any more. */
  public void validate() {
    validated = true;
  }

  public boolean isValidated() {
    return validated;
  }

  /** A new, unvalidated address: counts restart at zero. */
  public void restart() {
    received = 0;
    sent = 0;
    validated = false;
  }

  public long received() {
    return received;
  }

  public long sent() {
    return sent;
  }
}
