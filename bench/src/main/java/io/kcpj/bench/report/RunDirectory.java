package io.kcpj.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The folder of one run's report: {@code BASE/<UTC time>} (e.g. {@code
 * kcpj-out/compare/2025-01-31T14-05-09Z}), never reused, with {@code BASE/latest} pointing at the
 * newest. So no run overwrites another's report or leaves stale files in it.
 *
 * <p>{@code latest} is a relative symbolic link, replaced atomically; where the file system has no
 * symbolic links, {@code BASE/latest.txt} holds the folder's name instead. Stateless.
 */
public final class RunDirectory {
  /** The name of the link to the newest run. */
  public static final String LATEST = "latest";

  private static final DateTimeFormatter NAME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH-mm-ss'Z'").withZone(ZoneOffset.UTC);

  private RunDirectory() {}

  /** Creates a fresh folder for a run started at {@code start} and points {@code latest} at it. */
  public static Path create(Path base, Instant start) throws IOException {
    Files.createDirectories(base);
    String name = NAME.format(start);
    Path dir = base.resolve(name);
    for (int n = 2; ; n++) {
      try {
        Files.createDirectory(dir);
        break;
      } catch (FileAlreadyExistsException e) {
        dir = base.resolve(name + "-" + n); // two runs in one second
      }
    }
    pointLatest(base, dir);
    return dir;
  }

  /** Makes {@code base/latest} point at {@code dir} (a child of {@code base}). */
  static void pointLatest(Path base, Path dir) throws IOException {
    Path link = base.resolve(LATEST);
    Path target = dir.getFileName();
    Path tmp = base.resolve(LATEST + ".tmp-" + ProcessHandle.current().pid());
    try {
      Files.deleteIfExists(tmp);
      Files.createSymbolicLink(tmp, target);
      Files.move(tmp, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (UnsupportedOperationException | IOException e) {
      Files.deleteIfExists(tmp);
      Files.writeString(base.resolve(LATEST + ".txt"), target + "\n", StandardCharsets.UTF_8);
    }
  }
}
