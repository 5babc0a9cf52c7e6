package dev.codepilot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;

/**
 * The command line reads in full only the subcommand its arguments name; whatever it prints for
 * help, the version and mistakes must be what the command line with every subcommand read in full
 * prints.
 */
class CommandLineShapeTest {

  @TempDir static Path dir;

  static List<List<String>> arguments() {
    return List.of(
        List.of(),
        List.of("--help"),
        List.of("-h"),
        List.of("--version"),
        List.of("-V"),
        List.of("--no-daemon", "--help"),
        List.of("--no-daemon", "run", "--help"),
        List.of("help"),
        List.of("help", "run"),
        List.of("help", "sessions", "list"),
        List.of("run", "--help"),
        List.of("run"),
        List.of("run", "--max-step", "3", "agent.yaml", "task"),
        List.of("chat", "-h"),
        List.of("sessions"),
        List.of("sessions", "--help"),
        List.of("sessions", "list", "--help"),
        List.of("sessions", "lst"),
        List.of("init", "--help"),
        List.of("serve", "--help"),
        List.of("mcp", "--help"),
        List.of("eval", "--help"),
        List.of("doctor", "--help"),
        List.of("daemon", "--help"),
        List.of("rnu"),
        List.of("sesions", "list"),
        List.of("--verbose"),
        List.of("--", "run"));
  }

  @ParameterizedTest
  @MethodSource("arguments")
  void printsWhatTheFullCommandLinePrints(List<String> args) {
    String[] array = args.toArray(String[]::new);
    for (Ansi ansi : List.of(Ansi.OFF, Ansi.ON)) {
      Printed full = print(CodePilotCommand.commandLineInFull(), ansi, array);
      Printed lean = print(CodePilotCommand.commandLine(array), ansi, array);
      assertThat(lean).as("%s with %s", args, ansi).isEqualTo(full);
      assertThat(full.out() + full.err()).as("prints something").isNotEmpty();
    }
  }

  @ParameterizedTest
  @MethodSource("arguments")
  void anArgumentFileMayNameAnyCommand(List<String> args) throws Exception {
    Path file = Files.write(dir.resolve("args-" + args.hashCode()), args);
    String[] array = {"@" + file};
    Printed full = print(CodePilotCommand.commandLineInFull(), Ansi.OFF, array);
    Printed lean = print(CodePilotCommand.commandLine(array), Ansi.OFF, array);
    assertThat(lean).as("@file of %s", args).isEqualTo(full);
  }

  @ParameterizedTest
  @MethodSource("arguments")
  void onlyTheNamedCommandIsReadInFull(List<String> args) {
    CommandLine lean = CodePilotCommand.commandLine(args.toArray(String[]::new));
    List<String> inFull =
        lean.getSubcommands().entrySet().stream()
            .filter(e -> e.getValue().getCommand() != null)
            .map(e -> e.getKey())
            .toList();
    if (args.contains("help") && args.indexOf("help") == 0) {
      assertThat(inFull).hasSize(CodePilotCommand.SUBCOMMANDS.size());
    } else {
      assertThat(inFull).hasSizeLessThanOrEqualTo(1);
    }
  }

  private record Printed(int code, String out, String err) {}

  private static Printed print(CommandLine commandLine, Ansi ansi, String[] args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    commandLine.setColorScheme(CommandLine.Help.defaultColorScheme(ansi));
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    // Only commands that print are given here: anything that would run is reported instead.
    commandLine.setExecutionStrategy(
        parsed -> {
          CommandLine.ParseResult last = parsed;
          while (last.subcommand() != null) {
            last = last.subcommand();
          }
          if (last.isUsageHelpRequested()
              || last.isVersionHelpRequested()
              || parsed.isUsageHelpRequested()
              || parsed.isVersionHelpRequested()
              || last.commandSpec().userObject() instanceof CommandLine.HelpCommand
              || last.commandSpec().userObject() instanceof CodePilotCommand) {
            return new CommandLine.RunLast().execute(parsed);
          }
          commandLine.getOut().print("would run " + last.commandSpec().qualifiedName());
          return 0;
        });
    int code = commandLine.execute(args);
    return new Printed(code, out.toString(), err.toString());
  }
}
