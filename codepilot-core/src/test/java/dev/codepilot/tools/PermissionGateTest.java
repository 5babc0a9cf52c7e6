package dev.codepilot.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.codepilot.AgentRuntime;
import dev.codepilot.config.AgentConfig;
import dev.codepilot.hooks.Event;
import dev.codepilot.hooks.EventType;
import dev.codepilot.hooks.PermissionGate;
import dev.codepilot.testing.EventLog;
import dev.codepilot.testing.QueueModel;
import dev.codepilot.testing.TestAgents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The permission gate of a runtime: allow, deny, and no gate at all. */
class PermissionGateTest {

  @TempDir Path workDir;

  private final QueueModel model = new QueueModel();

  private AgentRuntime.Builder builder() {
    AgentConfig config = PermissionGatingTest.gatedConfig(workDir);
    return AgentRuntime.builder(config).model(model).consoleOutput(false);
  }

  /** Runs one block that writes {@code name}; returns the execution result. */
  private String write(AgentRuntime runtime, String name) {
    model.reply(
        TestAgents.block("write_file('" + name + "')") + "\n```\nx\n```\n",
        TestAgents.block("done()"));
    int before = runtime.messages().size();
    runtime.run("write");
    return runtime.messages().get(before + 2).content();
  }

  @Test
  void aGateSetOnTheBuilderAllowsAndIsAskedOncePerRequest() throws Exception {
    List<String> asked = new CopyOnWriteArrayList<>();
    PermissionGate gate = request -> asked.add(request.tool() + ": " + request.description());
    try (AgentRuntime runtime = builder().permissionGate(gate).build()) {
      EventLog log = EventLog.attach(runtime.hooks());
      String result = write(runtime, "allowed.txt");

      assertThat(result).contains("Wrote 'allowed.txt'");
      assertThat(workDir.resolve("allowed.txt")).exists();
      assertThat(asked).containsExactly("write_file: Write 'allowed.txt' (full file)");
      assertThat(log.types())
          .containsSubsequence(
              EventType.TOOL_CALL, EventType.PERMISSION_REQUEST, EventType.TOOL_RESULT);
    }
  }

  @Test
  void aDenyingGateSkipsTheToolAndObserversStillSeeTheRequest() throws Exception {
    List<String> observed = new CopyOnWriteArrayList<>();
    try (AgentRuntime runtime = builder().permissionGate(PermissionGate.denyAll()).build()) {
      runtime.hooks().on(Event.PermissionRequest.class, r -> observed.add(r.description()));
      String result = write(runtime, "denied.txt");

      assertThat(result)
          .isEqualTo(
              "[EXECUTION RESULT]\n[write_file] Permission denied: Write"
                  + " 'denied.txt' (full file) was not approved by the user.");
      assertThat(workDir.resolve("denied.txt")).doesNotExist();
      assertThat(observed).containsExactly("Write 'denied.txt' (full file)");
    }
  }

  @Test
  void withNoGateEveryRequestIsDeniedAndAnObserverCannotApprove() throws Exception {
    try (AgentRuntime runtime = builder().build()) {
      assertThat(runtime.hooks().permissionGate()).isEmpty();
      runtime.hooks().on(Event.PermissionRequest.class, r -> {});
      write(runtime, "nobody.txt");
      assertThat(workDir.resolve("nobody.txt")).doesNotExist();

      runtime.setPermissionGate(PermissionGate.allowAll());
      write(runtime, "now.txt");
      assertThat(workDir.resolve("now.txt")).exists();

      runtime.setPermissionGate(null);
      write(runtime, "removed.txt");
      assertThat(workDir.resolve("removed.txt")).doesNotExist();
    }
  }

  @Test
  void onPermissionRequestSetsTheGateAndASetGateReplacesIt() throws Exception {
    try (AgentRuntime runtime = builder().build()) {
      runtime.onPermissionRequest(request -> request.description().contains("yes"));
      write(runtime, "yes.txt");
      write(runtime, "no.txt");
      assertThat(workDir.resolve("yes.txt")).exists();
      assertThat(workDir.resolve("no.txt")).doesNotExist();

      runtime.setPermissionGate(request -> request.description().contains("no"));
      write(runtime, "no.txt");
      assertThat(workDir.resolve("no.txt")).exists();
      Files.delete(workDir.resolve("yes.txt"));
      write(runtime, "yes.txt");
      assertThat(workDir.resolve("yes.txt")).doesNotExist();
    }
  }

  @Test
  void aGateThatThrowsDeniesAndIsReported() throws Exception {
    List<String> reported = new CopyOnWriteArrayList<>();
    try (AgentRuntime runtime =
        builder()
            .permissionGate(
                request -> {
                  throw new IllegalStateException("gate bug");
                })
            .build()) {
      runtime.hooks().setErrorReporter(reported::add);
      write(runtime, "thrown.txt");

      assertThat(workDir.resolve("thrown.txt")).doesNotExist();
      assertThat(reported)
          .singleElement()
          .asString()
          .contains("permission gate failed")
          .contains("gate bug");
    }
  }
}
