package io.kcpj.core.secure;

import io.kcpj.core.secure.noise.Sha256;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Mints and verifies address validation tokens (QUIC's Retry tokens; docs/secure-sessions.md,
 * section 7): 26 bytes that prove, statelessly, that a client received a datagram at its source
 * address.
 *
 * <pre>
 *  0  1  format 0x01
 *  1  1  secret generation (low 8 bits)
 *  2  8  issue time, ms (LE)
 * 10 16  first 16 bytes of HMAC-SHA256(secret, "kcpj-token/1" ‖ token[0,10) ‖ client id (LE) ‖ address)
 *        address = IP length (1) ‖ IP ‖ port (2, LE)
 * </pre>
 *
 * <p>Two secrets are kept, the current and the previous; they rotate every rotation period (driven
 * by the {@code now} of each call). Verification needs no per-client state and compares MACs in
 * constant time. Not thread-safe; owned by one {@link HandshakeResponder}.
 */
public final class AddressTokens {
  /** Token size on the wire. */
  public static final int TOKEN_SIZE = 26;

  /** The only token format. */
  public static final int FORMAT = 0x01;

  private static final byte[] LABEL = "kcpj-token/1".getBytes(StandardCharsets.US_ASCII);
  private static final int MAC_OFFSET = 10;
  private static final int MAC_SIZE = 16;

  /** Why a token was rejected, or {@link #VALID}. */
  public enum Verdict {
    VALID,
    MALFORMED,
    UNKNOWN_GENERATION,
    EXPIRED,
    FROM_THE_FUTURE,
    FORGED
  }

  private final Sha256 sha;
  private final SecureRandom random;
  private final long lifetime;
  private final long rotation;
  private byte[] current;
  private byte[] previous;
  private int generation;
  private long nextRotationAt;

  /**
   * @param lifetime how long a token stays valid (ms)
   * @param rotation how often the secret rotates (ms), at least {@code lifetime}
   * @param now the caller's clock now
   */
  public AddressTokens(CryptoContext ctx, long lifetime, long rotation, long now) {
    this(ctx.sha(), ctx.random(), lifetime, rotation, now, null, 0);
  }

  /** With a fixed first secret and generation (test vectors). */
  AddressTokens(
      Sha256 sha,
      SecureRandom random,
      long lifetime,
      long rotation,
      long now,
      byte[] secret,
      int generation) {
    if (lifetime <= 0 || rotation < lifetime) {
      throw new IllegalArgumentException("need 0 < lifetime <= rotation");
    }
    this.sha = sha;
    this.random = random;
    this.lifetime = lifetime;
    this.rotation = rotation;
    this.current = secret != null ? secret.clone() : newSecret();
    this.generation = generation;
    this.nextRotationAt = now + rotation;
  }

  /**
   * Writes a token for a client (its session id and source address) at {@code dst[off]}. Returns
   * {@link #TOKEN_SIZE}.
   */
  public int mint(InetSocketAddress from, int clientId, long now, byte[] dst, int off) {
    rotateIfDue(now);
    dst[off] = (byte) FORMAT;
    dst[off + 1] = (byte) generation;
    SecureWire.putLongLe(dst, off + 2, now);
    byte[] mac = mac(current, dst, off, clientId, from);
    System.arraycopy(mac, 0, dst, off + MAC_OFFSET, MAC_SIZE);
    return TOKEN_SIZE;
  }

  /** Checks the token {@code b[off, off + len)} for this client and source address. */
  public Verdict verify(
      byte[] b, int off, int len, InetSocketAddress from, int clientId, long now) {
    rotateIfDue(now);
    if (len != TOKEN_SIZE || (b[off] & 0xff) != FORMAT || from.getAddress() == null) {
      return Verdict.MALFORMED;
    }
    int gen = b[off + 1] & 0xff;
    byte[] secret;
    if (gen == (generation & 0xff)) {
      secret = current;
    } else if (previous != null && gen == ((generation - 1) & 0xff)) {
      secret = previous;
    } else {
      return Verdict.UNKNOWN_GENERATION;
    }
    long issued = SecureWire.getLongLe(b, off + 2);
    if (issued > now) {
      return Verdict.FROM_THE_FUTURE;
    }
    if (now - issued > lifetime) {
      return Verdict.EXPIRED;
    }
    byte[] expected = mac(secret, b, off, clientId, from);
    byte[] given = Arrays.copyOfRange(b, off + MAC_OFFSET, off + MAC_OFFSET + MAC_SIZE);
    return MessageDigest.isEqual(Arrays.copyOf(expected, MAC_SIZE), given)
        ? Verdict.VALID
        : Verdict.FORGED;
  }

  /** The current secret generation (low 8 bits go on the wire). */
  public int generation() {
    return generation;
  }

  private void rotateIfDue(long now) {
    if (now < nextRotationAt) {
      return;
    }
    long periods = (now - nextRotationAt) / rotation + 1;
    if (periods >= 2) {
      previous = null;
      current = newSecret();
      generation += (int) Math.min(periods, 256);
    } else {
      previous = current;
      current = newSecret();
      generation++;
    }
    nextRotationAt += periods * rotation;
  }

  private byte[] newSecret() {
    byte[] s = new byte[32];
    random.nextBytes(s);
    return s;
  }

  private byte[] mac(byte[] secret, byte[] token, int off, int clientId, InetSocketAddress from) {
    byte[] ip = from.getAddress().getAddress();
    byte[] input = new byte[LABEL.length + MAC_OFFSET + 4 + 1 + ip.length + 2];
    int p = 0;
    System.arraycopy(LABEL, 0, input, p, LABEL.length);
    p += LABEL.length;
    System.arraycopy(token, off, input, p, MAC_OFFSET);
    p += MAC_OFFSET;
    SecureWire.putIntLe(input, p, clientId);
    p += 4;
    input[p++] = (byte) ip.length;
    System.arraycopy(ip, 0, input, p, ip.length);
    p += ip.length;
    SecureWire.putShortLe(input, p, from.getPort());
    return sha.hmac(secret, input, 0, input.length);
  }
}
