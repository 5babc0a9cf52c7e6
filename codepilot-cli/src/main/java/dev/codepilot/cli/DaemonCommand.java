package dev.codepilot.cli;

import dev.codepilot.daemon.DaemonControl;
import java.util.List;
import picocli.CommandLine.Command;

/**
 * {@code codepilot daemon status|stop}: the warm background hosts the launcher starts for commands
 * that run agents. The launcher answers these itself through the thin client; this command gives
 * the same answers when the CLI is run directly ({@code java -jar}).
 */
@Command(
    name = "daemon",
    mixinStandardHelpOptions = true,
    description = {
      "List or stop your codepilot daemons: warm background JVMs that run"
          + " the run, chat and eval commands started through ./codepilot.",
      "Turn them off with --no-daemon or CODEPILOT_DAEMON=off."
    })
final class DaemonCommand {

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "List your daemons: pid, state, idle time, build, directory and log.")
  int status() {
    return DaemonControl.run(
        List.of("status"), System.getenv(), Console.stdout(), Console.stderr());
  }

  @Command(
      name = "stop",
      mixinStandardHelpOptions = true,
      description = "Stop your daemons (a busy one when its command ends).")
  int stop() {
    return DaemonControl.run(List.of("stop"), System.getenv(), Console.stdout(), Console.stderr());
  }
}
