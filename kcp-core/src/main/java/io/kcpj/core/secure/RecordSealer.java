package io.kcpj.core.secure;

import io.kcpj.core.secure.noise.Aead;

/**
 * The sending half of a session's record protection: numbers records, writes the TRANSPORT header,
 * and encrypts the frames with the header as associated data (docs/secure-sessions.md, section 5).
 *
 * <p>Not thread-safe; owned by one session and used on its {@link CryptoContext}'s thread.
 * Allocation: none of its own per record (the JDK cipher's initialisation may allocate; see {@link
 * Aead}).
 */
public final class RecordSealer {
  private final Aead aead;
  private final RecordKeys keys;
  private final int receiverId;
  private long nextPacketNumber;
  private boolean lastSealRotatedKey;

  /**
   * @param epochZeroKey 32 key bytes from {@code Split()} (copied into a JDK key object)
   * @param receiverId the id the peer chose, written into every header
   */
  public RecordSealer(Aead aead, byte[] epochZeroKey, int receiverId) {
    this.aead = aead;
    this.keys = new RecordKeys(aead, epochZeroKey);
    this.receiverId = receiverId;
  }

  /** The packet number the next record will carry. */
  public long nextPacketNumber() {
    return nextPacketNumber;
  }

  /** Whether packet numbers are exhausted (the session must close). */
  public boolean isExhausted() {
    return nextPacketNumber > PacketNumber.MAX;
  }

  /**
   * Seals a record in place in {@code buf}: the caller has written the frames at {@code buf[off +
   * 9, off + 9 + framesLength)}; this writes the header at {@code off} and encrypts the frames in
   * place, appending the tag. Returns the record length ({@code 9 + framesLength + 16}), or -1 when
   * packet numbers are exhausted. {@code buf} must have room for the tag.
   */
  public int seal(byte[] buf, int off, int framesLength) {
    if (isExhausted()) {
      return -1;
    }
    long pn = nextPacketNumber++;
    long epoch = RecordKeys.epochOf(pn);
    boolean rotated = false;
    while (keys.epoch() < epoch) {
      keys.advance();
      keys.forgetPrevious();
      rotated = true;
    }
    buf[off] = (byte) SecureWire.TYPE_TRANSPORT;
    SecureWire.putIntLe(buf, off + SecureWire.TRANSPORT_RECEIVER_OFFSET, receiverId);
    SecureWire.putIntLe(buf, off + SecureWire.TRANSPORT_PACKET_NUMBER_OFFSET, (int) pn);
    int body = off + SecureWire.TRANSPORT_HEADER_SIZE;
    int n =
        aead.encrypt(
            keys.keyFor(epoch),
            pn,
            buf,
            off,
            SecureWire.TRANSPORT_HEADER_SIZE,
            buf,
            body,
            framesLength,
            buf,
            body);
    lastSealRotatedKey = rotated;
    return SecureWire.TRANSPORT_HEADER_SIZE + n;
  }

  /** Whether the last {@link #seal} moved to a new key epoch (for counters). */
  boolean lastSealRotatedKey() {
    return lastSealRotatedKey;
  }

  /** Test hook: continues numbering at {@code pn} (the keys follow on the next seal). */
  void skipTo(long pn) {
    nextPacketNumber = pn;
  }

  /** Forgets the keys. */
  public void clear() {
    keys.clear();
  }
}
