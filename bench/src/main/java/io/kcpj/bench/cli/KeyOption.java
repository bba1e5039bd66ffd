package io.kcpj.bench.cli;

import io.kcpj.core.secure.SecureClientConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * Parses the 32-byte keys of {@code kcpj perf}'s secure sessions: {@code --psk KEY} (the pre-shared
 * key), {@code --server-key KEY} (the server's static X25519 private key) and {@code --pin KEY}
 * (the server's public key a client pins), each as 64 hex digits or {@code @FILE} naming a file
 * that holds them (surrounding white space ignored; {@code kcpj keygen --out FILE} writes such a
 * file). Bad input is a one-line usage error ({@link CommandError}) naming the option and never
 * echoing the key. Stateless.
 */
public final class KeyOption {
  static final int KEY_BYTES = 32;

  private KeyOption() {}

  /** {@code --psk}'s 32 bytes, or null when {@code value} is null. */
  public static byte[] psk(String value) {
    return parse("--psk", value);
  }

  /**
   * {@code --server-key}'s 32 bytes (an X25519 private key), or null when {@code value} is null.
   */
  public static byte[] serverKey(String value) {
    return parse("--server-key", value);
  }

  /**
   * {@code --pin}'s 32 bytes (the server's X25519 public key), or null when {@code value} is null.
   * A key no handshake could ever complete with (a low-order point) is a usage error too.
   */
  public static byte[] pin(String value) {
    byte[] key = parse("--pin", value);
    if (key != null) {
      try {
        SecureClientConfig.builder().serverPublicKey(key);
      } catch (IllegalArgumentException e) {
        throw CommandError.usage("--pin: " + e.getMessage(), e);
      }
    }
    return key;
  }

  /** The key's 32 bytes, or null when {@code value} is null (the option was not given). */
  static byte[] parse(String option, String value) {
    if (value == null) {
      return null;
    }
    String hex = value;
    String where = option;
    if (value.startsWith("@")) {
      Path file = Path.of(value.substring(1));
      where = option + " " + value;
      try {
        hex = Files.readString(file, StandardCharsets.UTF_8);
      } catch (java.nio.file.NoSuchFileException e) {
        throw CommandError.usage(where + ": cannot read the key file: no such file", e);
      } catch (IOException | java.io.UncheckedIOException e) {
        throw CommandError.usage(where + ": cannot read the key file: " + e.getMessage(), e);
      }
    }
    hex = hex.strip();
    if (hex.length() != 2 * KEY_BYTES) {
      throw CommandError.usage(
          where
              + ": the key must be "
              + 2 * KEY_BYTES
              + " hex digits ("
              + KEY_BYTES
              + " bytes), got "
              + hex.length()
              + " characters",
          null);
    }
    try {
      return HexFormat.of().parseHex(hex);
    } catch (IllegalArgumentException e) {
      throw CommandError.usage(where + ": the key must be hex digits only (0-9, a-f)", e);
    }
  }
}
