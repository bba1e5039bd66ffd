package io.kcpj.core.secure.noise;

/**
 * The Noise handshake patterns this package runs (specification sections 7 and 9), as data: the
 * pre-message keys of each side and the tokens of each message.
 *
 * <p>kcpj's secure sessions use {@link #NN_PSK0}, {@link #NK} and {@link #NK_PSK0}; the others are
 * here because the same {@link HandshakeState} runs them and reproducing their published test
 * vectors exercises every token (static keys sent encrypted, {@code se}, {@code ss}, late PSKs).
 * Immutable.
 */
public enum HandshakePattern {
  NN("NN", false, false, msg(Token.E), msg(Token.E, Token.EE)),
  NK("NK", false, true, msg(Token.E, Token.ES), msg(Token.E, Token.EE)),
  KK("KK", true, true, msg(Token.E, Token.ES, Token.SS), msg(Token.E, Token.EE, Token.SE)),
  IK(
      "IK",
      false,
      true,
      msg(Token.E, Token.ES, Token.S, Token.SS),
      msg(Token.E, Token.EE, Token.SE)),
  XX(
      "XX",
      false,
      false,
      msg(Token.E),
      msg(Token.E, Token.EE, Token.S, Token.ES),
      msg(Token.S, Token.SE)),
  NN_PSK0("NNpsk0", false, false, msg(Token.PSK, Token.E), msg(Token.E, Token.EE)),
  NN_PSK2("NNpsk2", false, false, msg(Token.E), msg(Token.E, Token.EE, Token.PSK)),
  NK_PSK0("NKpsk0", false, true, msg(Token.PSK, Token.E, Token.ES), msg(Token.E, Token.EE)),
  XX_PSK3(
      "XXpsk3",
      false,
      false,
      msg(Token.E),
      msg(Token.E, Token.EE, Token.S, Token.ES),
      msg(Token.S, Token.SE, Token.PSK)),
  IK_PSK2(
      "IKpsk2",
      false,
      true,
      msg(Token.E, Token.ES, Token.S, Token.SS),
      msg(Token.E, Token.EE, Token.SE, Token.PSK));

  /** A token of a message pattern. */
  public enum Token {
    E,
    S,
    EE,
    ES,
    SE,
    SS,
    PSK
  }

  private final String noiseName;
  private final boolean initiatorStaticPreMessage;
  private final boolean responderStaticPreMessage;
  private final Token[][] messages;
  private final boolean psk;

  HandshakePattern(
      String noiseName,
      boolean initiatorStaticPreMessage,
      boolean responderStaticPreMessage,
      Token[]... messages) {
    this.noiseName = noiseName;
    this.initiatorStaticPreMessage = initiatorStaticPreMessage;
    this.responderStaticPreMessage = responderStaticPreMessage;
    this.messages = messages;
    boolean anyPsk = false;
    for (Token[] m : messages) {
      for (Token t : m) {
        anyPsk |= t == Token.PSK;
      }
    }
    this.psk = anyPsk;
  }

  private static Token[] msg(Token... tokens) {
    return tokens;
  }

  /** The pattern's name in a protocol name, e.g. {@code NNpsk0}. */
  public String noiseName() {
    return noiseName;
  }

  /** Whether the responder knows the initiator's static key beforehand ({@code -> s ...}). */
  public boolean initiatorStaticPreMessage() {
    return initiatorStaticPreMessage;
  }

  /** Whether the initiator knows the responder's static key beforehand ({@code <- s ...}). */
  public boolean responderStaticPreMessage() {
    return responderStaticPreMessage;
  }

  public int messageCount() {
    return messages.length;
  }

  /** The tokens of message {@code i} (a copy); even messages are the initiator's. */
  public Token[] message(int i) {
    return messages[i].clone();
  }

  Token token(int message, int index) {
    return messages[message][index];
  }

  int tokenCount(int message) {
    return messages[message].length;
  }

  /** Whether the pattern has a PSK modifier (then {@code e} also mixes the key). */
  public boolean isPsk() {
    return psk;
  }

  /** Number of PSKs the pattern consumes. */
  public int pskCount() {
    int n = 0;
    for (Token[] m : messages) {
      for (Token t : m) {
        n += t == Token.PSK ? 1 : 0;
      }
    }
    return n;
  }

  /** Whether the initiator has a static key pair in this pattern. */
  public boolean initiatorHasStatic() {
    return initiatorStaticPreMessage || sends(0, Token.S);
  }

  /** Whether the responder has a static key pair in this pattern. */
  public boolean responderHasStatic() {
    return responderStaticPreMessage || sends(1, Token.S);
  }

  private boolean sends(int parity, Token token) {
    for (int i = parity; i < messages.length; i += 2) {
      for (Token t : messages[i]) {
        if (t == token) {
          return true;
        }
      }
    }
    return false;
  }

  /** The full protocol name, e.g. {@code Noise_NNpsk0_25519_ChaChaPoly_SHA256}. */
  public String protocolName(NoiseCipher cipher) {
    return "Noise_" + noiseName + "_25519_" + cipher.noiseName() + "_SHA256";
  }

  /** The pattern whose {@link #noiseName()} is {@code name}, or {@code null}. */
  public static HandshakePattern byNoiseName(String name) {
    for (HandshakePattern p : values()) {
      if (p.noiseName.equals(name)) {
        return p;
      }
    }
    return null;
  }
}
