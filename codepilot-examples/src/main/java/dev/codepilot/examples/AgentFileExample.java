package dev.codepilot.examples;

import dev.codepilot.config.AgentConfig;
import dev.codepilot.config.AgentFile;
import dev.codepilot.config.AgentFileException;
import dev.codepilot.config.ToolConfig;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Reference section 1, the agent file: loads one, prints what it resolved to, and shows the error a
 * broken one gets. Loading never creates a model, so this needs no API key.
 *
 * <pre>./codepilot-examples/run.sh AgentFileExample</pre>
 */
public final class AgentFileExample {

  private AgentFileExample() {}

  public static void main(String[] args) throws Exception {
    Path agentFile = Examples.agentFile(args, "agent-file");
    show(agentFile, agentFile.resolveSibling("broken.yaml"), System.out);
  }

  static void show(Path agentFile, Path brokenFile, PrintStream out) throws AgentFileException {
    // tag::load[]
    AgentConfig config = AgentFile.load(agentFile);
    out.println("agent:      " + config.name() + " (" + config.role() + ")");
    out.println(
        "model:      "
            + config.model().provider()
            + " "
            + config.model().name()
            + ", key from "
            + config.model().apiKeyEnv().orElse("the provider's default variable"));
    out.println("work_dir:   " + config.runtime().workDir()); // absolute, next to the YAML
    out.println("max_steps:  " + config.runtime().maxSteps());
    out.println("imports:    " + config.runtime().allowedImports());
    out.println("prompt:     " + config.systemPrompt().lines().findFirst().orElse(""));
    for (ToolConfig tool : config.tools()) {
      out.println(
          "tool:       "
              + tool.name()
              + (tool.enabled() ? "" : " (disabled)")
              + (tool.requirePermission() ? ", asks permission" : "")
              + tool.timeout().map(t -> ", timeout " + t.toSeconds() + " s").orElse(""));
    }
    // end::load[]

    // tag::error[]
    try {
      AgentFile.load(brokenFile);
    } catch (AgentFileException e) {
      // One line: file, line, field, what is wrong and what to do.
      out.println("error:      " + e.getMessage());
      out.println("            field " + e.field() + " on line " + e.line());
    }
    // end::error[]
  }
}
