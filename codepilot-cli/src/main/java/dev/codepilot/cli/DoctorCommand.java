package dev.codepilot.cli;

import dev.codepilot.tools.CommandJail;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code codepilot doctor}: what this machine offers the runtime, and what to install. */
@Command(
    name = "doctor",
    mixinStandardHelpOptions = true,
    description = {
      "Check what this machine offers the runtime: the Java version and whether"
          + " run_command's commands can be confined with bubblewrap."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:everything works",
      "1:commands cannot be confined here (the output says why and what to install)"
    })
final class DoctorCommand implements Callable<Integer> {

  @Override
  public Integer call() {
    PrintStream out = Console.stdout();
    out.println(
        "Java:        "
            + Runtime.version()
            + " ("
            + System.getProperty("java.vm.vendor", "")
            + ")");
    CommandJail.Status jail = CommandJail.status();
    out.println(
        "Confinement: "
            + (jail.available() ? "available" : "NOT available")
            + " - "
            + jail.detail());
    if (!jail.available()) {
      out.println(
          "             With runtime.shell.confine: auto (the default) commands run"
              + " unconfined, with a warning; with always the runtime refuses to start.");
    }
    out.flush();
    return jail.available() ? ExitCodes.DONE : ExitCodes.FAILED;
  }
}
