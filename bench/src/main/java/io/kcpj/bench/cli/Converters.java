package io.kcpj.bench.cli;

import io.kcpj.netem.profile.Quantities;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * picocli converters for the {@code kcpj} command's option values, all in the one grammar of {@link
 * Quantities} (sizes, durations) so that every option reads {@code 64kb}, {@code 500ms} alike. A
 * bad value becomes picocli's one-line "Invalid value for option" error naming what would be valid.
 * Stateless.
 */
final class Converters {
  private Converters() {}

  /** A size in bytes: {@code 1400}, {@code 64kb}, {@code 64kib}. */
  static final class Size implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      try {
        return Quantities.bytes(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** A size in bytes that fits an {@code int}. */
  static final class IntSize implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      try {
        return Quantities.intBytes(value, 0);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** A duration with a unit: {@code 500us}, {@code 30s}, {@code 2m}; a bare {@code 0}. */
  static final class Time implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        return Quantities.duration(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /**
   * {@code HOST:PORT} or {@code [IPv6]:PORT}, resolved now: an unknown host is an error here, not a
   * failure later.
   */
  static final class HostPort implements ITypeConverter<InetSocketAddress> {
    @Override
    public InetSocketAddress convert(String value) {
      return hostPort(value);
    }
  }

  /** Parses and resolves {@code HOST:PORT} (see {@link HostPort}). */
  static InetSocketAddress hostPort(String value) {
    int colon = value.lastIndexOf(':');
    if (colon <= 0 || colon == value.length() - 1) {
      throw new TypeConversionException(
          "'" + value + "' is not HOST:PORT (e.g. 127.0.0.1:4000, localhost:4000 or [::1]:4000)");
    }
    String host = value.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.indexOf(':') >= 0) {
      throw new TypeConversionException(
          "'" + value + "' is not HOST:PORT: write an IPv6 address in brackets, e.g. [::1]:4000");
    }
    String p = value.substring(colon + 1);
    int port = p.matches("[0-9]{1,5}") ? Integer.parseInt(p) : -1;
    if (port < 0 || port > 65535) {
      throw new TypeConversionException(
          "bad port '" + p + "' in '" + value + "': expected 0 to 65535");
    }
    try {
      return new InetSocketAddress(InetAddress.getByName(host), port);
    } catch (UnknownHostException e) {
      throw new TypeConversionException("unknown host '" + host + "' in '" + value + "'");
    }
  }
}
