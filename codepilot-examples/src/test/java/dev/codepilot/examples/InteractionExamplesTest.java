package dev.codepilot.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.codepilot.RunResult;
import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reference sections 7 to 12: hooks, permissions, injection, tools, abort, the CLI. */
class InteractionExamplesTest {

  @TempDir Path tmp;

  private final Agents.Output out = new Agents.Output();

  @Test
  void hooksReplaceDefaultsAddHandlersAndSeeEveryEventKind() throws Exception {
    HooksExample.run(Agents.copy("hooks", tmp), out.stream());

    assertThat(out.text())
        .containsSubsequence(
            "[Queued] Keep the public function names unchanged",
            "[Injected] Keep the public function names unchanged",
            "--- step 1 of at most 10",
            "[Agent] Refactoring db.py to async SQLAlchemy",
            "[→ ask_user] {question=Which async driver should db.py use: asyncpg or aiosqlite?}",
            "❓ Which async driver should db.py use: asyncpg or aiosqlite?",
            "[→ write_file] {path=db.py}",
            "[← write_file] Wrote 'db.py'",
            "--- step 2 of at most 10",
            "[error] FileNotFoundError: No such file: 'db_sync.py'",
            "--- step 3 of at most 10",
            "✅ db.py now uses an async engine",
            "saved summaries: [db.py now uses an async engine");
    // Replaced defaults print nothing of their own.
    assertThat(out.text()).doesNotContain("💭", "⚙️", "❌ Runtime error");
  }

  @Test
  void interactiveGateAsksForEachCallAndRunsOnlyApprovedOnes() throws Exception {
    Path agentFile = Agents.copy("permissions", tmp);

    PermissionGating.interactive(agentFile, input("y\nyes\nn\n"), out.stream());

    assertThat(out.text())
        .containsSubsequence(
            "⚠️  [write_file] Write 'RELEASE.md' (full file)",
            "Approve? [y/N]: ",
            "Wrote 'RELEASE.md'",
            "⚠️  [run_command] Execute: cat RELEASE.md",
            "Approve? [y/N]: ",
            "# Release 1.2.0",
            "⚠️  [run_command] Execute: rm -rf build",
            "Approve? [y/N]: ",
            "[run_command] Permission denied: Execute: rm -rf build was not approved by the user.",
            "✅ Done: Deployment steps finished");
    assertThat(agentFile.resolveSibling("workspace/RELEASE.md")).exists();
  }

  @Test
  void programmaticGateDecidesByToolAndDescription() throws Exception {
    Path agentFile = Agents.copy("permissions", tmp);

    PermissionGating.programmatic(agentFile, out.stream());

    assertThat(out.text())
        .containsSubsequence(
            "[write_file] Permission denied: Write 'RELEASE.md' (full file) was not approved",
            "$ cat RELEASE.md",
            "[run_command] Permission denied: Execute: rm -rf build was not approved",
            "✅ Done:")
        .doesNotContain("Approve?");
    assertThat(agentFile.resolveSibling("workspace/RELEASE.md")).doesNotExist();
  }

  @Test
  void aMessageFromAnotherThreadEntersTheContextAtTheNextStep() throws Exception {
    MessageInjection.run(Agents.copy("injection", tmp), out.stream());

    assertThat(out.text())
        .isEqualToNormalizingNewlines(
            """
        Agent: Writing strings.py with five helpers
        [Your message is now in context]: Also add type hints to every function
        Agent: Adding type hints to every function, as asked
        in history: [USER MESSAGE] Also add type hints to every function
        """);
  }

  @Test
  void customToolsRunAndTheStricterRunCommandBlocksOrDelegates() throws Exception {
    Path agentFile = Agents.copy("custom-tools", tmp);

    CustomTools.run(agentFile, out.stream());

    assertThat(out.text())
        .containsSubsequence(
            "⚙️ [web_search]({\"query\":\"SQLAlchemy 2.0 async connection pool\"})",
            "💭 Found: SQLAlchemy 2.0: create_async_engine(url, pool_size=..., max_overflow=...)",
            "[run_command] Blocked: 'rm -rf .venv' is not permitted.",
            "$ grep -c create_async_engine pool.py",
            "Return Code: 0",
            "[send_slack] Message sent to #deployments.",
            "✅ Done: Implemented pool.py",
            "Slack got: [#deployments: pool.py: async engine with a pool of 10 connections]");
  }

  @Test
  void annotatedToolsTakeTheirNamesAndDefaultsFromTheMethods() {
    var tools = dev.codepilot.tools.Tools.fromObject(new CustomTools.TeamTools());

    assertThat(tools)
        .extracting(t -> t.signature())
        .containsExactly(
            "list_channels(prefix: str = \"\")", "send_slack(channel: str, message: str)");
  }

  @Test
  void abortFromAnotherThreadEndsTheRunAfterItsCurrentStep() throws Exception {
    RunResult result = AbortExample.run(Agents.copy("abort", tmp), out.stream());

    assertThat(result.outcome()).isEqualTo(RunResult.Outcome.ABORTED);
    // The abort lands during step 1 (which sleeps two seconds); a very slow machine may
    // still let step 2 begin, but never all six.
    assertThat(result.steps()).isBetween(1, 2);
    assertThat(out.text())
        .contains(
            "💭 Step 1 of 6: products", "Run ended: ABORTED after " + result.steps() + " step(s)");
  }

  @Test
  void chatCliRunsTasksAnswersQuestionsAndResets() throws Exception {
    Path agentFile = Agents.copy("chat", tmp);

    ChatCli.chat(
        agentFile,
        input(
            """
        Write a greeting script
        Ada

        reset
        Write a farewell script
        quit
        """),
        out.stream());

    assertThat(out.text())
        .containsSubsequence(
            "CodePilot CLI — type 'reset' to clear history, 'quit' to exit.",
            "You: ",
            "❓ Who should the script greet?",
            "Answer: ",
            "💭 Writing greet.sh for Ada",
            "Hello, Ada!",
            "✅ Created greet.sh",
            "You: ",
            "You: History cleared. Starting fresh.",
            "💭 Writing bye.sh",
            "Goodbye!",
            "✅ Created bye.sh; it prints a farewell.",
            "You: ")
        .doesNotContain("Goodbye."); // quit, not the end of input
    assertThat(agentFile.resolveSibling("workspace/greet.sh")).exists();
  }

  @Test
  void chatCliSaysGoodbyeAtTheEndOfInput() throws Exception {
    ChatCli.chat(Agents.copy("chat", tmp), input(""), out.stream());

    assertThat(out.text())
        .endsWith("You: " + System.lineSeparator() + "Goodbye." + System.lineSeparator());
  }

  private static BufferedReader input(String lines) {
    return new BufferedReader(new StringReader(lines));
  }
}
