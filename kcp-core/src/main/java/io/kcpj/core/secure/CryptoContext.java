package io.kcpj.core.secure;

import io.kcpj.core.secure.noise.Aead;
import io.kcpj.core.secure.noise.DhFunction;
import io.kcpj.core.secure.noise.NoiseCipher;
import io.kcpj.core.secure.noise.Sha256;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * The per-thread crypto machinery every secure session on one thread shares: one JDK cipher per
 * AEAD for handshakes, SHA-256/HMAC, the random source, and two scratch arrays (one for opening
 * records, one for sealing them) so that the hot paths allocate no buffers. Record protection does
 * not share a cipher: each direction of each session gets its own ({@link #recordAead}).
 *
 * <p><b>Ownership and threading:</b> owned by the transport, confined to one thread (a Netty event
 * loop): every session, {@link HandshakeResponder} and {@link AddressTokens} given a context must
 * be driven from that thread only. One context per thread, not per session: a session costs a few
 * hundred bytes of keys and replay window, not 128 KB of scratch.
 *
 * <p>The scratch arrays are lent during one call: a PAYLOAD handed to a listener is a view of the
 * open scratch and is valid only during that callback; a datagram handed to a {@link
 * SecureDatagramSink} is a view of the seal scratch and is valid only during that call.
 */
public final class CryptoContext {
  private final SecureRandom random;
  private final DhFunction dh;
  private final Aead chachaPoly;
  private final Aead aesGcm;
  private final Sha256 sha = new Sha256();

  final byte[] openScratch = new byte[SecureWire.MAX_DATAGRAM_SIZE];
  final ByteBuffer openView = ByteBuffer.wrap(openScratch);
  final byte[] sealScratch = new byte[SecureWire.MAX_DATAGRAM_SIZE];
  final ByteBuffer sealView = ByteBuffer.wrap(sealScratch);

  /**
   * A context drawing keys, ids and challenges from {@code random}, with the JDK's X25519 ({@link
   * DhFunction#JDK_X25519}) for handshakes.
   */
  public CryptoContext(SecureRandom random) {
    this(random, DhFunction.JDK_X25519);
  }

  /**
   * A context drawing keys, ids and challenges from {@code random} whose handshakes generate
   * ephemeral keys and compute DH with {@code dh}. Production passes {@link DhFunction#JDK_X25519}
   * (what the other constructors use); tests may pass a function that remembers the real results.
   */
  public CryptoContext(SecureRandom random, DhFunction dh) {
    this.random = Objects.requireNonNull(random, "random");
    this.dh = Objects.requireNonNull(dh, "dh");
    this.chachaPoly = new Aead(NoiseCipher.CHACHA_POLY);
    this.aesGcm = new Aead(NoiseCipher.AES_GCM);
  }

  /** A context with a new {@link SecureRandom}. */
  public CryptoContext() {
    this(new SecureRandom());
  }

  /** The random source for keys, ids and challenges. */
  public SecureRandom random() {
    return random;
  }

  /** The key generation and DH of this thread's handshakes. */
  public DhFunction dh() {
    return dh;
  }

  /** The AEAD for {@code cipher}, shared by this thread's sessions. */
  public Aead aead(NoiseCipher cipher) {
    return cipher == NoiseCipher.AES_GCM ? aesGcm : chachaPoly;
  }

  /**
   * A new AEAD for one direction of one session's records (its {@code RecordSealer} or {@code
   * RecordOpener}). Not shared, because the JDK's AES cipher keeps the expanded key schedule of the
   * last key it was initialised with: a cipher shared by several keys (both directions, every
   * session) expands its key again on every record, which cost more CPU and allocation than the
   * encryption itself (docs/secure-sessions.md, section 14).
   */
  public Aead recordAead(NoiseCipher cipher) {
    return new Aead(cipher);
  }

  public Sha256 sha() {
    return sha;
  }

  /** A random int that is not 0 (session ids never are). */
  int nonZeroRandomInt() {
    int v;
    do {
      v = random.nextInt();
    } while (v == 0);
    return v;
  }
}
