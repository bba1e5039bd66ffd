package io.kcpj.bench.cli;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks before a long run that its report folder can be written, so that a bad {@code --out} is
 * refused in one line at once instead of failing after minutes of measuring. Stateless.
 */
final class ReportFolder {
  private ReportFolder() {}

  /**
   * Creates {@code dir} if missing and writes (then deletes) a probe file in it.
   *
   * @throws CommandError (usage) saying why the folder cannot be written
   */
  static void check(Path dir) {
    try {
      Files.createDirectories(dir);
      Path probe = Files.createTempFile(dir, ".kcpj-write-check", ".tmp");
      Files.delete(probe);
    } catch (FileSystemException e) {
      String where =
          e.getFile() == null || Path.of(e.getFile()).equals(dir) ? "" : ErrorReporter.reason(e);
      throw CommandError.usage(
          "cannot write the report to '"
              + dir
              + "': "
              + (where.isEmpty() ? ErrorReporter.fileReason(e) : where),
          e);
    } catch (IOException e) {
      throw CommandError.usage("cannot write the report to '" + dir + "': " + e, e);
    }
  }
}
