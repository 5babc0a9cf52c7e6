package dev.codepilot.examples;

import dev.codepilot.AgentRuntime;
import dev.codepilot.hooks.ConsolePrompt;
import dev.codepilot.hooks.PermissionGate;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Reference section 8, permission gating: the agent file marks {@code write_file} and {@code
 * run_command} with {@code require_permission: true}, so each call fires PERMISSION_REQUEST and
 * runs only when the runtime's {@link PermissionGate} approves. A denied call does not raise: the
 * tool returns a "permission denied" text and the block goes on.
 *
 * <p>{@link #interactive} asks a person (here: lines read from standard input); {@link
 * #programmatic} decides by rule, as a web application would. With no gate set, a runtime with
 * console output asks {@code Approve? [y/N]} on the terminal, and denies when there is none.
 *
 * <pre>./codepilot-examples/run.sh PermissionGating</pre>
 */
public final class PermissionGating {

  private PermissionGating() {}

  public static void main(String[] args) throws Exception {
    Path agentFile = Examples.agentFile(args, "permissions");
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    interactive(agentFile, in, System.out);
    programmatic(agentFile, System.out);
  }

  static void interactive(Path agentFile, BufferedReader in, PrintStream out) throws Exception {
    // tag::interactive[]
    PermissionGate askThePerson =
        request -> {
          // request.tool(): "write_file", "run_command", ...; request.description(): this call,
          // shown on one line with line breaks and control characters made visible
          out.println("⚠️  [" + request.tool() + "] " + ConsolePrompt.shown(request.description()));
          out.print("Approve? [y/N]: ");
          out.flush();
          try {
            String answer = in.readLine();
            return answer != null && ConsolePrompt.isYes(answer); // "y" or "yes"
          } catch (IOException e) {
            throw new UncheckedIOException(e); // a gate that throws counts as a denial
          }
        };
    try (AgentRuntime runtime =
        AgentRuntime.builder(agentFile).consoleOutput(out).permissionGate(askThePerson).build()) {
      runtime.run("Deploy the application");
    }
    // end::interactive[]
  }

  static void programmatic(Path agentFile, PrintStream out) throws Exception {
    // tag::programmatic[]
    try (AgentRuntime runtime =
        AgentRuntime.builder(agentFile)
            .consoleOutput(out)
            .permissionGate(
                request ->
                    switch (request.tool()) {
                      case "read_file" -> true;
                      case "run_command" -> request.description().startsWith("Execute: cat ");
                      default -> false; // deny everything else
                    })
            .build()) {
      runtime.run("Deploy the application");
    }
    // end::programmatic[]
  }
}
