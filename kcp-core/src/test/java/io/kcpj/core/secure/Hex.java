package io.kcpj.core.secure;

/** Hex conversions for tests. */
public final class Hex {
  private Hex() {}

  public static byte[] decode(String hex) {
    String h = hex.replaceAll("\\s", "");
    byte[] b = new byte[h.length() / 2];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
    }
    return b;
  }

  public static String encode(byte[] b) {
    return encode(b, 0, b.length);
  }

  public static String encode(byte[] b, int off, int len) {
    StringBuilder s = new StringBuilder(2 * len);
    for (int i = off; i < off + len; i++) {
      s.append(Character.forDigit((b[i] >> 4) & 0xf, 16))
          .append(Character.forDigit(b[i] & 0xf, 16));
    }
    return s.toString();
  }
}
