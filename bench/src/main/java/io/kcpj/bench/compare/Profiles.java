package io.kcpj.bench.compare;

import io.kcpj.netem.profile.Profile;
import java.nio.file.Path;

/**
 * Profiles as the comparison names them: a preset keeps its name; compact text is named by the text
 * as given (so a report never shows an anonymous {@code custom}; its parameters and link seeds use
 * the normalised {@link Profile#toSpec()}); a profile file by its file name. Stateless.
 */
public final class Profiles {
  private Profiles() {}

  /** Resolves {@code spec} (preset, compact text or {@code @file}) with a display name. */
  public static Profile resolve(String spec) {
    Profile p = Profile.resolve(spec);
    if (!p.name().equals("custom")) {
      return p;
    }
    String s = spec.trim();
    if (s.startsWith("@")) {
      Path file = Path.of(s.substring(1));
      return p.toBuilder()
          .name(String.valueOf(file.getFileName()))
          .source("profile file " + file)
          .build();
    }
    return p.toBuilder()
        .name(s.isEmpty() ? "ideal" : s)
        .source("compact text given on the command line")
        .build();
  }
}
