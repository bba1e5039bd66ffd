package io.kcpj.bench.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The top of the {@code kcpj} command: its subcommands, the global {@code --verbose} option, and
 * the error handling every subcommand shares ({@link ErrorReporter}: one line per error, a stack
 * trace only with {@code --verbose}). Every command class of {@code kcpj} lives in this package.
 *
 * <p>The command holds no state of its own; every subcommand owns the resources it opens and closes
 * them before it returns. Output goes to picocli's writers ({@link CommandLine#getOut()}, {@link
 * CommandLine#getErr()}), so tests capture it by setting them.
 */
@Command(
    name = "kcpj",
    mixinStandardHelpOptions = true,
    versionProvider = KcpjCommand.Version.class,
    description = "KCP reliable-UDP transport and weak-network laboratory.",
    subcommands = {
      CompareCommand.class,
      SweepCommand.class,
      PerfCommand.class,
      NetemCommand.class,
      KeygenCommand.class,
      CommandLine.HelpCommand.class
    },
    footerHeading = "%nValues (every command):%n",
    footer = {
      KcpjCommand.SIZES,
      KcpjCommand.DURATIONS,
      KcpjCommand.KCP_SPECS,
      KcpjCommand.PROFILES,
      "%n'kcpj help COMMAND' or 'kcpj COMMAND --help' describes a command."
    })
public final class KcpjCommand implements Runnable {
  /** The size grammar, for help footers (each physical line under 80 columns). */
  static final String SIZES =
      "  Sizes:     a bare number is bytes (1400); or a unit: 64kb (kb = 1,000 bytes),%n"
          + "             64kib (kib = 1,024); also b, mb, mib, gb, gib. Case-insensitive.";

  /** The duration grammar, for help footers. */
  static final String DURATIONS =
      "  Durations: a number and a unit: ns, us, ms, s, m, h (1.5s, 500us, 2m);%n"
          + "             a bare number is refused, except 0.";

  /** What a {@code --kcp} or {@code --mode} spec is, for help footers. */
  static final String KCP_SPECS =
      "  KCP specs: a preset (classic, normal, fast) and key=value pairs in KCP's own%n"
          + "             integers (interval and minrto in ms), e.g. fast,wnd=256;%n"
          + "             compare's --kcp also takes fec=10/3, fec=10/1-3, fec=10/0-3@20ms.";

  /** What a profile is, for help footers. */
  static final String PROFILES =
      "  Profiles:  a preset (see 'kcpj netem profiles'), compact text such as%n"
          + "             delay=100ms,loss=1%%,rate=1mbit (rates in tc's units:%n"
          + "             kbit = 1,000 bit/s, kibit = 1,024), or @file.";

  @Option(
      names = ErrorReporter.VERBOSE,
      scope = ScopeType.INHERIT,
      description = "On an error, print its stack trace too (by default: one line).")
  boolean verbose;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** A fresh command line with every subcommand and the one-line error handling. */
  public static CommandLine newCommandLine() {
    CommandLine cl = new CommandLine(new KcpjCommand());
    ErrorReporter errors = new ErrorReporter();
    cl.setExecutionExceptionHandler(errors);
    cl.setParameterExceptionHandler(errors);
    return cl;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Reports the build's version from the jar manifest (or "dev" when run from classes). */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = KcpjCommand.class.getPackage().getImplementationVersion();
      return new String[] {"kcpj " + (v == null ? "dev" : v)};
    }
  }
}
