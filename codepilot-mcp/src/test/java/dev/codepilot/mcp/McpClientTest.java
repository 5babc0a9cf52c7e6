package dev.codepilot.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.codepilot.AgentRuntime;
import dev.codepilot.RunResult;
import dev.codepilot.hooks.Event;
import dev.codepilot.hooks.EventType;
import dev.codepilot.model.Message;
import dev.codepilot.tools.ToolSourceException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MCP tools in control blocks, against the npm reference servers started over stdio. */
class McpClientTest {

  @TempDir Path dir;

  @Test
  void blocksCallServerToolsAsMethodsWithCheckedArguments() throws Exception {
    Path agent =
        Agents.write(
            dir,
            Agents.stdio("everything", NpmServers.everything(), ""),
            List.of(
                """
            print("echo:", everything.echo(message="hi"))
            print("sum:", everything.get_sum(a=2, b=3.5))
            weather = everything.get_structured_content(location="Chicago")
            print("structured:", type(weather).__name__, sorted(weather))
            image = everything.get_tiny_image()
            print("image:", [(i.type, i.mime_type, len(i.data) > 100) for i in image
                             if isinstance(i, McpContent)])
            for bad in ({}, {"message": 5}):
                try:
                    everything.echo(**bad)
                except TypeError as e:
                    print("TypeError:", e)
            help(everything.get_annotated_message)
            help(everything)
            done("called")
            """));
    List<Event> events = new CopyOnWriteArrayList<>();
    try (AgentRuntime runtime = AgentRuntime.builder(agent).consoleOutput(false).build()) {
      runtime.hooks().observe(EventType.TOOL_CALL, events::add);
      runtime.hooks().observe(EventType.TOOL_RESULT, events::add);
      RunResult result = runtime.run("call the tools");
      String output = results(runtime);
      assertThat(result.finished()).as(output).isTrue();
      assertThat(output)
          .contains("echo: Echo: hi")
          .contains("sum: The sum of 2 and 3.5 is 5.5.")
          .contains("structured: dict ['conditions', 'humidity', 'temperature']")
          .contains("image: [('image', 'image/png', True)]")
          .containsPattern("\\[image image/png, [0-9.]+ KB\\]")
          .contains(
              "TypeError: everything.echo() missing 1 required positional argument:" + " 'message'")
          .contains(
              "TypeError: everything.echo() arguments do not match the tool's input" + " schema")
          .contains(
              "everything.get_annotated_message(messageType: Literal[\"error\","
                  + " \"success\", \"debug\"], includeImage: bool = False)")
          .contains("messageType (Literal[\"error\", \"success\", \"debug\"]): Type of message")
          .contains("everything: tools of the MCP server everything")
          .contains("everything.get_sum(a: float, b: float)");
      // Checked calls that failed were never sent: four calls reached the server.
      assertThat(events)
          .filteredOn(e -> e instanceof Event.ToolCall)
          .extracting(e -> ((Event.ToolCall) e).tool())
          .containsExactly(
              "everything.echo",
              "everything.get_sum",
              "everything.get_structured_content",
              "everything.get_tiny_image",
              "everything.echo");
      // The call with the wrong type raised before anything was sent.
      assertThat(events)
          .filteredOn(e -> e instanceof Event.ToolResult)
          .extracting(e -> ((Event.ToolResult) e).result())
          .last()
          .asString()
          .startsWith("TypeError: everything.echo() arguments do not match");
      String prompt = runtime.systemPrompt();
      // More than ten tools: listed by name, help() gives the rest.
      assertThat(prompt)
          .contains("## MCP servers")
          .contains("- `everything`: echo, get_annotated_message, get_env,")
          .doesNotContain("Echoes back the input string")
          .doesNotContain("messageType");
    }
  }

  @Test
  void serverErrorsRaiseMcpErrorAndBadServersFailInTheBlockWhileTheRunGoesOn() throws Exception {
    Path agent =
        Agents.write(
            dir,
            Agents.stdio("bad", NpmServers.misbehaving(), "timeout: 3"),
            List.of(
                """
            first = bad.ok()
            try:
                bad.fail(why="disk full")
            except McpError as e:
                print("McpError:", e)
            for tool in (bad.hang, bad.big, bad.crash):
                try:
                    tool()
                except Exception as e:
                    print(type(e).__name__ + ":", str(e)[:300])
            second = bad.ok()
            print("restarted:", first != second)
            try:
                bad.crash()
            except Exception as e:
                print("again:", type(e).__name__)
            try:
                bad.ok()
            except Exception as e:
                print("then:", type(e).__name__, str(e)[:200])
            done("survived")
            """));
    try (AgentRuntime runtime = AgentRuntime.builder(agent).consoleOutput(false).build()) {
      List<String> errors = new CopyOnWriteArrayList<>();
      runtime.hooks().on(Event.RuntimeError.class, e -> errors.add(e.error()));
      RunResult result = runtime.run("misbehave");
      String output = results(runtime);
      // The restart is an event too, for hooks, the console and --json.
      assertThat(errors)
          .as(output)
          .containsOnlyOnce(
              "MCP server 'bad' had stopped (exit code"
                  + " 3); it was restarted (a server is restarted once)");
      assertThat(result.finished()).as(output).isTrue();
      assertThat(output)
          .contains("McpError: bad.fail: failed: disk full")
          .contains("TimeoutError: MCP server 'bad' did not answer hang within 3 s")
          .contains("RuntimeError: bad.big returned 10.0 MB of content, more than the 4.0 MB")
          .contains(
              "RuntimeError: MCP server 'bad' stopped during the call to crash (exit" + " code 3)")
          .contains("warning: the MCP server had stopped (exit code 3); it was restarted")
          .contains("restarted: True")
          .contains("again: RuntimeError")
          .contains(
              "then: RuntimeError MCP server 'bad' stopped (exit code 3) again after a"
                  + " restart");
    }
  }

  @Test
  void aServerThatAnswersGarbageTimesOutAndIsRestartedForTheNextCall() throws Exception {
    Path agent =
        Agents.write(
            dir,
            Agents.stdio("bad", NpmServers.misbehaving(), "timeout: 2"),
            List.of(
                """
            try:
                bad.garbage()
            except TimeoutError as e:
                print("TimeoutError:", e)
            print("pid:", bad.ok())
            done()
            """));
    try (AgentRuntime runtime = AgentRuntime.builder(agent).consoleOutput(false).build()) {
      RunResult result = runtime.run("garbage");
      String output = results(runtime);
      assertThat(result.finished()).as(output).isTrue();
      assertThat(output)
          .contains("TimeoutError: MCP server 'bad' did not answer garbage within 2 s")
          .contains("warning: the MCP server had stopped answering; it was restarted")
          .containsPattern("pid: [0-9a-f-]{36}");
    }
  }

  @Test
  void aServerThatCannotStartIsNamedWithItsCause() throws Exception {
    Path agent =
        Agents.write(
            dir,
            Agents.stdio("ghost", List.of("/no/such/program"), ""),
            List.of("print(ghost)\ndone()"));
    try (AgentRuntime runtime = AgentRuntime.builder(agent).consoleOutput(false).build()) {
      assertThatThrownBy(() -> runtime.run("anything"))
          .isInstanceOf(ToolSourceException.class)
          .hasMessageContaining("MCP server 'ghost' (/no/such/program) could not be started");
    }
  }

  @Test
  void onlyTheListedToolsAreOfferedAndPermissionGatesEveryCall() throws Exception {
    Path agent =
        Agents.write(
            dir,
            Agents.stdio(
                "everything",
                NpmServers.everything(),
                "tools: [echo, get-env]\nrequire_permission: true\nenv: {LOG_LEVEL: warn}"),
            List.of(
                """
            print(everything.echo(message="one"))
            env = everything.get_env()
            try:
                everything.get_sum(a=1, b=2)
            except AttributeError as e:
                print("AttributeError:", e)
            done()
            """));
    List<String> asked = new CopyOnWriteArrayList<>();
    try (AgentRuntime runtime = AgentRuntime.builder(agent).consoleOutput(false).build()) {
      runtime.onPermissionRequest(
          request -> {
            asked.add(request.tool() + ": " + request.description());
            return request.tool().equals("everything.get_env");
          });
      runtime.run("ask");
      String output = results(runtime);
      assertThat(asked)
          .containsExactly(
              "everything.echo: Call everything.echo(message=\"one\")",
              "everything.get_env: Call everything.get_env()");
      // The server sees the allow-listed environment and its env:, nothing else of the JVM's.
      assertThat(System.getenv("JAVA_HOME")).isNotNull();
      assertThat(output)
          .contains("\"LOG_LEVEL\": \"warn\"")
          .contains("\"PATH\"")
          .doesNotContain("JAVA_HOME");
      assertThat(output)
          .contains("Permission denied")
          .contains("AttributeError:")
          .contains("get_sum");
      assertThat(runtime.systemPrompt()).contains("  - echo:").doesNotContain("get_sum");
    }
  }

  @Test
  void aToolsEntryNamingAMissingToolIsRefusedAtStart() throws Exception {
    Path agent =
        Agents.write(
            dir,
            Agents.stdio("everything", NpmServers.everything(), "tools: [echo, no_such_tool]"),
            List.of("done()"));
    try (AgentRuntime runtime = AgentRuntime.builder(agent).consoleOutput(false).build()) {
      assertThatThrownBy(runtime::systemPrompt)
          .isInstanceOf(ToolSourceException.class)
          .hasMessageContaining("MCP server 'everything' (line 9) has no tool 'no_such_tool'")
          .hasMessageContaining("get-sum");
    }
  }

  static String results(AgentRuntime runtime) {
    return runtime.messages().stream()
        .map(Message::content)
        .filter(c -> c.startsWith("[EXECUTION RESULT]"))
        .collect(Collectors.joining("\n"));
  }
}
