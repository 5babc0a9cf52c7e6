package dev.codepilot.cli;

import java.io.IOException;
import java.io.InputStream;
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
    },
    subcommands = {
      RunCommand.class,
      ChatCommand.class,
      SessionsCommand.class,
      InitCommand.class,
      ServeCommand.class,
      McpCommand.class,
      EvalCommand.class,
      DoctorCommand.class,
      DaemonCommand.class,
      CommandLine.HelpCommand.class
    })
final class CodePilotCommand implements Runnable {

  @Spec CommandSpec spec;

  // The launcher reads it; accepted here so that the same command line works with java -jar.
  @Option(
      names = "--no-daemon",
      description = "Run in this process, not in a background daemon (or CODEPILOT_DAEMON=off).")
  boolean noDaemon;

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
