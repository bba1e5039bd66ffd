package io.kcpj.core.secure;

import io.kcpj.core.secure.noise.Sha256;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Stateless reset (QUIC's; docs/secure-sessions.md, section 8): the 16-byte token of a server
 * session id, the reset datagram a server sends for an unknown id, and the check a client makes on
 * a datagram it cannot open.
 *
 * <pre>
 * token = first 16 bytes of HMAC-SHA256(reset key, "kcpj-reset/1" ‖ server session id (4, LE))
 * reset = 0x04 ‖ random (L - 17) ‖ token (16),  L = min(received - 1, 64), none if L &lt; 26
 * </pre>
 *
 * Not thread-safe (holds a hash object); one per {@link HandshakeResponder}. The static {@link
 * #matches} is stateless.
 */
public final class StatelessReset {
  /** Token bytes. */
  public static final int TOKEN_SIZE = 16;

  /** Largest reset datagram sent. */
  public static final int MAX_RESET_SIZE = 64;

  private static final byte[] LABEL = "kcpj-reset/1".getBytes(StandardCharsets.US_ASCII);

  private final byte[] resetKey;
  private final Sha256 sha;

  /**
   * @param resetKey the server's 32-byte reset key (copied)
   */
  public StatelessReset(byte[] resetKey, Sha256 sha) {
    if (resetKey.length != 32) {
      throw new IllegalArgumentException("the reset key has 32 bytes");
    }
    this.resetKey = resetKey.clone();
    this.sha = sha;
  }

  /** The reset token of server session id {@code serverId}. */
  public byte[] token(int serverId) {
    byte[] input = Arrays.copyOf(LABEL, LABEL.length + 4);
    SecureWire.putIntLe(input, LABEL.length, serverId);
    return Arrays.copyOf(sha.hmac(resetKey, input, 0, input.length), TOKEN_SIZE);
  }

  /**
   * Writes the reset answering {@code received} (a TRANSPORT datagram whose receiver id names no
   * session this server holds) at {@code dst}'s position. Returns its length, or 0 when none is due
   * ({@code received} not a TRANSPORT datagram, or too short for a reset shorter than it) or {@code
   * dst} lacks room. Positions of {@code received} unchanged; {@code dst}'s advanced.
   */
  public int write(ByteBuffer received, ByteBuffer dst, SecureRandom random) {
    long id = SecureWire.transportReceiverId(received);
    if (id < 0) {
      return 0;
    }
    int len = Math.min(received.remaining() - 1, MAX_RESET_SIZE);
    if (len < SecureWire.MIN_TRANSPORT_SIZE || dst.remaining() < len) {
      return 0;
    }
    byte[] out = new byte[len];
    random.nextBytes(out);
    out[0] = (byte) SecureWire.TYPE_TRANSPORT;
    System.arraycopy(token((int) id), 0, out, len - TOKEN_SIZE, TOKEN_SIZE);
    dst.put(out);
    return len;
  }

  /**
   * Whether {@code datagram} (position to limit) ends with {@code token}: a TRANSPORT datagram of
   * at least {@link SecureWire#MIN_TRANSPORT_SIZE} bytes whose last 16 bytes equal it, compared in
   * constant time. Position unchanged.
   */
  public static boolean matches(ByteBuffer datagram, byte[] token) {
    if (token == null
        || datagram.remaining() < SecureWire.MIN_TRANSPORT_SIZE
        || SecureWire.type(datagram) != SecureWire.TYPE_TRANSPORT) {
      return false;
    }
    byte[] tail = new byte[TOKEN_SIZE];
    datagram.get(datagram.limit() - TOKEN_SIZE, tail, 0, TOKEN_SIZE);
    return MessageDigest.isEqual(tail, token);
  }
}
