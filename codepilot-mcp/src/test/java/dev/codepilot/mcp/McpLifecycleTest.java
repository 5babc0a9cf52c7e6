package dev.codepilot.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.codepilot.AgentRuntime;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** MCP server processes end with the runtime, and with a JVM that is killed. */
class McpLifecycleTest {

  @TempDir Path dir;

  @Test
  void closingTheRuntimeStopsTheServerProcesses() throws Exception {
    Path agent =
        Agents.write(
            dir, Agents.stdio("everything", NpmServers.everything(), ""), List.of("done()"));
    List<ProcessHandle> before = ProcessHandle.current().descendants().toList();
    List<ProcessHandle> servers;
    try (AgentRuntime runtime = AgentRuntime.builder(agent).consoleOutput(false).build()) {
      runtime.registerToolSources();
      servers =
          ProcessHandle.current()
              .descendants()
              .filter(p -> !before.contains(p))
              .filter(p -> p.info().commandLine().orElse("").contains("server-everything"))
              .toList();
      assertThat(servers).as("the server's processes").isNotEmpty();
    }
    for (ProcessHandle server : servers) {
      server.onExit().get(10, TimeUnit.SECONDS);
    }
    assertThat(servers).noneMatch(ProcessHandle::isAlive);
  }

  @Test
  void closingTheRuntimeDuringAHungCallReturnsAtOnce() throws Exception {
    Path agent =
        Agents.write(
            dir,
            Agents.stdio("bad", NpmServers.misbehaving(), "timeout: 120"),
            List.of("bad.hang()"));
    AgentRuntime runtime = AgentRuntime.builder(agent).consoleOutput(false).build();
    java.util.concurrent.CountDownLatch calling = new java.util.concurrent.CountDownLatch(1);
    runtime.hooks().observe(dev.codepilot.hooks.EventType.TOOL_CALL, e -> calling.countDown());
    Thread run = Thread.ofPlatform().start(() -> runtime.run("hang"));
    assertThat(calling.await(60, TimeUnit.SECONDS)).as("the block called bad.hang()").isTrue();
    Thread.sleep(300);
    long started = System.nanoTime();
    runtime.close();
    long millis = (System.nanoTime() - started) / 1_000_000;
    run.join(10_000);
    assertThat(millis).as("closing took").isLessThan(5000);
    assertThat(run.isAlive()).as("the run is still going").isFalse();
  }

  @ParameterizedTest(name = "confine: {0}")
  @ValueSource(strings = {"auto", "never"})
  void killingTheJvmLeavesNoServerBehind(String confine) throws Exception {
    // Confined, bubblewrap ends the server with its parent; unconfined, the server sees its
    // standard input end.
    Path agent =
        Agents.write(
            dir,
            Agents.stdio("everything", NpmServers.everything(), ""),
            List.of("done()"),
            "shell: {confine: " + confine + "}");
    String java = ProcessHandle.current().info().command().orElseThrow();
    Process child =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                OrphanChild.class.getName(),
                agent.toString())
            .redirectErrorStream(true)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      List<String> lines = new ArrayList<>();
      for (String line = out.readLine();
          line != null && !line.equals("READY");
          line = out.readLine()) {
        lines.add(line);
      }
      assertThat(child.isAlive()).as("the child JVM said: %s", lines).isTrue();
      List<ProcessHandle> servers = child.descendants().toList();
      assertThat(servers)
          .as("the server's processes")
          .isNotEmpty()
          .anyMatch(p -> p.info().commandLine().orElse("").contains("server-everything"));
      child.destroyForcibly(); // SIGKILL: no shutdown hook, no close().
      child.waitFor(10, TimeUnit.SECONDS);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (servers.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(
              servers.stream()
                  .filter(ProcessHandle::isAlive)
                  .map(p -> p.pid() + " " + p.info().commandLine().orElse(""))
                  .toList())
          .as("server processes still running after the JVM was killed")
          .isEmpty();
    } finally {
      child.destroyForcibly();
    }
  }
}
