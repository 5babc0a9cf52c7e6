package dev.codepilot.tools;

import dev.codepilot.AgentRuntime;
import dev.codepilot.config.AgentConfig;
import dev.codepilot.config.RuntimeConfig;
import dev.codepilot.testing.EventLog;
import dev.codepilot.testing.QueueModel;
import dev.codepilot.testing.TestAgents;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * A real runtime driven by scripted replies, for the tool tests: {@link #step} runs one reply (a
 * control block and its payload blocks) as a whole task that then calls done(), and returns what
 * the model was shown for it.
 */
final class Agent implements AutoCloseable {

  final QueueModel model = new QueueModel();
  final AgentRuntime runtime;
  final EventLog log;

  private Agent(AgentConfig config) throws Exception {
    runtime = AgentRuntime.builder(config).model(model).consoleOutput(false).build();
    log = EventLog.attach(runtime.hooks());
  }

  static Agent in(Path workDir) throws Exception {
    return new Agent(TestAgents.config(workDir));
  }

  static Agent with(AgentConfig config) throws Exception {
    return new Agent(config);
  }

  /** An agent whose runtime section is changed by {@code change}. */
  static Agent in(Path workDir, UnaryOperator<RuntimeConfig> change) throws Exception {
    AgentConfig config = TestAgents.config(workDir);
    return new Agent(config.withRuntime(change.apply(config.runtime())));
  }

  /** Runs {@code code} with these payload blocks; returns the execution result's text. */
  String step(String code, String... payloads) {
    StringBuilder reply = new StringBuilder("```python\n").append(code).append("\n```\n");
    for (String payload : payloads) {
      reply.append("````\n").append(payload);
      if (!payload.isEmpty() && !payload.endsWith("\n")) {
        reply.append('\n');
      }
      reply.append("````\n");
    }
    model.reply(reply.toString(), TestAgents.block("done()"));
    int before = runtime.messages().size();
    log.clear();
    runtime.run("test");
    String result = runtime.messages().get(before + 2).content();
    return result.substring("[EXECUTION RESULT]\n".length());
  }

  @Override
  public void close() {
    runtime.close();
  }

  static RuntimeConfig unsafe(RuntimeConfig r) {
    return new RuntimeConfig(
        r.workDir(), r.maxSteps(), true, r.allowedImports(), r.execTimeout(), r.maxOutputChars());
  }

  static UnaryOperator<RuntimeConfig> maxOutput(int chars) {
    return r ->
        new RuntimeConfig(
            r.workDir(), r.maxSteps(), r.unsafeMode(), r.allowedImports(), r.execTimeout(), chars);
  }
}
