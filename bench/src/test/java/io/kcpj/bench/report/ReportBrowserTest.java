package io.kcpj.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.bench.compare.CompareRun;
import io.kcpj.bench.compare.Comparison;
import io.kcpj.bench.compare.KcpTransport;
import io.kcpj.bench.compare.Workload;
import io.kcpj.netem.profile.Profile;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens a real report's {@code index.html} in headless Chromium (Debian's {@code chromium}) and
 * checks what a reader sees: every image loaded ({@code naturalWidth > 0}) and the summary there. A
 * check page next to the report loads it in an iframe and writes its findings into its own DOM,
 * which {@code --dump-dom} prints; the report itself has no script. Then one chart is deleted and
 * the same check must name it missing (the test proves it can fail).
 */
@Tag("browser")
class ReportBrowserTest {
  private static final Pattern RESULT =
      Pattern.compile(
          "<pre id=\"result\">images=(\\d+) missing=([^ ]*(?: [^ ]+)*?) summary=(\\w+)</pre>");

  private static final String CHECK =
      "<!DOCTYPE html><html><body><iframe id=\"f\" src=\"index.html\" width=\"1200\""
          + " height=\"800\"></iframe><script>\n"
          + "document.getElementById('f').addEventListener('load', function () {\n"
          + "  var out;\n"
          + "  try {\n"
          + "    var d = this.contentDocument, imgs = d.images, bad = [];\n"
          + "    for (var i = 0; i < imgs.length; i++) {\n"
          + "      if (!(imgs[i].complete && imgs[i].naturalWidth > 0)) {\n"
          + "        bad.push(imgs[i].getAttribute('src'));\n"
          + "      }\n"
          + "    }\n"
          + "    var s = d.getElementById('summary');\n"
          + "    var ok = !!s && s.querySelectorAll('li').length > 0;\n"
          + "    out = 'images=' + imgs.length + ' missing=' + bad.join(' ') + ' summary=' + ok;\n"
          + "  } catch (e) { out = 'error ' + e; }\n"
          + "  var p = document.createElement('pre'); p.id = 'result'; p.textContent = out;\n"
          + "  document.body.appendChild(p);\n"
          + "});\n</script></body></html>\n";

  static String chromium() {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
      for (String name : new String[] {"chromium", "chromium-browser"}) {
        File f = new File(dir, name);
        if (f.canExecute()) {
          return f.getPath();
        }
      }
    }
    return null;
  }

  /** Loads the check page; returns {images, missing, summary}. */
  static String[] inspect(String chromium, Path report, Path profileDir) throws Exception {
    Path check = report.resolve("browser-check.html");
    Files.writeString(check, CHECK, StandardCharsets.UTF_8);
    Process p =
        new ProcessBuilder(
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--user-data-dir=" + profileDir,
                "--allow-file-access-from-files",
                "--virtual-time-budget=10000",
                "--dump-dom",
                check.toUri().toString())
            .redirectError(profileDir.resolveSibling(profileDir.getFileName() + ".log").toFile())
            .start();
    byte[] dom;
    try {
      dom = p.getInputStream().readAllBytes();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        throw new IOException("chromium did not finish within 120 s");
      }
    } finally {
      p.destroyForcibly();
    }
    String text = new String(dom, StandardCharsets.UTF_8);
    Matcher m = RESULT.matcher(text);
    assertTrue(m.find(), "no result in the dumped DOM (exit " + p.exitValue() + "): " + text);
    return new String[] {m.group(1), m.group(2), m.group(3)};
  }

  @Test
  void everyImageLoadsAndTheSummaryIsThereAndAMissingChartIsCaught(@TempDir Path tmp)
      throws Exception {
    String chromium = chromium();
    Assumptions.assumeTrue(
        chromium != null,
        "skipped: no 'chromium' on the PATH (Debian package chromium; .ci/run installs it)");
    Comparison plan =
        Comparison.builder()
            .profiles(List.of(Profile.named("3g-lossy"), Profile.named("poor")))
            .kcp(List.of(KcpTransport.preset("normal"), KcpTransport.preset("fast")))
            .floor(true)
            .workload(Workload.game(20, 100, 5_000))
            .sessions(2)
            .build();
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    PrintWriter quiet = new PrintWriter(sink, true, StandardCharsets.UTF_8);
    CompareRun run =
        CompareRun.builder()
            .plan(plan)
            .virtual(true)
            .outBase(tmp.resolve("out"))
            .command("kcpj compare --virtual (browser test)")
            .out(quiet, quiet)
            .build();
    assertEquals(0, run.run());
    Path report = run.dir();
    String html = Files.readString(report.resolve(ReportWriter.HTML));
    long imgTags = Pattern.compile("<img ").matcher(html).results().count();
    assertTrue(imgTags >= 5, "2 percentile charts and 3 cross-profile charts: " + imgTags);

    String[] seen = inspect(chromium, report, tmp.resolve("chrome-1"));
    assertEquals(Long.toString(imgTags), seen[0], "the browser sees every image tag");
    assertEquals("", seen[1], "every image loaded");
    assertEquals("true", seen[2], "the summary is there");

    Files.delete(report.resolve(Charts.P99_FILE));
    String[] broken = inspect(chromium, report, tmp.resolve("chrome-2"));
    assertEquals(Charts.P99_FILE, broken[1], "a missing chart is caught");
  }
}
