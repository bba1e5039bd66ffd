package io.kcpj.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

/** A failed connect's exception keeps its reason across serialisation (an enum is serialisable). */
class KcpConnectExceptionTest {
  @Test
  void theCloseReasonSurvivesSerialisation() throws Exception {
    KcpConnectException e = new KcpConnectException(KcpCloseReason.HANDSHAKE_FAILED, "no answer");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(e);
    }
    KcpConnectException back;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      back = (KcpConnectException) in.readObject();
    }
    assertEquals("no answer", back.getMessage());
    assertEquals(KcpCloseReason.HANDSHAKE_FAILED, back.closeReason());
  }
}
