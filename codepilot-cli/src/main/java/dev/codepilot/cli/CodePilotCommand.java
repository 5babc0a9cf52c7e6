package dev.codepilot.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The {@code codepilot} command and its subcommands. */
@Command(
    name = "codepilot",
    mixinStandardHelpOptions = true,
    versionProvider = CodePilotCommand.Version.class,
    description = "Code-native agents: the model writes Python that runs in a GraalPy sandbox.",
    footerHeading = "%nGet started:%n",
    footer = {
      "  codepilot init my-agent",
      "  codepilot run my-agent/agent.yaml \"Say hello\"",
      "  codepilot chat my-agent/agent.yaml"
    })
final class CodePilotCommand implements Runnable {

  @Spec CommandSpec spec;

  // The launcher reads it; accepted here so that the same command line works with java -jar.
  @Option(
      names = "--no-daemon",
      description = "Run in this process, not in a background daemon (or CODEPILOT_DAEMON=off).")
  boolean noDaemon;

  /** The subcommands, in the order the help lists them. */
  static final List<Class<?>> SUBCOMMANDS =
      List.of(
          RunCommand.class,
          ChatCommand.class,
          SessionsCommand.class,
          InitCommand.class,
          ServeCommand.class,
          McpCommand.class,
          EvalCommand.class,
          DoctorCommand.class,
          DaemonCommand.class,
          CommandLine.HelpCommand.class);

  /**
   * The command line for these arguments. Picocli reads every option of a command by reflection
   * when the command is added, which was most of what a short command such as {@code --version}
   * cost; so only the subcommand the arguments name is read in full. The others are known by their
   * {@code @Command} annotation alone (name, aliases, description), which is all that the list of
   * commands in the help and picocli's suggestions for a mistyped command use. {@code help} and an
   * {@code @file} of arguments may name any command: then all are read in full.
   */
  static CommandLine commandLine(String... args) {
    String named = firstPositional(args);
    boolean all = named != null && (named.equals("help") || named.startsWith("@"));
    return commandLine(all, named);
  }

  /** The command line with every subcommand read in full, as picocli's annotation would make it. */
  static CommandLine commandLineInFull() {
    return commandLine(true, null);
  }

  private static CommandLine commandLine(boolean all, String named) {
    CommandLine commandLine = new CommandLine(new CodePilotCommand());
    for (Class<?> type : SUBCOMMANDS) {
      Command command = type.getAnnotation(Command.class);
      if (all || names(command, named)) {
        commandLine.addSubcommand(command.name(), new CommandLine(type), command.aliases());
      } else {
        CommandSpec summary = CommandSpec.create();
        summary.updateCommandAttributes(command, CommandLine.defaultFactory());
        commandLine.addSubcommand(command.name(), summary, command.aliases());
      }
    }
    return commandLine;
  }

  /** The first argument that is not an option: the subcommand, if the arguments name one. */
  private static String firstPositional(String[] args) {
    for (String arg : args) {
      if (arg.equals("--")) {
        return null;
      }
      if (!arg.startsWith("-")) {
        return arg;
      }
    }
    return null;
  }

  private static boolean names(Command command, String named) {
    if (command.name().equals(named)) {
      return true;
    }
    for (String alias : command.aliases()) {
      if (alias.equals(named)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
  }

  /** Reads the version the build wrote into the jar. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      Properties properties = new Properties();
      try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
        if (in != null) {
          properties.load(in);
        }
      }
      return new String[] {
        "codepilot " + properties.getProperty("version", "unknown"),
        "Java " + Runtime.version() + " (" + System.getProperty("java.vm.vendor", "") + ")"
      };
    }
  }
}
