package io.kcpj.core.secure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads a vector file: '#' comments, blank-line separated blocks of {@code key = value} lines. */
final class VectorFile {
  private VectorFile() {}

  static List<Map<String, String>> read(String resource) throws IOException {
    String text;
    try (InputStream in = VectorFile.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("missing test resource " + resource);
      }
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    List<Map<String, String>> blocks = new ArrayList<>();
    Map<String, String> current = null;
    for (String line : text.split("\n")) {
      String l = line.strip();
      if (l.startsWith("#")) {
        continue;
      }
      if (l.isEmpty()) {
        current = null;
        continue;
      }
      if (current == null) {
        current = new LinkedHashMap<>();
        blocks.add(current);
      }
      int eq = l.indexOf('=');
      current.put(l.substring(0, eq).strip(), l.substring(eq + 1).strip());
    }
    return blocks;
  }
}
