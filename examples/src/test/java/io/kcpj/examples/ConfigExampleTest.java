package io.kcpj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kcpj.core.KcpConfig;
import org.junit.jupiter.api.Test;

class ConfigExampleTest {
  @Test
  void theBuilderAndTheTextFormGiveTheSameConfig() {
    KcpConfig[] both = ConfigExample.builderAndText();
    assertEquals(both[0], both[1]);
    assertEquals(256, both[0].sendWindow());
    assertEquals(256, both[0].receiveWindow());
    assertEquals(1200, both[0].mtu());
    assertEquals(KcpConfig.fast().interval(), both[0].interval());
  }
}
