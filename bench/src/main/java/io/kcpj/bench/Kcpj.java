package io.kcpj.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code kcpj} command: one entry point for the laboratory's tools.
 *
 * <p>Each tool is a picocli subcommand registered in {@link #subcommands()}. The command holds no
 * state of its own; every subcommand owns the resources it opens and closes them before it returns.
 */
@Command(
    name = "kcpj",
    mixinStandardHelpOptions = true,
    versionProvider = Kcpj.Version.class,
    description = "KCP reliable-UDP transport and weak-network laboratory.",
    subcommandsRepeatable = false)
public final class Kcpj implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    System.exit(newCommandLine().execute(args));
  }

  /** A fresh command line with every subcommand registered (tests drive it directly). */
  public static CommandLine newCommandLine() {
    CommandLine cl = new CommandLine(new Kcpj());
    cl.setExecutionExceptionHandler(
        (ex, cmd, parsed) -> {
          if (ex instanceof IllegalArgumentException) {
            // Bad input the command could only detect while running: say what, not where.
            cmd.getErr().println("kcpj " + cmd.getCommandName() + ": " + ex.getMessage());
            return 2;
          }
          cmd.getErr().println("kcpj " + cmd.getCommandName() + " failed: " + ex);
          ex.printStackTrace(cmd.getErr());
          return 1;
        });
    for (Object sub : subcommands()) {
      cl.addSubcommand(sub);
    }
    return cl;
  }

  /** The registered subcommands, in the order {@code kcpj --help} lists them. */
  static Object[] subcommands() {
    return new Object[] {
      new io.kcpj.bench.cli.CompareCommand(),
      new io.kcpj.bench.cli.SweepCommand(),
      new io.kcpj.bench.perf.PerfCommand(),
      new io.kcpj.bench.cli.NetemCommand(),
    };
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Reports the build's version from the jar manifest (or "dev" when run from classes). */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Kcpj.class.getPackage().getImplementationVersion();
      return new String[] {"kcpj " + (v == null ? "dev" : v)};
    }
  }
}
