package io.kcpj.netty;

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
 * The documentation's table of {@link KcpChannelOption}s is the one the code defines: generated
 * here from {@link KcpChannelOption#options()} (the engine rows from kcp-core's settings table),
 * every copy in the repository's Markdown (found by its header line) must equal it. On a mismatch
 * the failure message carries the table to paste.
 */
class OptionsTableTest {
  static final String HEADER = "| option | type, range | default | meaning |";

  static String optionsTable() {
    StringBuilder t = new StringBuilder(HEADER).append("\n|---|---|---|---|\n");
    for (KcpChannelOption<?> o : KcpChannelOption.options()) {
      t.append("| `")
          .append(o.constantName())
          .append("` | ")
          .append(o.rangeText())
          .append(" | ")
          .append(o.defaultText())
          .append(" | ")
          .append(o.meaning())
          .append(" |\n");
    }
    return t.toString();
  }

  @Test
  void theReadmeShowsTheOptionsTable() throws IOException {
    List<String> copies = new ArrayList<>();
    for (Path md : markdownFiles()) {
      List<String> lines = Files.readAllLines(md);
      for (int i = 0; i < lines.size(); i++) {
        if (!lines.get(i).trim().equals(HEADER)) {
          continue;
        }
        StringBuilder table = new StringBuilder();
        for (int j = i; j < lines.size() && lines.get(j).trim().startsWith("|"); j++) {
          table.append(lines.get(j).trim()).append('\n');
        }
        copies.add(table.toString());
        String where = md + ":" + (i + 1);
        String expected = optionsTable();
        assertEquals(
            expected,
            table.toString(),
            () -> where + " differs from the code; the table should read:\n" + expected);
      }
    }
    assertFalse(copies.isEmpty(), "no Markdown file shows the table headed " + HEADER);
  }

  /** README.md, each module's Markdown files, and docs/. */
  static List<Path> markdownFiles() throws IOException {
    Path root = Path.of("").toAbsolutePath();
    while (root != null && !Files.isDirectory(root.resolve("kcp-netty"))) {
      root = root.getParent();
    }
    if (root == null) {
      throw new IOException("the repository root (with kcp-netty/) is not above " + Path.of(""));
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
