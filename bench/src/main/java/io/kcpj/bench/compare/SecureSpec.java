package io.kcpj.bench.compare;

import io.kcpj.core.secure.Suite;
import io.kcpj.core.secure.noise.NoiseCipher;
import java.util.Locale;
import java.util.Objects;

/**
 * A compare transport's {@code secure=} entry: run kcpj's secure sessions (docs/secure-sessions.md)
 * under the KCP engines, with a Noise pattern and an AEAD. Text form {@code PATTERN[-CIPHER]}:
 * pattern {@code psk} ({@code NNpsk0}), {@code nk} (pinned server key) or {@code nkpsk0} (both);
 * cipher {@code aes} (AES-256-GCM, the default) or {@code chacha} (ChaCha20-Poly1305). E.g. {@code
 * secure=psk}, {@code secure=nk-chacha}. Immutable.
 *
 * @param psk whether the handshake mixes in a pre-shared key
 * @param serverKey whether the client pins the server's static key
 * @param cipher the records' AEAD
 */
public record SecureSpec(boolean psk, boolean serverKey, NoiseCipher cipher) {
  public SecureSpec {
    Objects.requireNonNull(cipher, "cipher");
    if (!psk && !serverKey) {
      throw new IllegalArgumentException("secure sessions need a PSK, a server key, or both");
    }
  }

  /**
   * Parses {@code psk}, {@code nk}, {@code nkpsk0}, each optionally with {@code -aes}/{@code
   * -chacha}.
   */
  public static SecureSpec parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    NoiseCipher cipher = NoiseCipher.AES_GCM;
    int dash = t.indexOf('-');
    if (dash >= 0) {
      String c = t.substring(dash + 1);
      t = t.substring(0, dash);
      switch (c) {
        case "aes":
          break;
        case "chacha":
          cipher = NoiseCipher.CHACHA_POLY;
          break;
        default:
          throw new IllegalArgumentException(
              "secure=" + text + ": the cipher is aes or chacha, not '" + c + "'");
      }
    }
    switch (t) {
      case "psk":
        return new SecureSpec(true, false, cipher);
      case "nk":
        return new SecureSpec(false, true, cipher);
      case "nkpsk0":
        return new SecureSpec(true, true, cipher);
      default:
        throw new IllegalArgumentException(
            "secure=" + text + ": the pattern is psk (NNpsk0), nk or nkpsk0, not '" + t + "'");
    }
  }

  /** The Noise suite the client offers. */
  public Suite suite() {
    return Suite.of(psk, serverKey, cipher);
  }

  /** The pattern's short name: {@code psk}, {@code nk} or {@code nkpsk0}. */
  public String pattern() {
    return psk && serverKey ? "nkpsk0" : serverKey ? "nk" : "psk";
  }

  /**
   * What a report appends to a transport's name: {@code +secure} for the default ({@code psk},
   * AES-GCM), else e.g. {@code +secure-nk} or {@code +secure-psk-chacha}.
   */
  public String label() {
    if (psk && !serverKey && cipher == NoiseCipher.AES_GCM) {
      return "+secure";
    }
    return "+secure-" + this;
  }

  /** The text {@link #parse} reads back, e.g. {@code psk} or {@code nk-chacha}. */
  @Override
  public String toString() {
    return pattern() + (cipher == NoiseCipher.AES_GCM ? "" : "-chacha");
  }
}
