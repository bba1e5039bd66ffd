package io.kcpj.core.secure.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.core.secure.Hex;
import io.kcpj.core.secure.MiniJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Cacophony vectors (see {@code secure/README.md} in the test resources): for each protocol,
 * both sides are built from the vector's keys, ephemerals, prologue and PSKs; every handshake
 * message must come out byte for byte, every payload must be read back, the handshake hashes must
 * match, and the transport messages (Split()'s cipher states, alternating directions) too.
 */
class NoiseVectorTest {

  @SuppressWarnings("unchecked")
  static Stream<Arguments> vectors() throws IOException {
    try (InputStream in = NoiseVectorTest.class.getResourceAsStream("/secure/noise-vectors.json")) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      Map<String, Object> root = (Map<String, Object>) MiniJson.parse(text);
      List<Object> list = (List<Object>) root.get("vectors");
      return list.stream()
          .map(v -> Arguments.of(((Map<String, Object>) v).get("protocol_name"), v));
    }
  }

  @Test
  void allTwentyVectorsArePresent() throws IOException {
    assertEquals(20, vectors().count());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  @SuppressWarnings("unchecked")
  void reproducesVector(String protocolName, Map<String, Object> v) {
    String[] parts = protocolName.split("_");
    HandshakePattern pattern = HandshakePattern.byNoiseName(parts[1]);
    NoiseCipher cipher = NoiseCipher.byNoiseName(parts[3]);
    assertNotNull(pattern, protocolName);
    assertNotNull(cipher, protocolName);
    assertEquals(protocolName, pattern.protocolName(cipher));

    HandshakeState initiator = side(pattern, cipher, true, v, "init_");
    HandshakeState responder = side(pattern, cipher, false, v, "resp_");

    List<Object> messages = (List<Object>) v.get("messages");
    int i = 0;
    for (; i < pattern.messageCount(); i++) {
      Map<String, Object> m = (Map<String, Object>) messages.get(i);
      byte[] payload = hex(m, "payload");
      byte[] expected = hex(m, "ciphertext");
      HandshakeState writer = i % 2 == 0 ? initiator : responder;
      HandshakeState reader = i % 2 == 0 ? responder : initiator;
      byte[] written = writer.writeMessage(payload);
      assertEquals(Hex.encode(expected), Hex.encode(written), protocolName + " message " + i);
      byte[] read = reader.readMessage(written, 0, written.length);
      assertNotNull(read, protocolName + " message " + i + " not read back");
      assertArrayEquals(payload, read);
    }
    assertTrue(initiator.isFinished() && responder.isFinished());
    byte[] hash = hex(v, "handshake_hash");
    assertEquals(Hex.encode(hash), Hex.encode(initiator.handshakeHash()));
    assertEquals(Hex.encode(hash), Hex.encode(responder.handshakeHash()));

    CipherState[] initSplit = initiator.split();
    CipherState[] respSplit = responder.split();
    byte[] empty = new byte[0];
    for (; i < messages.size(); i++) {
      Map<String, Object> m = (Map<String, Object>) messages.get(i);
      byte[] payload = hex(m, "payload");
      byte[] expected = hex(m, "ciphertext");
      boolean fromInitiator = i % 2 == 0;
      CipherState send = fromInitiator ? initSplit[0] : respSplit[1];
      CipherState receive = fromInitiator ? respSplit[0] : initSplit[1];
      byte[] written = send.encryptWithAd(empty, payload);
      assertEquals(Hex.encode(expected), Hex.encode(written), protocolName + " transport " + i);
      assertArrayEquals(payload, receive.decryptWithAd(empty, written, 0, written.length));
    }
  }

  @Test
  void aTamperedHandshakeMessageFailsAndLeavesACopyUsable() {
    byte[] psk = new byte[32];
    psk[0] = 7;
    HandshakeState a = build(true, psk, 1);
    HandshakeState b = build(false, psk, 2);
    byte[] m1 = a.writeMessage(new byte[] {1, 2, 3});
    assertNotNull(b.readMessage(m1, 0, m1.length));
    byte[] m2 = b.writeMessage(new byte[] {4});
    HandshakeState trial = a.copy();
    byte[] forged = m2.clone();
    forged[forged.length - 1] ^= 1;
    assertNull(trial.readMessage(forged, 0, forged.length));
    assertTrue(trial.hasFailed());
    assertArrayEquals(new byte[] {4}, a.readMessage(m2, 0, m2.length));
    assertArrayEquals(a.handshakeHash(), b.handshakeHash());
  }

  @Test
  void aWrongPskIsRejectedByTheResponder() {
    byte[] psk = new byte[32];
    byte[] other = new byte[32];
    other[31] = 1;
    HandshakeState a = build(true, psk, 1);
    HandshakeState b = build(false, other, 2);
    byte[] m1 = a.writeMessage(new byte[0]);
    assertNull(b.readMessage(m1, 0, m1.length));
  }

  @Test
  void truncatedMessagesAreRejectedWithoutThrowing() {
    byte[] psk = new byte[32];
    HandshakeState a = build(true, psk, 1);
    byte[] m1 = a.writeMessage(new byte[5]);
    for (int len = 0; len < m1.length; len++) {
      HandshakeState b = build(false, psk, 2);
      assertNull(b.readMessage(m1, 0, len), "length " + len);
    }
  }

  private static HandshakeState build(boolean initiator, byte[] psk, int ephemeralSeed) {
    byte[] e = new byte[32];
    e[0] = (byte) ephemeralSeed;
    return HandshakeState.builder(HandshakePattern.NN_PSK0, NoiseCipher.AES_GCM, initiator)
        .prologue(new byte[] {9})
        .psks(psk)
        .localEphemeral(X25519KeyPair.fromPrivateKey(e))
        .build();
  }

  @SuppressWarnings("unchecked")
  private static HandshakeState side(
      HandshakePattern pattern,
      NoiseCipher cipher,
      boolean initiator,
      Map<String, Object> v,
      String prefix) {
    HandshakeState.Builder b = HandshakeState.builder(pattern, cipher, initiator);
    b.prologue(hex(v, prefix + "prologue"));
    if (v.get(prefix + "static") != null) {
      b.localStatic(X25519KeyPair.fromPrivateKey(hex(v, prefix + "static")));
    }
    if (v.get(prefix + "ephemeral") != null) {
      b.localEphemeral(X25519KeyPair.fromPrivateKey(hex(v, prefix + "ephemeral")));
    }
    if (v.get(prefix + "remote_static") != null) {
      b.remoteStatic(hex(v, prefix + "remote_static"));
    }
    List<Object> psks = (List<Object>) v.get(prefix + "psks");
    if (psks != null) {
      byte[][] p = new byte[psks.size()][];
      for (int i = 0; i < p.length; i++) {
        p[i] = Hex.decode((String) psks.get(i));
      }
      b.psks(p);
    }
    return b.build();
  }

  private static byte[] hex(Map<String, Object> m, String key) {
    return Hex.decode((String) m.get(key));
  }
}
