package io.kcpj.bench.report;

import java.util.Locale;

/** File-name-safe forms of profile and transport names. */
public final class Names {
  private Names() {}

  /** Lower case, runs of anything but {@code [a-z0-9._-]} replaced by one {@code -}. */
  public static String slug(String s) {
    String lower = s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-");
    return lower.isEmpty() ? "x" : lower;
  }
}
