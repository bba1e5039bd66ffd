package io.kcpj.core.crypt;

import io.kcpj.core.stack.PacketProtection;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.zip.CRC32;

/**
 * kcp-go's packet encryption (its BlockCrypt with the session's framing): the outermost layer of a
 * datagram, around FEC shards or plain KCP datagrams.
 *
 * <pre>
 *  off size   before encryption
 *   0   16    nonce   fresh per datagram ({@link NonceSource})
 *  16    4    crc     CRC-32 (IEEE) of the payload, little-endian
 *  20    …    payload the FEC shard or KCP datagram
 * </pre>
 *
 * <p>All of it, nonce included, is then covered by the {@link CryptMethod}: a block cipher in CFB
 * mode with kcp-go's fixed IV (the random nonce as the first block makes each datagram's keystream
 * different), kcp-go's XOR pad, or nothing. {@link #open} undoes this and drops (and counts) a
 * datagram shorter than 20 bytes or whose CRC does not match.
 *
 * <p><b>Not authenticated.</b> The CRC only catches accidents. Anyone can flip ciphertext bits and
 * predictably flip the plaintext (CFB is malleable; XOR and "none" hide nothing), replay old
 * datagrams, or, with {@code none}/{@code xor}, forge new ones; the CRC is no defence because it
 * can be recomputed or, under CFB, adjusted along with the change. Use it for compatibility with
 * kcp-go peers. kcpj's secure sessions are the authenticated alternative.
 *
 * <p><b>Buffers and threads.</b> {@link #seal} and {@link #open} read one range and write another;
 * the two may be the same bytes (the work goes through an internal buffer, which grows once to the
 * largest datagram seen). Steady state allocates nothing. An instance holds cipher state and
 * scratch: confine it to one thread (for example one per datagram channel, as kcp-go uses one per
 * listener).
 *
 * <p>Worked example (a kcptun-compatible AES-256 session):
 *
 * <pre>{@code
 * BlockCrypt crypt = BlockCrypt.fromPassphrase(CryptMethod.parse("aes"), "it's a secrect");
 * byte[] wire = new byte[kcpLength + crypt.overhead()];
 * int n = crypt.seal(kcp, 0, kcpLength, wire, 0);          // n = kcpLength + 20
 * int m = crypt.open(wire, 0, n, plain, 0);                // m = kcpLength, or -1 if dropped
 * }</pre>
 */
public final class BlockCrypt implements PacketProtection {
  public static final int NONCE_OFFSET = 0;
  public static final int CRC_OFFSET = 16;

  /** Bytes the framing adds in front of the payload (nonce 16 + CRC 4). */
  public static final int HEADER_SIZE = 20;

  /** Counters of one instance; plain fields read on its thread. */
  public static final class Counters {
    /** Datagrams sealed. */
    public long sealed;

    /** Datagrams opened with a good CRC. */
    public long opened;

    /** Datagrams shorter than the header, dropped. */
    public long tooShort;

    /** Datagrams whose CRC did not match after decryption, dropped (kcp-go: InCsumErrors). */
    public long badChecksum;

    @Override
    public String toString() {
      return "BlockCrypt.Counters{sealed="
          + sealed
          + ", opened="
          + opened
          + ", tooShort="
          + tooShort
          + ", badChecksum="
          + badChecksum
          + '}';
    }
  }

  private static final VarHandle INT_LE =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

  private final CryptMethod method;
  private final FrameCipher cipher;
  private final NonceSource nonces;
  private final CRC32 crc = new CRC32();
  private final Counters counters = new Counters();
  private byte[] scratch = new byte[1500 + HEADER_SIZE];

  private BlockCrypt(CryptMethod method, FrameCipher cipher, NonceSource nonces) {
    this.method = method;
    this.cipher = cipher;
    this.nonces = nonces;
  }

  /**
   * A BlockCrypt for {@code method} with kcptun's 32-byte {@code key} (see {@link
   * CryptKeys#fromPassphrase}) and {@link NonceSource#secure()} nonces.
   */
  public static BlockCrypt create(CryptMethod method, byte[] key) {
    return create(method, key, NonceSource.secure());
  }

  /**
   * A BlockCrypt for {@code method} with kcptun's 32-byte {@code key} and the given nonces.
   *
   * @throws IllegalArgumentException if {@code key} is not 32 bytes
   */
  public static BlockCrypt create(CryptMethod method, byte[] key, NonceSource nonces) {
    if (key.length != CryptKeys.KEY_BYTES) {
      throw new IllegalArgumentException(
          "a kcp-go key is " + CryptKeys.KEY_BYTES + " bytes, got " + key.length);
    }
    return new BlockCrypt(method, FrameCipher.of(method, key.clone()), nonces);
  }

  /**
   * As kcptun does: {@link CryptKeys#fromPassphrase}, then {@link #create(CryptMethod, byte[])}.
   */
  public static BlockCrypt fromPassphrase(CryptMethod method, String passphrase) {
    return create(method, CryptKeys.fromPassphrase(passphrase));
  }

  public CryptMethod method() {
    return method;
  }

  /** Bytes added to each datagram: {@value #HEADER_SIZE}. */
  @Override
  public int overhead() {
    return HEADER_SIZE;
  }

  public Counters counters() {
    return counters;
  }

  /**
   * Frames and encrypts {@code src[off .. off + len)} into {@code dst[dstOff .. dstOff + len +
   * 20)}.
   *
   * @return the datagram's length, {@code len + 20}
   */
  @Override
  public int seal(byte[] src, int off, int len, byte[] dst, int dstOff) {
    int total = len + HEADER_SIZE;
    byte[] frame = scratch(total);
    System.arraycopy(src, off, frame, HEADER_SIZE, len);
    nonces.next(frame, NONCE_OFFSET);
    crc.reset();
    crc.update(frame, HEADER_SIZE, len);
    INT_LE.set(frame, CRC_OFFSET, (int) crc.getValue());
    cipher.encrypt(frame, 0, total, dst, dstOff);
    counters.sealed++;
    return total;
  }

  /**
   * Decrypts the datagram {@code src[off .. off + len)} and checks its CRC; on success writes the
   * payload to {@code dst[dstOff ..]}. Never throws on any content.
   *
   * @return the payload's length ({@code len − 20}), or −1 when the datagram is dropped (too short
   *     or bad CRC; counted)
   */
  @Override
  public int open(byte[] src, int off, int len, byte[] dst, int dstOff) {
    if (len < HEADER_SIZE) {
      counters.tooShort++;
      return -1;
    }
    byte[] frame = scratch(len);
    cipher.decrypt(src, off, len, frame, 0);
    int payload = len - HEADER_SIZE;
    crc.reset();
    crc.update(frame, HEADER_SIZE, payload);
    if ((int) crc.getValue() != (int) INT_LE.get(frame, CRC_OFFSET)) {
      counters.badChecksum++;
      return -1;
    }
    System.arraycopy(frame, HEADER_SIZE, dst, dstOff, payload);
    counters.opened++;
    return payload;
  }

  private byte[] scratch(int length) {
    if (scratch.length < length) {
      scratch = new byte[length];
    }
    return scratch;
  }
}
