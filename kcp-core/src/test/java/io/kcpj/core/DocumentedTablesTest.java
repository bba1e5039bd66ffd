package io.kcpj.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The repository's documentation shows the settings and presets tables exactly as the code defines
 * them: each table is generated here from {@link EngineSetting#all()} and {@link
 * KcpConfig#presets()}, and every copy of it in the Markdown files (found by its header line) must
 * equal the generated one. On a mismatch the failure message carries the table to paste.
 */
class DocumentedTablesTest {
  static final String SETTINGS_HEADER =
      "| key | `EngineSetting` | type, range | default | ikcp | meaning |";
  static final String PRESETS_HEADER =
      "| preset | nodelay | interval | resend | nc | min RTO | what it is |";

  static String settingsTable() {
    StringBuilder t = new StringBuilder(SETTINGS_HEADER).append("\n|---|---|---|---|---|---|\n");
    for (EngineSetting<?> s : EngineSetting.all()) {
      t.append("| `")
          .append(s.key())
          .append("` | `")
          .append(s.name())
          .append("` | ")
          .append(s.rangeText())
          .append(" | ")
          .append(s.defaultText())
          .append(" | `")
          .append(s.reference())
          .append("` | ")
          .append(s.meaning())
          .append(" |\n");
    }
    return t.toString();
  }

  static String presetsTable() {
    StringBuilder t = new StringBuilder(PRESETS_HEADER).append("\n|---|---|---|---|---|---|---|\n");
    for (KcpConfig.Preset p : KcpConfig.presets()) {
      KcpConfig c = p.config();
      t.append("| `")
          .append(p.name())
          .append("` | ")
          .append(c.nodelay())
          .append(" | ")
          .append(c.interval())
          .append(" ms | ")
          .append(c.fastResend())
          .append(" | ")
          .append(c.noCongestionWindow() ? "on" : "off")
          .append(" | ")
          .append(c.minRto())
          .append(" ms | ")
          .append(p.description())
          .append(" |\n");
    }
    return t.toString();
  }

  @Test
  void theProtocolDocumentShowsTheSettingsTable() throws IOException {
    assertEveryCopyMatches(SETTINGS_HEADER, settingsTable());
  }

  @Test
  void theReadmeShowsThePresetsTable() throws IOException {
    assertEveryCopyMatches(PRESETS_HEADER, presetsTable());
  }

  /** Every table in the repository's Markdown whose first line is {@code header} equals it. */
  static void assertEveryCopyMatches(String header, String expected) throws IOException {
    List<String> copies = new ArrayList<>();
    for (Path md : markdownFiles()) {
      List<String> lines = Files.readAllLines(md);
      for (int i = 0; i < lines.size(); i++) {
        if (!lines.get(i).trim().equals(header)) {
          continue;
        }
        StringBuilder table = new StringBuilder();
        for (int j = i; j < lines.size() && lines.get(j).trim().startsWith("|"); j++) {
          table.append(lines.get(j).trim()).append('\n');
        }
        copies.add(table.toString());
        String where = md + ":" + (i + 1);
        assertEquals(
            expected,
            table.toString(),
            () -> where + " differs from the code; the table should read:\n" + expected);
      }
    }
    assertFalse(copies.isEmpty(), "no Markdown file shows the table headed " + header);
  }

  /** README.md, each module's and tool's Markdown files, and docs/. */
  static List<Path> markdownFiles() throws IOException {
    Path root = Path.of("").toAbsolutePath();
    while (root != null && !Files.isDirectory(root.resolve("kcp-core"))) {
      root = root.getParent();
    }
    if (root == null) {
      throw new IOException("the repository root (with kcp-core/) is not above " + Path.of(""));
    }
    Path top = root;
    try (Stream<Path> files = Files.walk(top, 3)) {
      return files
          .filter(p -> p.toString().endsWith(".md"))
          .filter(
              p -> {
                String rel = top.relativize(p).toString();
                return !rel.contains("target/") && !rel.startsWith(".");
              })
          .sorted()
          .toList();
    }
  }
}
