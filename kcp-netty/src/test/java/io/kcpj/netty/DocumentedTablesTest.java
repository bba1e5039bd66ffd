package io.kcpj.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.kcpj.core.EngineSetting;
import io.kcpj.core.KcpConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The repository's documentation shows the settings, presets and options tables exactly as the code
 * defines them. Each table is generated here — from kcp-core's {@link EngineSetting#all()} and
 * {@link KcpConfig#presets()}, and from {@link KcpChannelOption#options()} — and every copy of it
 * in the repository's Markdown files (found by its header line) must equal the generated one. On a
 * mismatch the failure message carries the table to paste. (One test for both modules: kcp-netty
 * sees kcp-core, so the Markdown scan is written once.)
 */
class DocumentedTablesTest {
  static final String SETTINGS_HEADER =
      "| key | `EngineSetting` | type, range | default | ikcp | meaning |";
  static final String PRESETS_HEADER =
      "| preset | nodelay | interval | resend | nc | min RTO | what it is |";
  static final String OPTIONS_HEADER = "| option | type, range | default | meaning |";

  static String settingsTable() {
    StringBuilder t = new StringBuilder(SETTINGS_HEADER).append("\n|---|---|---|---|---|---|\n");
    for (EngineSetting<?> s : EngineSetting.all()) {
      row(t, "`" + s.key() + "`", "`" + s.name() + "`", s.rangeText(), s.defaultText())
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
      row(t, "`" + p.name() + "`", c.nodelay(), c.interval() + " ms", c.fastResend())
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

  static String optionsTable() {
    StringBuilder t = new StringBuilder(OPTIONS_HEADER).append("\n|---|---|---|---|\n");
    for (KcpChannelOption<?> o : KcpChannelOption.options()) {
      row(t, "`" + o.constantName() + "`", o.rangeText(), o.defaultText(), o.meaning())
          .append(" |\n");
    }
    return t.toString();
  }

  /** Appends {@code | a | b | c | d} (no closing bar). */
  private static StringBuilder row(StringBuilder t, Object a, Object b, Object c, Object d) {
    return t.append("| ")
        .append(a)
        .append(" | ")
        .append(b)
        .append(" | ")
        .append(c)
        .append(" | ")
        .append(d);
  }

  @Test
  void theProtocolDocumentShowsTheSettingsTable() throws IOException {
    assertEveryCopyMatches(SETTINGS_HEADER, settingsTable());
  }

  @Test
  void theReadmeShowsThePresetsTable() throws IOException {
    assertEveryCopyMatches(PRESETS_HEADER, presetsTable());
  }

  @Test
  void theReadmeShowsTheOptionsTable() throws IOException {
    assertEveryCopyMatches(OPTIONS_HEADER, optionsTable());
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

  /** The repository's root directory (the one holding kcp-core/), above the working directory. */
  static Path repositoryRoot() throws IOException {
    Path root = Path.of("").toAbsolutePath();
    while (root != null && !Files.isDirectory(root.resolve("kcp-core"))) {
      root = root.getParent();
    }
    if (root == null) {
      throw new IOException("the repository root (with kcp-core/) is not above " + Path.of(""));
    }
    return root;
  }

  /** README.md, each module's and tool's Markdown files, and docs/ (not build output). */
  static List<Path> markdownFiles() throws IOException {
    Path top = repositoryRoot();
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
