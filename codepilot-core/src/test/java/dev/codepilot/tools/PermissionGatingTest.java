package dev.codepilot.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.codepilot.AgentRuntime;
import dev.codepilot.config.AgentConfig;
import dev.codepilot.config.ToolConfig;
import dev.codepilot.hooks.Event;
import dev.codepilot.hooks.EventType;
import dev.codepilot.testing.EventLog;
import dev.codepilot.testing.QueueModel;
import dev.codepilot.testing.TestAgents;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tools with require_permission run only when a PERMISSION_REQUEST handler approves. */
class PermissionGatingTest {

  @TempDir static Path workDir;

  private static Agent agent;
  private static volatile Predicate<Event.PermissionRequest> gate = r -> true;
  private static final List<String> asked = new CopyOnWriteArrayList<>();

  static AgentConfig gatedConfig(Path dir) {
    return TestAgents.config(
        dir,
        20,
        Duration.ofSeconds(10),
        20_000,
        List.of(
            new ToolConfig("write_file", true, Map.of("require_permission", true)),
            new ToolConfig("run_command", true, Map.of("require_permission", true))));
  }

  @BeforeAll
  static void start() throws Exception {
    agent = Agent.with(gatedConfig(workDir));
    agent.runtime.onPermissionRequest(
        request -> {
          asked.add(request.tool() + ": " + request.description());
          return gate.test(request);
        });
  }

  @AfterAll
  static void stop() {
    agent.close();
  }

  @BeforeEach
  void approveByDefault() {
    gate = r -> true;
    asked.clear();
  }

  @Test
  void anApprovedWriteRunsAfterTheRequest() throws Exception {
    String result = agent.step("write_file('approved.txt')", "yes\n");

    assertThat(result).isEqualTo("Wrote 'approved.txt' (4 bytes, 1 lines)");
    assertThat(asked).containsExactly("write_file: Write 'approved.txt' (full file)");
    assertThat(agent.log.types())
        .containsSubsequence(
            EventType.TOOL_CALL, EventType.PERMISSION_REQUEST, EventType.TOOL_RESULT);
  }

  @Test
  void descriptionsSayWhatEachCallWouldDo() throws Exception {
    Files.writeString(workDir.resolve("modes.txt"), "1\n2\n3\n");
    agent.step(
        """
        write_file('modes.txt', mode='a')
        write_file('modes.txt', start_line=2, end_line=3, mode='edit')
        write_file('modes.txt', after_line=1, mode='insert')
        write_file('./sub/../modes.txt')
        run_command('echo hi')
        run_command('sleep 1', background=True)""",
        "a\n",
        "b\n",
        "c\n",
        "d\n");

    assertThat(asked)
        .containsExactly(
            "write_file: Append to 'modes.txt'",
            "write_file: Write 'modes.txt' (replace lines 2–3)",
            "write_file: Write 'modes.txt' (insert after line 1)",
            "write_file: Write 'modes.txt' (full file)",
            "run_command: Execute: echo hi",
            "run_command: Execute: sleep 1 (in the background)");
  }

  @Test
  void aDeniedWriteDoesNotShiftLaterPayloads() throws Exception {
    gate = r -> !r.description().contains("first.txt");
    String result =
        agent.step(
            """
        r = write_file('first.txt')
        print('returned:', r)
        write_file('second.txt')""",
            "payload one\n",
            "payload two\n");

    assertThat(workDir.resolve("first.txt")).doesNotExist();
    assertThat(Files.readString(workDir.resolve("second.txt"))).isEqualTo("payload two\n");
    String denial =
        "[write_file] Permission denied: Write 'first.txt' (full file) was not"
            + " approved by the user.";
    assertThat(result)
        .isEqualTo(
            "returned: " + denial + "\n\n" + denial + "\n\nWrote 'second.txt' (12 bytes, 1 lines)");
    assertThat(agent.log.of(Event.ToolResult.class))
        .extracting(Event.ToolResult::result)
        .containsExactly(denial, "Wrote 'second.txt' (12 bytes, 1 lines)");
  }

  @Test
  void aDeniedCommandDoesNotRun() {
    gate = r -> false;
    String result = agent.step("run_command('touch ran.txt')\nprint('block went on')");

    assertThat(workDir.resolve("ran.txt")).doesNotExist();
    assertThat(result)
        .isEqualTo(
            "block went on\n\n[run_command] Permission denied: Execute:"
                + " touch ran.txt was not approved by the user.");
  }

  @Test
  void onlyBooleanTrueApproves() {
    agent.runtime.hooks().register(EventType.PERMISSION_REQUEST, r -> "yes");
    try {
      agent.step("write_file('stringly.txt')", "x\n");
      assertThat(workDir.resolve("stringly.txt")).doesNotExist();
    } finally {
      agent.runtime.hooks().clear(EventType.PERMISSION_REQUEST);
      agent.runtime.onPermissionRequest(
          request -> {
            asked.add(request.tool() + ": " + request.description());
            return gate.test(request);
          });
    }
  }

  @Test
  void aHandlerThatThrowsDenies() {
    gate =
        r -> {
          throw new IllegalStateException("handler bug");
        };
    agent.runtime.hooks().setErrorReporter(message -> {});
    try {
      String result = agent.step("write_file('thrown.txt')", "x\n");
      assertThat(result).startsWith("[write_file] Permission denied");
      assertThat(workDir.resolve("thrown.txt")).doesNotExist();
    } finally {
      agent.runtime.hooks().setErrorReporter(System.err::println);
    }
  }

  @Test
  void toolsWithoutRequirePermissionAreNotGated() throws Exception {
    gate = r -> false;
    Files.writeString(workDir.resolve("free.txt"), "free\n");
    String result = agent.step("read_file('free.txt')");

    assertThat(result).startsWith("'free.txt' (lines 1–1 of 1)");
    assertThat(asked).isEmpty();
  }

  @Test
  void withNoHandlerEverythingIsDenied(@TempDir Path otherDir) throws Exception {
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    QueueModel model = new QueueModel();
    try (AgentRuntime withConsole =
            AgentRuntime.builder(gatedConfig(otherDir))
                .model(model)
                .consoleOutput(new PrintStream(console, true, StandardCharsets.UTF_8))
                .build();
        AgentRuntime quiet =
            AgentRuntime.builder(gatedConfig(otherDir)).model(model).consoleOutput(false).build()) {
      EventLog log = EventLog.attach(withConsole.hooks());
      // The console's default handler asks only at a terminal; tests have none.
      model.reply(
          TestAgents.block("write_file('console.txt')") + "\n```\nx\n```\n",
          TestAgents.block("done()"));
      withConsole.run("write");
      assertThat(otherDir.resolve("console.txt")).doesNotExist();
      assertThat(log.of(Event.PermissionRequest.class))
          .extracting(Event.PermissionRequest::description)
          .containsExactly("Write 'console.txt' (full file)");

      // A runtime without console output has no handler at all.
      model.reply(
          TestAgents.block("write_file('quiet.txt')") + "\n```\nx\n```\n",
          TestAgents.block("done()"));
      quiet.run("write");
      assertThat(otherDir.resolve("quiet.txt")).doesNotExist();

      // Clearing the handlers (an application's gate included) leaves nobody to approve.
      withConsole.onPermissionRequest(r -> true);
      withConsole.hooks().clear(EventType.PERMISSION_REQUEST);
      model.reply(
          TestAgents.block("write_file('cleared.txt')") + "\n```\nx\n```\n",
          TestAgents.block("done()"));
      withConsole.run("write");
      assertThat(otherDir.resolve("cleared.txt")).doesNotExist();
      assertThat(withConsole.messages().get(withConsole.messages().size() - 3).content())
          .isEqualTo(
              "[EXECUTION RESULT]\n[write_file] Permission denied: Write 'cleared.txt'"
                  + " (full file) was not approved by the user.");
    }
  }
}
