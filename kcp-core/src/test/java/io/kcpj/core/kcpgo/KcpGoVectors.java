package io.kcpj.core.kcpgo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The reference vectors printed by kcp-go itself ({@code interop/kcpgo/vectors.sh}), parsed: {@code
 * kcpgo/vectors.txt} (deterministic) and {@code kcpgo/session.txt} (captured from real kcp-go
 * sessions). The line format is described in {@code interop/kcpgo/vectors/main.go}.
 */
public final class KcpGoVectors {
  private static final HexFormat HEX = HexFormat.of();

  /** One Reed-Solomon code with kcp-go's parity for given data. */
  public record RsVector(int dataShards, int parityShards, byte[][] data, byte[][] parity) {}

  /** One KCP datagram given to kcp-go's FEC encoder and what it sent for it. */
  public record EncodeStep(byte[] kcp, List<byte[]> out) {}

  /** A run of kcp-go's FEC encoder. */
  public record EncoderCase(int dataShards, int parityShards, List<EncodeStep> steps) {}

  /** What KCP was given for one decoder input: {@code null} bytes mean "fecerr". */
  public record Handed(boolean own, byte[] bytes) {}

  /** One datagram given to kcp-go's FEC decoder and what KCP was then given, in order. */
  public record DecodeStep(byte[] in, List<Handed> handed) {}

  /** A decoder scenario. */
  public record DecoderScenario(
      String name, int dataShards, int parityShards, List<DecodeStep> steps, long shortShards) {}

  /** One sealed datagram. */
  public record Seal(byte[] nonce, byte[] plain, byte[] wire) {}

  /** A BlockCrypt method with its key and sealed datagrams. */
  public record CryptCase(String method, byte[] key, List<Seal> seals) {}

  /** A passphrase and kcptun's key for it. */
  public record Pbkdf2(String passphrase, byte[] key) {}

  /** A captured kcp-go session. */
  public record Session(
      int dataShards,
      int parityShards,
      String method,
      String passphrase,
      int conv,
      List<byte[]> messages,
      List<byte[]> wire) {}

  public final List<RsVector> rs = new ArrayList<>();
  public final List<EncoderCase> encoders = new ArrayList<>();
  public final List<DecoderScenario> decoders = new ArrayList<>();
  public final List<CryptCase> crypts = new ArrayList<>();
  public final List<Pbkdf2> keys = new ArrayList<>();
  public final List<Session> sessions = new ArrayList<>();

  private static KcpGoVectors vectors;
  private static KcpGoVectors captured;

  /** The deterministic vectors ({@code kcpgo/vectors.txt}). */
  public static synchronized KcpGoVectors vectors() {
    if (vectors == null) {
      vectors = parse("/kcpgo/vectors.txt");
    }
    return vectors;
  }

  /** The captured sessions ({@code kcpgo/session.txt}). */
  public static synchronized KcpGoVectors sessions() {
    if (captured == null) {
      captured = parse("/kcpgo/session.txt");
    }
    return captured;
  }

  public static byte[] hex(String s) {
    return s.equals("-") ? new byte[0] : HEX.parseHex(s);
  }

  public static String hex(byte[] b, int off, int len) {
    return HEX.formatHex(b, off, off + len);
  }

  private static KcpGoVectors parse(String resource) {
    KcpGoVectors v = new KcpGoVectors();
    try (InputStream in = KcpGoVectors.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + resource);
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      RsVector rsVector = null;
      int rsData = 0;
      int rsParity = 0;
      List<EncodeStep> encSteps = null;
      List<DecodeStep> decSteps = null;
      String decName = null;
      int[] decCode = null;
      List<Seal> seals = null;
      Session session = null;
      String line;
      while ((line = r.readLine()) != null) {
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split(" ");
        switch (f[0]) {
          case "rs" -> {
            int d = Integer.parseInt(f[1]);
            int p = Integer.parseInt(f[2]);
            rsVector = new RsVector(d, p, new byte[d][], new byte[p][]);
            rsData = 0;
            rsParity = 0;
            v.rs.add(rsVector);
          }
          case "d" -> rsVector.data()[rsData++] = hex(f[1]);
          case "p" -> rsVector.parity()[rsParity++] = hex(f[1]);
          case "fecenc" -> {
            encSteps = new ArrayList<>();
            v.encoders.add(
                new EncoderCase(Integer.parseInt(f[1]), Integer.parseInt(f[2]), encSteps));
          }
          case "in" -> {
            if (decSteps != null) {
              decSteps.add(new DecodeStep(hex(f[1]), new ArrayList<>()));
            } else {
              encSteps.add(new EncodeStep(hex(f[1]), new ArrayList<>()));
            }
          }
          case "out" -> encSteps.get(encSteps.size() - 1).out().add(hex(f[1]));
          case "fecdec" -> {
            decName = f[1];
            decCode = new int[] {Integer.parseInt(f[2]), Integer.parseInt(f[3])};
            decSteps = new ArrayList<>();
          }
          case "own" -> decSteps.get(decSteps.size() - 1).handed().add(new Handed(true, null));
          case "kcp" ->
              decSteps.get(decSteps.size() - 1).handed().add(new Handed(false, hex(f[1])));
          case "fecerr" -> decSteps.get(decSteps.size() - 1).handed().add(new Handed(false, null));
          case "end" -> {
            long shortShards = Long.parseLong(f[1].substring("shortShards=".length()));
            v.decoders.add(
                new DecoderScenario(decName, decCode[0], decCode[1], decSteps, shortShards));
            decSteps = null;
          }
          case "pbkdf2" ->
              v.keys.add(new Pbkdf2(new String(hex(f[1]), StandardCharsets.UTF_8), hex(f[2])));
          case "crypt" -> {
            seals = new ArrayList<>();
            v.crypts.add(new CryptCase(f[1], hex(f[2]), seals));
          }
          case "seal" -> seals.add(new Seal(hex(f[1]), hex(f[2]), hex(f[3])));
          case "session" -> {
            session =
                new Session(
                    Integer.parseInt(f[1]),
                    Integer.parseInt(f[2]),
                    f[3],
                    new String(hex(f[4]), StandardCharsets.UTF_8),
                    (int) Long.parseLong(f[5]),
                    new ArrayList<>(),
                    new ArrayList<>());
            v.sessions.add(session);
          }
          case "msg" -> session.messages().add(hex(f[1]));
          case "wire" -> session.wire().add(hex(f[1]));
          default -> throw new IllegalStateException("unknown vector line: " + line);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return v;
  }
}
