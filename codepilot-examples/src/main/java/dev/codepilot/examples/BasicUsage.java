package dev.codepilot.examples;

import dev.codepilot.AgentRuntime;
import dev.codepilot.RunResult;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Reference section 2, basic usage: build a runtime from an agent file, run one task, print what
 * the agent reported. The default console handlers print its progress as it works.
 *
 * <pre>./codepilot-examples/run.sh BasicUsage</pre>
 */
public final class BasicUsage {

  private BasicUsage() {}

  public static void main(String[] args) throws Exception {
    run(Examples.agentFile(args, "basic"), System.out);
  }

  static void run(Path agentFile, PrintStream out) throws Exception {
    // tag::basic[]
    try (AgentRuntime runtime = AgentRuntime.builder(agentFile).consoleOutput(out).build()) {
      RunResult result = runtime.run("Create a FastAPI hello-world server in main.py");
      // The summary the agent passed to done(); empty when the run ended any other way.
      out.println(result.summary().orElse("No summary: the run ended with " + result.outcome()));
    }
    // end::basic[]
  }
}
