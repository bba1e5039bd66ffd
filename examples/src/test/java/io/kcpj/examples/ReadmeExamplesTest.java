package io.kcpj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * README.md shows exactly the example files, so its Java cannot drift from code that compiles and
 * runs. Every {@code ```java} block in README.md must sit right under a marker line naming its
 * source:
 *
 * <pre>
 * &lt;!-- example: examples/src/main/java/io/kcpj/examples/EchoServer.java --&gt;       the whole file
 * &lt;!-- example: examples/src/main/java/io/kcpj/examples/ConfigExample.java#config --&gt; one region
 * </pre>
 *
 * A region is the lines between {@code // tag::NAME[]} and {@code // end::NAME[]} in the file,
 * without their common indentation. The block must equal its source exactly.
 *
 * <p>After changing an example, {@code ./mvnw -B -q -pl examples -am test -Dtest=ReadmeExamplesTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dkcpj.updateReadme=true} copies the files into README.md
 * (and still fails on a block without a marker or a marker without a source).
 */
class ReadmeExamplesTest {
  static final Pattern MARKER = Pattern.compile("^<!-- example: ([^#\\s]+)(?:#([\\w-]+))? -->$");
  static final Pattern TAG = Pattern.compile("^\\s*// (tag|end)::([\\w-]+)\\[\\]\\s*$");

  @Test
  void everyJavaBlockInTheReadmeIsAnExampleFileOrRegion() throws IOException {
    Path root = RepositoryRoot.find();
    Path readme = root.resolve("README.md");
    List<String> lines = Files.readAllLines(readme, StandardCharsets.UTF_8);
    List<String> problems = new ArrayList<>();
    List<String> updated = new ArrayList<>();
    int blocks = 0;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      updated.add(line);
      Matcher marker = MARKER.matcher(line);
      boolean isMarker = marker.matches();
      boolean opensJava = line.strip().equals("```java");
      if (isMarker && (i + 1 >= lines.size() || !lines.get(i + 1).strip().equals("```java"))) {
        problems.add("README.md:" + (i + 1) + ": an example marker not followed by ```java");
      }
      if (!opensJava) {
        continue;
      }
      blocks++;
      int end = i + 1;
      while (end < lines.size() && !lines.get(end).strip().equals("```")) {
        end++;
      }
      List<String> shown = lines.subList(i + 1, Math.min(end, lines.size()));
      Matcher above = i > 0 ? MARKER.matcher(lines.get(i - 1)) : null;
      if (above == null || !above.matches()) {
        problems.add(
            "README.md:"
                + (i + 1)
                + ": a ```java block without an '<!-- example: PATH[#TAG] -->' line above it");
        updated.addAll(shown);
      } else {
        try {
          List<String> source = source(root, above.group(1), above.group(2));
          if (!shown.equals(source)) {
            problems.add(
                "README.md:"
                    + (i + 1)
                    + ": differs from "
                    + above.group(1)
                    + (above.group(2) == null ? "" : "#" + above.group(2))
                    + firstDifference(shown, source));
          }
          updated.addAll(source);
        } catch (IllegalArgumentException | IOException e) {
          problems.add("README.md:" + (i + 1) + ": " + e.getMessage());
          updated.addAll(shown);
        }
      }
      if (end < lines.size()) {
        updated.add(lines.get(end));
      }
      i = end;
    }
    if (Boolean.getBoolean("kcpj.updateReadme") && !updated.equals(lines)) {
      Files.write(readme, updated, StandardCharsets.UTF_8);
      problems.removeIf(p -> p.contains(": differs from "));
    }
    assertTrue(blocks > 0, "README.md has no ```java block: is this the right file? " + readme);
    assertTrue(
        problems.isEmpty(),
        () ->
            "README.md's Java must be the example files (see this test's javadoc; "
                + "-Dkcpj.updateReadme=true copies them in):\n"
                + String.join("\n", problems));
  }

  /** The lines a marker names: the whole file, or the region between its tag lines. */
  static List<String> source(Path root, String path, String tag) throws IOException {
    Path file = root.resolve(path).normalize();
    if (!file.startsWith(root.resolve("examples")) || !Files.isRegularFile(file)) {
      throw new IllegalArgumentException("no example file " + path + " under examples/");
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    List<String> region = new ArrayList<>();
    boolean inside = tag == null;
    boolean found = tag == null;
    for (String line : lines) {
      Matcher m = TAG.matcher(line);
      if (m.matches()) {
        if (m.group(2).equals(tag)) {
          if (m.group(1).equals("tag")) {
            inside = true;
            found = true;
          } else {
            inside = false;
          }
        }
        continue; // tag lines never show
      }
      if (inside) {
        region.add(line);
      }
    }
    if (!found) {
      throw new IllegalArgumentException(path + " has no '// tag::" + tag + "[]' line");
    }
    if (tag != null && inside) {
      throw new IllegalArgumentException(path + " has no '// end::" + tag + "[]' line");
    }
    int indent =
        region.stream()
            .filter(l -> !l.isBlank())
            .mapToInt(l -> l.length() - l.stripLeading().length())
            .min()
            .orElse(0);
    List<String> dedented = new ArrayList<>();
    for (String line : region) {
      dedented.add(line.isBlank() ? "" : line.substring(indent));
    }
    return dedented;
  }

  private static String firstDifference(List<String> shown, List<String> source) {
    for (int k = 0; k < Math.max(shown.size(), source.size()); k++) {
      String a = k < shown.size() ? shown.get(k) : "<end of block>";
      String b = k < source.size() ? source.get(k) : "<end of source>";
      if (!a.equals(b)) {
        return " at block line " + (k + 1) + ":\n    README: " + a + "\n    source: " + b;
      }
    }
    return "";
  }

  @Test
  void aRegionIsTheTaggedLinesWithoutTheirIndentation() throws IOException {
    List<String> region =
        source(
            RepositoryRoot.find(),
            "examples/src/main/java/io/kcpj/examples/ConfigExample.java",
            "config");
    assertEquals(2, region.size(), region::toString);
    assertTrue(region.get(0).startsWith("KcpConfig cfg = "), region::toString);
  }
}
