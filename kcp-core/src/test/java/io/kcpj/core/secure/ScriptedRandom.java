package io.kcpj.core.secure;

import java.util.ArrayDeque;
import java.util.Random;

/**
 * A deterministic {@link java.security.SecureRandom} for tests: serves queued byte arrays first
 * (each {@code nextBytes} call takes the next queued array, which must have the requested length),
 * then a seeded stream.
 */
final class ScriptedRandom extends java.security.SecureRandom {
  private static final long serialVersionUID = 1L;
  private final ArrayDeque<byte[]> script = new ArrayDeque<>();
  private final Random fallback;

  ScriptedRandom(long seed) {
    super(new byte[0]);
    this.fallback = new Random(seed);
  }

  /** Queues the bytes the next {@code nextBytes} call returns. */
  ScriptedRandom then(byte[] bytes) {
    script.add(bytes.clone());
    return this;
  }

  /** Queues an int as {@code nextInt()} would read it (big-endian bytes). */
  ScriptedRandom thenInt(int v) {
    return then(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
  }

  boolean scriptUsedUp() {
    return script.isEmpty();
  }

  @Override
  public synchronized void nextBytes(byte[] bytes) {
    byte[] next = script.poll();
    if (next == null) {
      fallback.nextBytes(bytes);
      return;
    }
    if (next.length != bytes.length) {
      throw new IllegalStateException(
          "script has " + next.length + " bytes, " + bytes.length + " were asked");
    }
    System.arraycopy(next, 0, bytes, 0, bytes.length);
  }

  @Override
  public void setSeed(long seed) {
    // SecureRandom's constructor calls this before the fields exist; seeding is fixed.
  }
}
