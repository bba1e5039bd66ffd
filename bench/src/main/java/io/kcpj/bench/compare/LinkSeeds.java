package io.kcpj.bench.compare;

import io.kcpj.netem.profile.Profile;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Seeds of the comparison's links, derived by name: a link's random streams come from {@code (seed,
 * profile text, transport, session)}, never from positions in a list. So {@code kcpj compare -p
 * poor} and {@code kcpj compare -p 3g-lossy,poor} give {@code poor × kcp-fast}'s session 3 the same
 * link, and adding a transport changes no other transport's fate.
 *
 * <p>The profile enters as its compact text ({@link Profile#toSpec()}), so a preset and the same
 * parameters written out get the same links; the transport as its report label. The derivation is
 * the first 8 bytes (big-endian) of SHA-256 over {@code
 * "kcpj-link\nSEED\nPROFILE\nTRANSPORT\nSESSION"} in UTF-8: stable across JVMs, platforms and
 * releases. Stateless.
 */
public final class LinkSeeds {
  private LinkSeeds() {}

  /** The seed of session {@code session} (0-based) of {@code transport} on {@code profile}. */
  public static long of(long seed, Profile profile, String transport, int session) {
    return of(seed, profile.toSpec(), transport, session);
  }

  /** The same from the profile's compact text. */
  public static long of(long seed, String profileText, String transport, int session) {
    String key = "kcpj-link\n" + seed + "\n" + profileText + "\n" + transport + "\n" + session;
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      long v = 0;
      for (int i = 0; i < 8; i++) {
        v = v << 8 | (d[i] & 0xff);
      }
      return v;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
