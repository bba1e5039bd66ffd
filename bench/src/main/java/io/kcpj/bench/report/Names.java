package io.kcpj.bench.report;

import java.util.Locale;

/** File-name-safe forms of profile and transport names. */
final class Names {
  private Names() {}

  static String slug(String s) {
    String lower = s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-");
    return lower.isEmpty() ? "x" : lower;
  }
}
