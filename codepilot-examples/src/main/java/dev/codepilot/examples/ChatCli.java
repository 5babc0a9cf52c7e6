package dev.codepilot.examples;

import dev.codepilot.AgentRuntime;
import dev.codepilot.hooks.ConsolePrompt;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Reference section 12, building a CLI tool: a conversational command line on an in-memory session.
 * Each line is a task; {@code reset} clears the history, {@code quit} (or the end of input) exits.
 * The agent's questions ({@code ask_user}) and permission requests are answered from the same
 * input.
 *
 * <pre>./codepilot-examples/run.sh ChatCli</pre>
 */
public final class ChatCli {

  private ChatCli() {}

  public static void main(String[] args) throws Exception {
    chat(
        Examples.agentFile(args, "chat"),
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)),
        System.out);
  }

  // tag::chat[]
  static void chat(Path agentFile, BufferedReader in, PrintStream out) throws Exception {
    try (AgentRuntime runtime =
        AgentRuntime.builder(agentFile)
            .session("memory")
            .consoleOutput(out) // tool calls and results
            .askUserHandler(question -> Objects.requireNonNullElse(prompt(in, out, "Answer: "), ""))
            .build()) {
      runtime.onThink(e -> out.println("\n  💭 " + e.message()));
      runtime.onFinish(e -> out.println("\n✅ " + e.summary() + "\n"));
      runtime.onAskUser(e -> out.println("\n❓ " + e.question()));
      runtime.onPermissionRequest(
          request -> {
            String answer =
                prompt(
                    in,
                    out,
                    "⚠️  [" + request.tool() + "] " + request.description() + "\nApprove? [y/N]: ");
            return answer != null && ConsolePrompt.isYes(answer);
          });

      out.println("CodePilot CLI — type 'reset' to clear history, 'quit' to exit.\n");
      while (true) {
        String line = prompt(in, out, "You: ");
        if (line == null) { // end of input (Ctrl-D)
          out.println("\nGoodbye.");
          return;
        }
        String task = line.strip();
        if (task.isEmpty()) {
          continue;
        }
        if (task.equalsIgnoreCase("quit")) {
          return;
        }
        if (task.equalsIgnoreCase("reset")) {
          runtime.reset();
          out.println("History cleared. Starting fresh.\n");
          continue;
        }
        runtime.run(task);
      }
    }
  }

  /** Prints the prompt and reads one line; null at the end of input. */
  static String prompt(BufferedReader in, PrintStream out, String prompt) {
    out.print(prompt);
    out.flush();
    try {
      return in.readLine();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
  // end::chat[]
}
