package dev.codepilot.examples;

import dev.codepilot.AgentRuntime;
import dev.codepilot.RunResult;
import dev.codepilot.config.AgentConfig;
import dev.codepilot.config.RuntimeConfig;
import dev.codepilot.config.ToolConfig;
import dev.codepilot.model.ChatModels;
import dev.codepilot.model.Message;
import dev.codepilot.model.ModelConfig;
import dev.codepilot.model.RecordingModel;
import dev.codepilot.session.FileSession;
import dev.codepilot.session.InMemorySession;
import dev.codepilot.session.Session;
import dev.codepilot.session.Sessions;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Reference section 14, the full API surface: an agent configured in code instead of YAML, every
 * builder option, the run result, what a runtime lets you inspect, and the session backends used
 * directly.
 *
 * <pre>./codepilot-examples/run.sh ApiSurface</pre>
 */
public final class ApiSurface {

  private ApiSurface() {}

  public static void main(String[] args) throws Exception {
    Path agentDir = Examples.agentFile(args, "api").getParent();
    tour(
        agentDir.resolve("cassette.json"),
        agentDir.resolve("workspace"),
        Examples.sessionDir(),
        System.out);
  }

  static void tour(Path cassette, Path workDir, Path sessionDir, PrintStream out) throws Exception {
    // tag::model[]
    ModelConfig local =
        ModelConfig.builder() // the agent file's model: section
            .provider("openai") // required; the rest have defaults
            .name("llama3.1")
            .baseUrl(URI.create("http://localhost:11434/v1"))
            .temperature(0.2)
            .build();
    // end::model[]
    out.println(
        "model:    "
            + local.provider()
            + " "
            + local.name()
            + " at "
            + local.baseUrl().orElseThrow()
            + ", max tokens "
            + local.maxTokens());

    // tag::config[]
    AgentConfig config =
        AgentConfig.builder()
            .name("Calculator") // required
            .role("Does arithmetic carefully.") // default: none
            .systemPrompt("Show your working with print().")
            .model(ModelConfig.replay(cassette)) // required; or ModelConfig.builder()...build()
            .runtime(RuntimeConfig.defaults(workDir)) // max_steps 20, ...; or just .workDir(..)
            .tool(new ToolConfig("run_command", false, Map.of())) // disabled; the rest as default
            .build();
    // end::config[]

    // tag::builder[]
    Path recording = workDir.resolve("recorded.json");
    try (AgentRuntime runtime =
        AgentRuntime.builder(config) // or builder(Path.of("agent.yaml"))
            .session(
                new InMemorySession("api-tour")) // or .session("file").sessionId(..).sessionDir(..)
            .model(new RecordingModel(ChatModels.create(config.model()), recording))
            .maxSteps(5) // overrides runtime.max_steps
            .consoleOutput(false) // the default: no console handlers
            .askUserHandler(question -> "yes") // who answers ask_user
            .build()) {
      // end::builder[]

      // tag::result[]
      RunResult result = runtime.run("What is 6 x 7?");
      out.println("outcome:  " + result.outcome() + " (finished: " + result.finished() + ")");
      out.println("summary:  " + result.summary().orElse("-"));
      out.println("steps:    " + result.steps());
      out.println(
          "tokens:   "
              + result.usage().totalInputTokens()
              + " in, "
              + result.usage().outputTokens()
              + " out"); // a replay reports none
      out.println("error:    " + result.error().orElse("none"));
      // end::result[]

      // tag::inspect[]
      out.println("tools:    " + runtime.registry().names()); // run_command is disabled
      out.println("prompt:   " + runtime.systemPrompt().lines().findFirst().orElseThrow());
      for (Message m : runtime.messages()) {
        out.println("message:  " + m.role() + " " + m.content().lines().findFirst().orElse(""));
      }
      out.println("session:  " + runtime.session().sessionId());
      out.println(
          "running:  "
              + runtime.isRunning()
              + ", background commands: "
              + runtime.backgroundProcesses().list().size());
      out.println("recorded: " + recording.getFileName());
      // end::inspect[]
    }

    // tag::sessions[]
    Session memory = Sessions.create("memory", "scratch", "Calculator", null);
    memory.save(List.of(Message.user("[USER INPUT]\nhello")));
    out.println("memory:   " + memory.load().size() + " message");

    try (FileSession file = new FileSession("calc", "Calculator", sessionDir)) {
      file.save(
          List.of(
              Message.user("[USER INPUT]\nWhat is 6 x 7?"),
              Message.assistant("```python\ndone('42')\n```"))); // atomic, durable write
      out.println(
          "file:     "
              + file.path().getFileName()
              + " exists: "
              + file.exists()
              + ", "
              + file.metadata().orElseThrow().messageCount()
              + " messages");
      out.println(
          "listed:   "
              + FileSession.list(sessionDir).sessions().stream().map(s -> s.sessionId()).toList());
      file.reset(); // deletes the file
      out.println("reset:    exists: " + file.exists());
    }
    // end::sessions[]
  }
}
