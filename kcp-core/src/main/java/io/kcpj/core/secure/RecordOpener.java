package io.kcpj.core.secure;

import io.kcpj.core.secure.noise.Aead;
import javax.crypto.SecretKey;

/**
 * The receiving half of a session's record protection: checks the header, reconstructs the packet
 * number, rejects replays and too-old records before decrypting, decrypts and verifies with the
 * header as associated data, and only then moves the replay window and the key epoch
 * (docs/secure-sessions.md, section 5.3).
 *
 * <p>Never throws on any input. Not thread-safe; owned by one session and used on its {@link
 * CryptoContext}'s thread. Allocation: none of its own per record.
 */
public final class RecordOpener {
  private final Aead aead;
  private final RecordKeys keys;
  private final int localId;
  private final ReplayWindow window = new ReplayWindow();
  private long lastPacketNumber = -1;
  private int lastPlaintextLength;
  private boolean lastRotatedKey;

  /**
   * @param epochZeroKey 32 key bytes from {@code Split()}
   * @param localId the id this side chose: records must carry it as receiver id
   */
  public RecordOpener(Aead aead, byte[] epochZeroKey, int localId) {
    this.aead = aead;
    this.keys = new RecordKeys(aead, epochZeroKey);
    this.localId = localId;
  }

  /**
   * Opens the record {@code buf[off, off + len)} in place: on success the plaintext frames are at
   * {@code buf[off + 9, off + 9 + }{@link #lastPlaintextLength()}{@code )}, {@link
   * #lastPacketNumber()} names the record, and the window has moved. Returns {@link
   * SecureDrop#NONE} or why the record was dropped (then nothing moved).
   */
  public SecureDrop open(byte[] buf, int off, int len) {
    if (len < SecureWire.MIN_TRANSPORT_SIZE) {
      return SecureDrop.TOO_SHORT;
    }
    if ((buf[off] & 0xff) != SecureWire.TYPE_TRANSPORT) {
      return SecureDrop.UNKNOWN_TYPE;
    }
    if (SecureWire.getIntLe(buf, off + SecureWire.TRANSPORT_RECEIVER_OFFSET) != localId) {
      return SecureDrop.UNKNOWN_SESSION;
    }
    int truncated = SecureWire.getIntLe(buf, off + SecureWire.TRANSPORT_PACKET_NUMBER_OFFSET);
    long pn = PacketNumber.decode(window.largest(), truncated);
    if (pn < 0 || pn > PacketNumber.MAX) {
      return SecureDrop.PACKET_NUMBER_INVALID;
    }
    if (window.isTooOld(pn)) {
      return SecureDrop.TOO_OLD;
    }
    if (!window.isAcceptable(pn)) {
      return SecureDrop.REPLAYED;
    }
    long epoch = RecordKeys.epochOf(pn);
    SecretKey key = keys.keyFor(epoch);
    if (key == null) {
      return SecureDrop.KEY_UNAVAILABLE;
    }
    int body = off + SecureWire.TRANSPORT_HEADER_SIZE;
    int n =
        aead.decrypt(
            key,
            pn,
            buf,
            off,
            SecureWire.TRANSPORT_HEADER_SIZE,
            buf,
            body,
            len - SecureWire.TRANSPORT_HEADER_SIZE,
            buf,
            body);
    if (n < 0) {
      return SecureDrop.AUTHENTICATION_FAILED;
    }
    window.markAccepted(pn);
    lastRotatedKey = false;
    if (epoch == keys.epoch() + 1) {
      keys.advance();
      lastRotatedKey = true;
    }
    if (RecordKeys.epochOf(Math.max(0, window.largest() - ReplayWindow.WINDOW)) >= keys.epoch()) {
      keys.forgetPrevious();
    }
    lastPacketNumber = pn;
    lastPlaintextLength = n;
    return SecureDrop.NONE;
  }

  /** Packet number of the last record opened. */
  public long lastPacketNumber() {
    return lastPacketNumber;
  }

  /** Plaintext length of the last record opened. */
  public int lastPlaintextLength() {
    return lastPlaintextLength;
  }

  /** Whether the last record opened moved to a new key epoch. */
  boolean lastRotatedKey() {
    return lastRotatedKey;
  }

  /** The largest packet number accepted so far (-1 before any). */
  public long largestAccepted() {
    return window.largest();
  }

  /**
   * Test hook: behaves as if {@code pn} had just been accepted (window and key epoch moved there),
   * so records far into the packet-number space can be opened without sending all before them.
   */
  void skipTo(long pn) {
    while (keys.epoch() < RecordKeys.epochOf(pn)) {
      keys.advance();
    }
    window.markAccepted(pn);
  }

  /** Forgets the keys. */
  public void clear() {
    keys.clear();
  }
}
