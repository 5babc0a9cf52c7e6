package dev.codepilot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.codepilot.config.AgentFile;
import dev.codepilot.config.AgentFileException;
import dev.codepilot.hooks.Event;
import dev.codepilot.hooks.EventJson;
import dev.codepilot.internal.Json;
import dev.codepilot.model.ChatModel;
import dev.codepilot.model.Message;
import dev.codepilot.model.ModelException;
import dev.codepilot.model.ModelReply;
import dev.codepilot.model.ModelRequest;
import dev.codepilot.model.StopReason;
import dev.codepilot.model.Usage;
import dev.codepilot.session.FileSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sub-agents: agents that a parent's blocks call as functions. */
class SubAgentsTest {

  @TempDir Path dir;

  /** Writes an agent file and its cassette of scripted replies. */
  private Path agent(String file, String name, List<String> replies, String extra)
      throws Exception {
    Path cassette = dir.resolve(file.replace(".yaml", ".json"));
    Files.writeString(cassette, Json.write(Map.of("responses", replies)));
    Path path = dir.resolve(file);
    Files.writeString(
        path,
        """
        agent:
          name: "%s"
          role: "%s in a team."
          model: {provider: replay, cassette: "%s"}
          runtime: {work_dir: "./ws-%s", max_steps: 4}
        %s"""
            .formatted(name, name, cassette.getFileName(), name, extra.indent(2)));
    return path;
  }

  private static String block(String code) {
    return "```python\n" + code + "\n```";
  }

  private static List<String> results(List<Message> messages) {
    return messages.stream()
        .map(Message::content)
        .filter(c -> c.startsWith("[EXECUTION RESULT]"))
        .toList();
  }

  @Test
  void aSubAgentReturnsItsSummaryAndItsEventsReachTheParentTagged() throws Exception {
    agent("researcher.yaml", "Researcher", List.of(block("think('looking')\ndone('X is 42')")), "");
    Path parent =
        agent(
            "lead.yaml",
            "Lead",
            List.of(block("found = researcher('find X')\nprint('got', found)\ndone(found)")),
            """
        agents:
          - name: researcher
            file: ./researcher.yaml
            description: "Finds facts."
        """);

    List<Event> events = new CopyOnWriteArrayList<>();
    try (AgentRuntime runtime = AgentRuntime.builder(parent).build()) {
      runtime.hooks().on(Event.class, events::add);
      assertThat(runtime.systemPrompt())
          .contains("researcher(task: str) -> str")
          .contains("Finds facts.");
      RunResult result = runtime.run("Find X");
      assertThat(result.summary()).contains("X is 42");
      // Like any tool's value, the summary also shows in the execution result.
      assertThat(results(runtime.messages()))
          .containsExactly("[EXECUTION RESULT]\ngot X is 42\n\nX is 42");
    }
    List<String> lines = events.stream().map(EventJson::toLine).toList();
    assertThat(lines)
        .contains(
            "{\"event\":\"tool_call\",\"tool\":\"researcher\",\"args\":{\"task\":\"find X\"}}",
            "{\"event\":\"start\",\"agent\":\"researcher\",\"task\":\"find X\"}",
            "{\"event\":\"think\",\"agent\":\"researcher\",\"message\":\"looking\"}",
            "{\"event\":\"finish\",\"agent\":\"researcher\",\"summary\":\"X is 42\",\"input_tokens\":0,"
                + "\"saved_input_tokens\":0}");
    // The sub-agent's events come between the parent's call and its result.
    int call =
        lines.indexOf(
            lines.stream()
                .filter(l -> l.contains("\"tool_call\",\"tool\":" + "\"researcher\""))
                .findFirst()
                .orElseThrow());
    int childFinish =
        lines.indexOf(
            lines.stream()
                .filter(l -> l.contains("\"agent\":" + "\"researcher\",\"summary\""))
                .findFirst()
                .orElseThrow());
    int result =
        lines.indexOf(
            lines.stream()
                .filter(
                    l -> l.startsWith("{\"event\":" + "\"tool_result\",\"tool\":\"researcher\""))
                .findFirst()
                .orElseThrow());
    assertThat(call).isLessThan(childFinish);
    assertThat(childFinish).isLessThan(result);
  }

  @Test
  void aSubAgentThatDoesNotFinishRaisesAgentErrorTheBlockCanCatch() throws Exception {
    agent("stuck.yaml", "Stuck", List.of(block("print(1)"), block("print(2)")), "");
    Path parent =
        agent(
            "lead.yaml",
            "Lead",
            List.of(
                block(
                    """
        try:
            stuck("loop")
        except AgentError as e:
            print("caught:", e)
        done("handled")""")),
            """
        agents:
          - {name: stuck, file: ./stuck.yaml, max_steps: 2}
        """);
    try (AgentRuntime runtime = AgentRuntime.builder(parent).build()) {
      assertThat(runtime.run("Try it").finished()).isTrue();
      assertThat(results(runtime.messages()))
          .containsExactly(
              "[EXECUTION RESULT]\ncaught:"
                  + " sub-agent 'stuck' did not finish: it reached its step limit (2 steps) without"
                  + " calling done()");
    }
  }

  @Test
  void nestedSubAgentsJoinTheirNamesAndTheDepthAndCyclesAreCheckedAtLoad() throws Exception {
    agent("fetcher.yaml", "Fetcher", List.of(block("done('page')")), "");
    agent(
        "researcher.yaml",
        "Researcher",
        List.of(block("done(fetcher('get') + '!')")),
        """
        agents:
          - {name: fetcher, file: ./fetcher.yaml}
        """);
    Path parent =
        agent(
            "lead.yaml",
            "Lead",
            List.of(block("done(researcher('dig'))")),
            """
        agents:
          - {name: researcher, file: ./researcher.yaml}
        """);
    List<Event.SubAgent> nested = new CopyOnWriteArrayList<>();
    try (AgentRuntime runtime = AgentRuntime.builder(parent).build()) {
      runtime.hooks().on(Event.SubAgent.class, nested::add);
      assertThat(runtime.run("Go").summary()).contains("page!");
    }
    assertThat(nested)
        .extracting(Event.SubAgent::agent)
        .contains("researcher", "researcher/fetcher");
    assertThat(nested)
        .filteredOn(e -> e.agent().equals("researcher/fetcher"))
        .extracting(e -> e.event().type().wireName())
        .contains("start", "finish");

    // A file that includes itself through another is refused, naming the chain.
    agent("a.yaml", "A", List.of(), "agents:\n  - {name: b, file: ./b.yaml}\n");
    agent("b.yaml", "B", List.of(), "agents:\n  - {name: a, file: ./a.yaml}\n");
    assertThatThrownBy(() -> AgentFile.load(dir.resolve("a.yaml")))
        .isInstanceOf(AgentFileException.class)
        .hasMessageContaining(
            "agent files include each other in a cycle: "
                + dir.resolve("a.yaml")
                + " → "
                + dir.resolve("b.yaml")
                + " → "
                + dir.resolve("a.yaml"));
    // Four levels are one too many.
    agent("d4.yaml", "D4", List.of(), "");
    agent("d3.yaml", "D3", List.of(), "agents:\n  - {name: d4, file: ./d4.yaml}\n");
    agent("d2.yaml", "D2", List.of(), "agents:\n  - {name: d3, file: ./d3.yaml}\n");
    agent("d1.yaml", "D1", List.of(), "agents:\n  - {name: d2, file: ./d2.yaml}\n");
    assertThatThrownBy(() -> AgentFile.load(dir.resolve("d1.yaml")))
        .isInstanceOf(AgentFileException.class)
        .hasMessageContaining("agent files nest more than 3 deep");
    assertThat(AgentFile.load(dir.resolve("d2.yaml")).agents()).hasSize(1);
  }

  @Test
  void aSubAgentsPermissionRequestGoesToTheParentsGateNamingIt() throws Exception {
    agent(
        "writer.yaml",
        "Writer",
        List.of(block("write_file('note.txt')\ndone('wrote')") + "\n```text\nhello\n```"),
        """
        tools:
          - name: write_file
            config: {require_permission: true}
        """);
    Path parent =
        agent(
            "lead.yaml",
            "Lead",
            List.of(block("done(writer('write'))")),
            """
        agents:
          - {name: writer, file: ./writer.yaml}
        """);
    List<Event.PermissionRequest> asked = new CopyOnWriteArrayList<>();
    try (AgentRuntime runtime =
        AgentRuntime.builder(parent).permissionGate(request -> asked.add(request)).build()) {
      assertThat(runtime.run("Write").summary()).contains("wrote");
    }
    assertThat(asked)
        .singleElement()
        .satisfies(
            request -> {
              assertThat(request.tool()).isEqualTo("writer/write_file");
              assertThat(request.description()).startsWith("writer: Write 'note.txt'");
            });
    assertThat(dir.resolve("ws-Writer/note.txt")).hasContent("hello\n");
  }

  @Test
  void aResumedParentResumesItsSubAgentsAndFreshOnesStartOver() throws Exception {
    agent(
        "keeper.yaml",
        "Keeper",
        List.of(
            block("done('first')"),
            block("done('second, after ' + str(len(results)) + ' results')")),
        "");
    agent(
        "goldfish.yaml",
        "Goldfish",
        List.of(block("done('a')"), block("done('b with ' + str(len(results)) + ' results')")),
        "");
    Path parent =
        agent(
            "lead.yaml",
            "Lead",
            List.of(
                block("done(keeper('one') + ' / ' + goldfish('one'))"),
                block("done(keeper('two') + ' / ' + goldfish('two'))")),
            """
        agents:
          - {name: keeper, file: ./keeper.yaml}
          - {name: goldfish, file: ./goldfish.yaml, session: fresh}
        """);
    Path sessions = dir.resolve("sessions");
    try (AgentRuntime runtime =
        AgentRuntime.builder(parent)
            .session("file")
            .sessionId("team")
            .sessionDir(sessions)
            .build()) {
      assertThat(runtime.run("First").summary()).contains("first / a");
    }
    // The cassettes restart with a new runtime: take the second replies from here on.
    for (String name : List.of("keeper", "goldfish", "lead")) {
      Path cassette = dir.resolve(name + ".json");
      List<?> replies =
          (List<?>) Json.mapper().readValue(cassette.toFile(), Map.class).get("responses");
      Files.writeString(cassette, Json.write(Map.of("responses", replies.subList(1, 2))));
    }
    try (AgentRuntime runtime =
        AgentRuntime.builder(parent)
            .session("file")
            .sessionId("team")
            .sessionDir(sessions)
            .build()) {
      RunResult result = runtime.run("Second");
      // keeper saw its first call's result again; goldfish started with an empty history.
      assertThat(result.summary()).contains("second, after 1 results / b with 0 results");
    }
    assertThat(FileSession.readMessages(sessions.resolve("team.agents"), "keeper").orElseThrow())
        .extracting(Message::content)
        .contains("[USER INPUT]\none", "[USER INPUT]\ntwo");
  }

  /** A model whose every call waits until it is cancelled; counts the calls. */
  static final class WaitingModel implements ChatModel {
    final CountDownLatch called = new CountDownLatch(1);

    @Override
    public ModelReply complete(ModelRequest request) throws ModelException {
      called.countDown();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!request.cancellation().isCancelled() && System.nanoTime() < deadline) {
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          throw ModelException.cancelled();
        }
      }
      throw ModelException.cancelled();
    }
  }

  /** Replies with one scripted block and reports usage. */
  record CountingModel(String reply, Usage usage) implements ChatModel {
    @Override
    public ModelReply complete(ModelRequest request) {
      return new ModelReply(reply, StopReason.END_TURN, usage);
    }
  }

  @Test
  void abortingTheParentStopsTheSubAgentAndTokensRollUp() throws Exception {
    Path parentFile = agent("lead.yaml", "Lead", List.of(), "");
    Path childFile = agent("slow.yaml", "Slow", List.of(), "");
    WaitingModel waiting = new WaitingModel();
    AgentRuntime slow = AgentRuntime.builder(childFile).model(waiting).build();
    try (AgentRuntime runtime =
        AgentRuntime.builder(parentFile)
            .model(new CountingModel(block("slow('wait')\ndone('never')"), new Usage(7, 3, 0, 0)))
            .subAgent("slow", slow)
            .build()) {
      List<RunResult> result = new ArrayList<>();
      Thread run = Thread.ofPlatform().start(() -> result.add(runtime.run("Wait")));
      assertThat(waiting.called.await(30, TimeUnit.SECONDS)).isTrue();
      long asked = System.nanoTime();
      runtime.abort();
      run.join(Duration.ofSeconds(20));
      assertThat(run.isAlive()).isFalse();
      assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(Duration.ofSeconds(10));
      assertThat(result.get(0).outcome()).isEqualTo(RunResult.Outcome.ABORTED);
    }

    Path counted = agent("counted.yaml", "Counted", List.of(), "");
    AgentRuntime child =
        AgentRuntime.builder(counted)
            .model(new CountingModel(block("done('ok')"), new Usage(100, 10, 5, 0)))
            .build();
    try (AgentRuntime runtime =
        AgentRuntime.builder(parentFile)
            .model(new CountingModel(block("done(helper('x'))"), new Usage(7, 3, 0, 0)))
            .subAgent("helper", child)
            .build()) {
      RunResult result = runtime.run("Count");
      assertThat(result.usage()).isEqualTo(new Usage(107, 13, 5, 0));
    }
  }
}
