package io.kcpj.core.secure.noise;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * Noise's {@code HandshakeState} (specification section 5.3) for X25519 and SHA-256 with one of the
 * {@link HandshakePattern}s: {@code WriteMessage}, {@code ReadMessage}, and {@code Split()} once
 * the last message has passed.
 *
 * <p>Built with {@link Builder}. The local ephemeral key is drawn from the given {@link
 * SecureRandom} when the pattern needs it, unless one is given (test vectors fix it). Key
 * generation and DH go through a {@link DhFunction}, {@link DhFunction#JDK_X25519} by default.
 *
 * <p>Failure: {@link #readMessage} returns {@code null} on any malformed or unauthenticated message
 * and never throws on input bytes; the state is then unusable, as the specification requires. A
 * caller that must survive a forged message (a client waiting for message 2 while an attacker
 * injects datagrams) reads on a {@link #copy()}.
 *
 * <p><b>Threading:</b> not thread-safe; owned by one handshake.
 */
public final class HandshakeState {
  private final HandshakePattern pattern;
  private final boolean initiator;
  private final SymmetricState symmetric;
  private final SecureRandom random;
  private final DhFunction dh;
  private final X25519KeyPair localStatic;
  private X25519KeyPair localEphemeral;
  private byte[] remoteStatic;
  private byte[] remoteEphemeral;
  private final byte[][] psks;
  private int pskIndex;
  private int messageIndex;
  private boolean failed;
  private CipherState[] split;

  private HandshakeState(Builder b) {
    this.pattern = b.pattern;
    this.initiator = b.initiator;
    this.random = b.random;
    this.dh = b.dh;
    this.localStatic = b.localStatic;
    this.localEphemeral = b.localEphemeral;
    this.remoteStatic = b.remoteStatic == null ? null : b.remoteStatic.clone();
    this.psks = b.psks;
    this.symmetric = new SymmetricState(b.pattern.protocolName(b.cipher), b.aead, b.sha);
    symmetric.mixHash(b.prologue);
    // Pre-messages: the initiator's keys first, then the responder's (section 7.1).
    if (pattern.initiatorStaticPreMessage()) {
      symmetric.mixHash(initiator ? localStatic.publicKey() : remoteStatic);
    }
    if (pattern.responderStaticPreMessage()) {
      symmetric.mixHash(initiator ? remoteStatic : localStatic.publicKey());
    }
  }

  private HandshakeState(HandshakeState o) {
    this.pattern = o.pattern;
    this.initiator = o.initiator;
    this.symmetric = o.symmetric.copy();
    this.random = o.random;
    this.dh = o.dh;
    this.localStatic = o.localStatic;
    this.localEphemeral = o.localEphemeral;
    this.remoteStatic = o.remoteStatic == null ? null : o.remoteStatic.clone();
    this.remoteEphemeral = o.remoteEphemeral == null ? null : o.remoteEphemeral.clone();
    this.psks = o.psks;
    this.pskIndex = o.pskIndex;
    this.messageIndex = o.messageIndex;
    this.failed = o.failed;
    this.split = o.split;
  }

  /** A builder for one side of a handshake. */
  public static Builder builder(HandshakePattern pattern, NoiseCipher cipher, boolean initiator) {
    return new Builder(pattern, cipher, initiator);
  }

  /** An independent copy of this state (same keys and transcript). */
  public HandshakeState copy() {
    return new HandshakeState(this);
  }

  /** Whether it is this side's turn to write. */
  public boolean isMyTurn() {
    return !isFinished() && ((messageIndex % 2 == 0) == initiator);
  }

  /** Whether every message of the pattern has been written or read. */
  public boolean isFinished() {
    return messageIndex >= pattern.messageCount();
  }

  public boolean hasFailed() {
    return failed;
  }

  /** The handshake hash {@code h}. */
  public byte[] handshakeHash() {
    return symmetric.handshakeHash();
  }

  /** The peer's static public key once known (pre-message or received), else {@code null}. */
  public byte[] remoteStaticKey() {
    return remoteStatic == null ? null : remoteStatic.clone();
  }

  /** The peer's ephemeral public key once received, else {@code null}. */
  public byte[] remoteEphemeralKey() {
    return remoteEphemeral == null ? null : remoteEphemeral.clone();
  }

  /**
   * {@code WriteMessage(payload)}: the handshake message to send, or {@code null} when a DH with a
   * key the peer sent has no valid result (a low-order point: the JDK refuses the all-zero secret).
   * That can happen even after the peer's message authenticated: in {@code NNpsk0} message 1 holds
   * no DH, so anyone with the PSK can send such a key. After {@code null} the state has failed.
   *
   * @throws IllegalStateException if it is not this side's turn or the state already failed
   */
  public byte[] writeMessage(byte[] payload) {
    if (failed || !isMyTurn()) {
      throw new IllegalStateException("not this side's turn to write a handshake message");
    }
    byte[] out = new byte[0];
    for (int i = 0; i < pattern.tokenCount(messageIndex); i++) {
      HandshakePattern.Token token = pattern.token(messageIndex, i);
      switch (token) {
        case E:
          if (localEphemeral == null) {
            localEphemeral = dh.generateKeyPair(random);
          }
          byte[] e = localEphemeral.publicKey();
          out = concat(out, e);
          symmetric.mixHash(e);
          if (pattern.isPsk()) {
            symmetric.mixKey(e);
          }
          break;
        case S:
          out = concat(out, symmetric.encryptAndHash(localStatic.publicKey()));
          break;
        case PSK:
          symmetric.mixKeyAndHash(psks[pskIndex++]);
          break;
        default:
          if (!mixDh(token)) {
            return fail();
          }
      }
    }
    out = concat(out, symmetric.encryptAndHash(payload));
    messageIndex++;
    finishIfLast();
    return out;
  }

  /**
   * {@code ReadMessage(message[off, off + len))}: the payload, or {@code null} if the message is
   * too short, a key is rejected or authentication fails. Never throws on any input bytes; after
   * {@code null} the state has failed.
   */
  public byte[] readMessage(byte[] message, int off, int len) {
    if (failed || isFinished() || isMyTurn() || off < 0 || len < 0 || off + len > message.length) {
      failed = true;
      return null;
    }
    int pos = off;
    int end = off + len;
    for (int i = 0; i < pattern.tokenCount(messageIndex); i++) {
      HandshakePattern.Token token = pattern.token(messageIndex, i);
      switch (token) {
        case E:
          if (end - pos < X25519.KEY_SIZE) {
            return fail();
          }
          remoteEphemeral = Arrays.copyOfRange(message, pos, pos + X25519.KEY_SIZE);
          pos += X25519.KEY_SIZE;
          symmetric.mixHash(remoteEphemeral);
          if (pattern.isPsk()) {
            symmetric.mixKey(remoteEphemeral);
          }
          break;
        case S:
          int sLen = X25519.KEY_SIZE + (symmetric.hasKey() ? NoiseCipher.TAG_SIZE : 0);
          if (end - pos < sLen) {
            return fail();
          }
          byte[] rs = symmetric.decryptAndHash(message, pos, sLen);
          if (rs == null) {
            return fail();
          }
          remoteStatic = rs;
          pos += sLen;
          break;
        case PSK:
          symmetric.mixKeyAndHash(psks[pskIndex++]);
          break;
        default:
          if (!mixDh(token)) {
            return fail();
          }
      }
    }
    byte[] payload = symmetric.decryptAndHash(message, pos, end - pos);
    if (payload == null) {
      return fail();
    }
    messageIndex++;
    finishIfLast();
    return payload;
  }

  /**
   * The two transport cipher states after the last message: {@code [0]} protects initiator →
   * responder, {@code [1]} responder → initiator.
   *
   * @throws IllegalStateException before the handshake is finished
   */
  public CipherState[] split() {
    if (split == null) {
      throw new IllegalStateException("handshake not finished");
    }
    return split;
  }

  /** Zeroes what this state holds of secrets (ephemeral private key, chaining key). */
  public void wipe() {
    symmetric.wipe();
    if (localEphemeral != null) {
      localEphemeral.wipe();
    }
  }

  private void finishIfLast() {
    if (isFinished()) {
      split = symmetric.split();
    }
  }

  private byte[] fail() {
    failed = true;
    return null;
  }

  private boolean mixDh(HandshakePattern.Token token) {
    X25519KeyPair local;
    byte[] remote;
    switch (token) {
      case EE:
        local = localEphemeral;
        remote = remoteEphemeral;
        break;
      case SS:
        local = localStatic;
        remote = remoteStatic;
        break;
      case ES:
        local = initiator ? localEphemeral : localStatic;
        remote = initiator ? remoteStatic : remoteEphemeral;
        break;
      case SE:
        local = initiator ? localStatic : localEphemeral;
        remote = initiator ? remoteEphemeral : remoteStatic;
        break;
      default:
        throw new IllegalArgumentException(token.toString());
    }
    if (local == null || remote == null) {
      return false;
    }
    byte[] shared = local.dh(dh, remote);
    if (shared == null) {
      return false;
    }
    symmetric.mixKey(shared);
    Arrays.fill(shared, (byte) 0);
    return true;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] r = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }

  /**
   * Collects {@code Initialize()}'s arguments: prologue, keys, PSKs. The cipher objects ({@link
   * Aead}, {@link Sha256}) default to new ones; a thread that runs many handshakes may pass its
   * own.
   */
  public static final class Builder {
    private final HandshakePattern pattern;
    private final NoiseCipher cipher;
    private final boolean initiator;
    private byte[] prologue = new byte[0];
    private X25519KeyPair localStatic;
    private X25519KeyPair localEphemeral;
    private byte[] remoteStatic;
    private byte[][] psks = new byte[0][];
    private SecureRandom random;
    private DhFunction dh = DhFunction.JDK_X25519;
    private Aead aead;
    private Sha256 sha;

    private Builder(HandshakePattern pattern, NoiseCipher cipher, boolean initiator) {
      this.pattern = pattern;
      this.cipher = cipher;
      this.initiator = initiator;
    }

    public Builder prologue(byte[] prologue) {
      this.prologue = prologue.clone();
      return this;
    }

    public Builder localStatic(X25519KeyPair keyPair) {
      this.localStatic = keyPair;
      return this;
    }

    /** Fixes the ephemeral key (test vectors); otherwise it is drawn from the random source. */
    public Builder localEphemeral(X25519KeyPair keyPair) {
      this.localEphemeral = keyPair;
      return this;
    }

    public Builder remoteStatic(byte[] publicKey) {
      this.remoteStatic = publicKey.clone();
      return this;
    }

    /** The PSKs in the order the pattern consumes them; each exactly 32 bytes. */
    public Builder psks(byte[]... psks) {
      this.psks = new byte[psks.length][];
      for (int i = 0; i < psks.length; i++) {
        if (psks[i].length != 32) {
          throw new IllegalArgumentException("a Noise PSK has 32 bytes, not " + psks[i].length);
        }
        this.psks[i] = psks[i].clone();
      }
      return this;
    }

    public Builder random(SecureRandom random) {
      this.random = random;
      return this;
    }

    /**
     * The key generation and DH to use; {@link DhFunction#JDK_X25519} unless set (tests substitute
     * one that remembers results).
     */
    public Builder dh(DhFunction dh) {
      this.dh = Objects.requireNonNull(dh, "dh");
      return this;
    }

    /** The AEAD to use (must be for the same cipher and confined to the caller's thread). */
    public Builder aead(Aead aead) {
      this.aead = aead;
      return this;
    }

    public Builder sha(Sha256 sha) {
      this.sha = sha;
      return this;
    }

    /**
     * @throws IllegalArgumentException when a key the pattern needs is missing or a PSK count
     *     differs from the pattern's
     */
    public HandshakeState build() {
      boolean needLocalStatic =
          initiator ? pattern.initiatorHasStatic() : pattern.responderHasStatic();
      boolean needRemoteStatic =
          initiator ? pattern.responderStaticPreMessage() : pattern.initiatorStaticPreMessage();
      if (needLocalStatic && localStatic == null) {
        throw new IllegalArgumentException(pattern.noiseName() + " needs a local static key");
      }
      if (needRemoteStatic && remoteStatic == null) {
        throw new IllegalArgumentException(
            pattern.noiseName() + " needs the peer's static public key");
      }
      if (remoteStatic != null && remoteStatic.length != X25519.KEY_SIZE) {
        throw new IllegalArgumentException("a static public key has 32 bytes");
      }
      if (psks.length != pattern.pskCount()) {
        throw new IllegalArgumentException(
            pattern.noiseName() + " needs " + pattern.pskCount() + " PSK(s), got " + psks.length);
      }
      if (localEphemeral == null && random == null) {
        throw new IllegalArgumentException("a random source is needed to draw ephemeral keys");
      }
      if (aead == null) {
        aead = new Aead(cipher);
      } else if (aead.kind() != cipher) {
        throw new IllegalArgumentException("AEAD is " + aead.kind() + ", protocol uses " + cipher);
      }
      if (sha == null) {
        sha = new Sha256();
      }
      return new HandshakeState(this);
    }
  }
}
