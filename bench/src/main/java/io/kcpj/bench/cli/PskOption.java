package io.kcpj.bench.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * Parses {@code kcpj perf --psk KEY}: the secure sessions' pre-shared key as 64 hex digits, or
 * {@code @FILE} naming a file that holds them (surrounding white space ignored). Bad input is a
 * one-line usage error ({@link CommandError}) that never echoes the key. Stateless.
 */
public final class PskOption {
  static final int KEY_BYTES = 32;

  private PskOption() {}

  /** The key's 32 bytes, or null when {@code value} is null (no {@code --psk}). */
  public static byte[] parse(String value) {
    if (value == null) {
      return null;
    }
    String hex = value;
    String where = "--psk";
    if (value.startsWith("@")) {
      Path file = Path.of(value.substring(1));
      where = "--psk " + value;
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
