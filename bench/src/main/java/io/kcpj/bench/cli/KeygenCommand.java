package io.kcpj.bench.cli;

import io.kcpj.core.secure.noise.X25519KeyPair;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kcpj keygen}: draws a secure server's static X25519 key pair (or derives the public key of
 * an existing private key) for {@code kcpj perf server --server-key} and {@code kcpj perf client
 * --pin}. Keys are 64 hex digits. With {@code --out FILE} the private key goes only into a new file
 * readable by its owner alone (an existing file is never overwritten) and only the public key is
 * printed.
 */
@Command(
    name = "keygen",
    mixinStandardHelpOptions = true,
    description = {
      "Create a static X25519 key pair for secure sessions: the server keeps the private key"
          + " (kcpj perf server --server-key), clients pin the public key (kcpj perf client"
          + " --pin).",
      "Prints 'private-key HEX' and 'public-key HEX'; with --out FILE the private key is written"
          + " to a new owner-only file instead and only the public key is printed."
    })
final class KeygenCommand implements Callable<Integer> {
  @Option(
      names = "--out",
      paramLabel = "FILE",
      description =
          "Write the private key (64 hex digits) to this new file, readable by its owner only;"
              + " use it as --server-key @FILE. An existing file is left alone (error). Default:"
              + " none (both keys are printed).")
  Path out;

  @Option(
      names = "--public",
      paramLabel = "KEY",
      description =
          "Print the public key of this existing private key (64 hex digits or @FILE) instead of"
              + " creating one. Default: none (a new key pair is drawn).")
  String ofPrivate;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter w = spec.commandLine().getOut();
    HexFormat hex = HexFormat.of();
    if (ofPrivate != null) {
      if (out != null) {
        throw CommandError.usage("--public derives a public key: leave --out out", null);
      }
      byte[] key = KeyOption.parse("--public", ofPrivate);
      w.println("public-key " + hex.formatHex(X25519KeyPair.fromPrivateKey(key).publicKey()));
      w.flush();
      return 0;
    }
    X25519KeyPair pair = X25519KeyPair.generate(new SecureRandom());
    String privateHex = hex.formatHex(pair.privateKey());
    if (out != null) {
      write(out, privateHex + System.lineSeparator());
    } else {
      w.println("private-key " + privateHex);
    }
    w.println("public-key " + hex.formatHex(pair.publicKey()));
    w.flush();
    return 0;
  }

  /** Creates {@code file} (owner read/write only where the file system has POSIX permissions). */
  private static void write(Path file, String text) {
    try {
      boolean posix =
          file.toAbsolutePath().getParent() != null
              && Files.getFileStore(file.toAbsolutePath().getParent())
                  .supportsFileAttributeView("posix");
      if (posix) {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } else {
        Files.createFile(file);
      }
      Files.writeString(
          file, text, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
    } catch (FileAlreadyExistsException e) {
      throw CommandError.usage("--out " + file + ": the file exists; not overwriting it", e);
    } catch (IOException e) {
      String why =
          e instanceof java.nio.file.NoSuchFileException ? "no such directory" : e.getMessage();
      throw CommandError.failure("--out " + file + ": cannot write the key file: " + why, e);
    }
  }
}
