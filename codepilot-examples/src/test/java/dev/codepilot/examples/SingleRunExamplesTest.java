package dev.codepilot.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The examples of reference sections 1 to 3: the agent file, basic usage, multi-turn. */
class SingleRunExamplesTest {

  @TempDir Path tmp;

  private final Agents.Output out = new Agents.Output();

  @Test
  void agentFileExamplePrintsTheResolvedSettingsAndTheBrokenFilesError() throws Exception {
    Path agentFile = Agents.copy("agent-file", tmp);

    AgentFileExample.show(agentFile, agentFile.resolveSibling("broken.yaml"), out.stream());

    assertThat(out.text())
        .contains(
            "agent:      BackendEngineer (Expert Python backend engineer",
            "model:      anthropic claude-sonnet-4-5, key from ANTHROPIC_API_KEY",
            "work_dir:   " + agentFile.resolveSibling("workspace"),
            "max_steps:  30",
            "imports:    [re, json, math, datetime, pathlib]",
            "prompt:     Write small, typed FastAPI modules.",
            "tool:       run_command, asks permission, timeout 60 s",
            "broken.yaml:8: agent.runtime.max_steps: must be a positive whole number;"
                + " found the text 'thirty'",
            "field agent.runtime.max_steps on line 8");
  }

  @Test
  void basicUsagePrintsProgressAndTheSummaryAndWritesTheFile() throws Exception {
    Path agentFile = Agents.copy("basic", tmp);

    BasicUsage.run(agentFile, out.stream());

    assertThat(out.text())
        .contains(
            "💭 Writing main.py with a hello-world route",
            "⚙️ [write_file]({\"path\":\"main.py\"})",
            "⚙️ [run_command]({\"command\":\"grep -n '@app.get' main.py\"})",
            "✅ Done: Created main.py")
        .endsWith(
            "Created main.py: a FastAPI app whose GET / returns a greeting."
                + " Start it with: uvicorn main:app"
                + System.lineSeparator());
    assertThat(agentFile.resolveSibling("workspace/main.py"))
        .content()
        .contains("@app.get(\"/\")", "Hello, world!");
  }

  @Test
  void multiTurnRunsShareOneGrowingHistory() throws Exception {
    Path agentFile = Agents.copy("multi-turn", tmp);

    MultiTurn.run(agentFile, out.stream());

    assertThat(out.text())
        .contains(
            "> Create a FastAPI app with a /items GET endpoint",
            "[history: 3 messages]",
            "Added POST /items to main.py",
            "[history: 6 messages]",
            "Added test_main.py with three tests",
            "[history: 9 messages]");
    assertThat(agentFile.resolveSibling("workspace/main.py"))
        .content()
        .contains("@app.get(\"/items\")", "@app.post(\"/items\", status_code=201)");
    assertThat(agentFile.resolveSibling("workspace/test_main.py")).exists();
  }
}
