package dev.codepilot.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.codepilot.config.AgentConfig;
import dev.codepilot.config.ToolConfig;
import dev.codepilot.hooks.Event;
import dev.codepilot.hooks.EventType;
import dev.codepilot.testing.TestAgents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** Which built-ins a runtime offers, ask_user, and replacing a built-in. */
class BuiltinToolsTest {

  @TempDir Path workDir;

  private static AgentConfig withTools(Path dir, ToolConfig... tools) {
    return TestAgents.config(dir, 20, Duration.ofSeconds(10), 20_000, List.of(tools));
  }

  @Test
  void everyBuiltinIsOnUnlessTheAgentFileDisablesIt() throws Exception {
    try (Agent all = Agent.in(workDir)) {
      assertThat(all.runtime.registry().names())
          .containsExactly(
              "ask_user",
              "command_output",
              "done",
              "read_file",
              "run_command",
              "stop_command",
              "think",
              "write_file");
      assertThat(all.runtime.systemPrompt())
          .contains(
              "- `write_file(path: str, start_line: int = None, end_line: int = None,"
                  + " after_line: int = None, mode: str = \"w\")`: Write the next payload block")
          .contains("- `read_file(path: str, start_line: int = 1, end_line: int = None)`:")
          .contains("- `run_command(command: str, timeout: int = None, background: bool = False)`:")
          .contains("- `ask_user(question: str)`:");
    }
  }

  @Test
  void thePromptNamesTheWorkspaceNotTheHostsFolders() throws Exception {
    try (Agent confined = Agent.in(workDir)) {
      assertThat(confined.runtime.systemPrompt())
          .contains("Working directory: the workspace")
          .doesNotContain(workDir.toString())
          .doesNotContain(workDir.toRealPath().toString());
    }
    try (Agent unsafe = Agent.in(workDir, Agent::unsafe)) {
      assertThat(unsafe.runtime.systemPrompt()).contains("Working directory: " + workDir);
    }
  }

  @Test
  void aDisabledBuiltinIsNeitherOfferedNorCallable() throws Exception {
    AgentConfig config =
        withTools(
            workDir,
            new ToolConfig("run_command", false, Map.of()),
            new ToolConfig("write_file", false, Map.of()),
            new ToolConfig("think", false, Map.of()),
            new ToolConfig("done", false, Map.of()));
    try (Agent limited = Agent.with(config)) {
      assertThat(limited.runtime.registry().offered(config))
          .extracting(ToolDefinition::name)
          .containsExactly("ask_user", "done", "read_file", "think");
      String prompt = limited.runtime.systemPrompt();
      String toolSection = prompt.substring(prompt.indexOf("# Tools"), prompt.indexOf("# Example"));
      assertThat(toolSection)
          .doesNotContain("run_command(")
          .doesNotContain("write_file(")
          .doesNotContain("command_output(")
          .contains("think(")
          .contains("done(");

      String result =
          limited.step(
              "think('still here')\ntry:\n    run_command('touch x')\n"
                  + "except NameError as e:\n    print('NameError')");
      assertThat(result).isEqualTo("NameError");
      assertThat(workDir.resolve("x")).doesNotExist();
      assertThat(limited.log.of(Event.Think.class)).hasSize(1);
      assertThat(limited.log.of(Event.Finish.class)).hasSize(1);
    }
  }

  @Test
  void askUserReturnsTheAnswerAndRecordsTheExchange() throws Exception {
    List<String> questions = new CopyOnWriteArrayList<>();
    try (Agent asking = Agent.in(workDir)) {
      asking.runtime.setAskUserHandler(
          question -> {
            questions.add(question);
            return question.contains("name") ? "Ada" : "";
          });
      String result =
          asking.step(
              "name = ask_user('What is your name?')\n"
                  + "print('Hello', name)\nask_user('Anything else?')");

      assertThat(result)
          .isEqualTo(
              "Hello Ada\n\n[ask_user] Q: What is your name?\nA: Ada\n\n"
                  + "[ask_user] Q: Anything else?\nA: (no answer)");
      assertThat(questions).containsExactly("What is your name?", "Anything else?");
      assertThat(asking.log.types())
          .containsSubsequence(
              EventType.TOOL_CALL,
              EventType.ASK_USER,
              EventType.TOOL_RESULT,
              EventType.TOOL_CALL,
              EventType.ASK_USER,
              EventType.TOOL_RESULT);
      assertThat(asking.log.of(Event.AskUser.class))
          .extracting(Event.AskUser::question)
          .containsExactly("What is your name?", "Anything else?");
    }
  }

  @Test
  @DisabledOnOs(OS.WINDOWS)
  void aReplacementOfRunCommandCanDelegateToTheOriginal() throws Exception {
    try (Agent guarded = Agent.in(workDir)) {
      ToolDefinition original = guarded.runtime.registry().get("run_command").orElseThrow();
      guarded.runtime.registerTool(
          Tools.builder("run_command")
              .description("Run a shell command. Read-only operations only.")
              .param("command", PyType.STR)
              .optionalParam("timeout", PyType.INT, null)
              .optionalParam("background", PyType.BOOL, false)
              .handler(
                  call -> {
                    String command = call.string("command");
                    if (List.of("rm", ">", "sudo").stream().anyMatch(command::contains)) {
                      return "[run_command] Blocked: '" + command + "' is not permitted.";
                    }
                    return call.delegate(original);
                  })
              .build(),
          true);
      Files.writeString(workDir.resolve("keep.txt"), "kept\n");

      String result =
          guarded.step(
              "print(run_command('rm keep.txt'))\n"
                  + "out = run_command('cat keep.txt')\nprint('kept' in out)");

      assertThat(workDir.resolve("keep.txt")).exists();
      assertThat(result)
          .isEqualTo(
              "[run_command] Blocked: 'rm keep.txt' is not permitted.\nTrue\n\n"
                  + "[run_command] Blocked: 'rm keep.txt' is not permitted.\n\n"
                  + "$ cat keep.txt\nSTDOUT:\nkept\nReturn Code: 0");
      assertThat(guarded.runtime.systemPrompt())
          .contains(
              "- `run_command(command: str, timeout: int = None, background: bool = False)`:"
                  + " Run a shell command. Read-only operations only.");
    }
  }

  @Test
  @DisabledOnOs(OS.WINDOWS)
  void anAnnotatedReplacementCanDelegateToAFreshBuiltin() throws Exception {
    class SafeShell {
      private final ToolDefinition builtin = BuiltinTools.runCommand();

      @Tool(name = "run_command", value = "Run a shell command; only echo is allowed.")
      public Object run(ToolInvocation call, String command) throws Exception {
        if (!command.startsWith("echo ")) {
          call.context().appendExecution("[run_command] Blocked: '" + command + "'");
          return null;
        }
        return call.delegate(builtin, Map.of("command", command, "timeout", 5));
      }
    }
    try (Agent guarded = Agent.in(workDir)) {
      guarded.runtime.registerTools(new SafeShell(), true);

      String result = guarded.step("run_command('ls /')\nrun_command('echo allowed')");

      assertThat(result)
          .isEqualTo(
              "[run_command] Blocked: 'ls /'\n\n$ echo allowed\nSTDOUT:\n"
                  + "allowed\nReturn Code: 0");
      assertThat(guarded.log.of(Event.ToolResult.class))
          .extracting(Event.ToolResult::result)
          .containsExactly(
              "[run_command] Blocked: 'ls /'", "$ echo allowed\nSTDOUT:\nallowed\nReturn Code: 0");
    }
  }
}
