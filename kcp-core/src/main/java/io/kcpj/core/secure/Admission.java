package io.kcpj.core.secure;

/**
 * What {@link HandshakeResponder#onInitiation} did with an INITIATION: dropped it (and why), sent a
 * RETRY (no state kept), or accepted it with a new {@link SecureServerSession} the transport now
 * owns. Immutable; the DROPPED and RETRY_SENT instances are shared constants (no allocation under a
 * flood).
 */
public final class Admission {
  /** The three outcomes. */
  public enum Kind {
    DROPPED,
    RETRY_SENT,
    ACCEPTED
  }

  private static final Admission[] DROPS = new Admission[SecureDrop.values().length];
  private static final Admission RETRY = new Admission(Kind.RETRY_SENT, SecureDrop.NONE, null);

  static {
    for (SecureDrop d : SecureDrop.values()) {
      DROPS[d.ordinal()] = new Admission(Kind.DROPPED, d, null);
    }
  }

  private final Kind kind;
  private final SecureDrop drop;
  private final SecureServerSession session;

  private Admission(Kind kind, SecureDrop drop, SecureServerSession session) {
    this.kind = kind;
    this.drop = drop;
    this.session = session;
  }

  static Admission dropped(SecureDrop reason) {
    return DROPS[reason.ordinal()];
  }

  static Admission retrySent() {
    return RETRY;
  }

  static Admission accepted(SecureServerSession session) {
    return new Admission(Kind.ACCEPTED, SecureDrop.NONE, session);
  }

  public Kind kind() {
    return kind;
  }

  /** Why it was dropped ({@link SecureDrop#NONE} unless {@link Kind#DROPPED}). */
  public SecureDrop drop() {
    return drop;
  }

  /** The new session when {@link Kind#ACCEPTED}, else {@code null}. */
  public SecureServerSession session() {
    return session;
  }

  @Override
  public String toString() {
    return kind == Kind.DROPPED ? "DROPPED(" + drop + ")" : kind.toString();
  }
}
