package dev.codepilot.testing;

import dev.codepilot.config.AgentConfig;
import dev.codepilot.config.RuntimeConfig;
import dev.codepilot.config.ToolConfig;
import dev.codepilot.model.ModelConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Agent configurations for tests, built in code. */
public final class TestAgents {

  private TestAgents() {}

  /** An agent with default settings working in {@code workDir}. */
  public static AgentConfig config(Path workDir) {
    return config(
        workDir, RuntimeConfig.DEFAULT_MAX_STEPS, Duration.ofSeconds(60), 20_000, List.of());
  }

  public static AgentConfig config(
      Path workDir,
      int maxSteps,
      Duration execTimeout,
      int maxOutputChars,
      List<ToolConfig> tools) {
    RuntimeConfig runtime =
        new RuntimeConfig(
            workDir,
            maxSteps,
            false,
            RuntimeConfig.DEFAULT_ALLOWED_IMPORTS,
            execTimeout,
            maxOutputChars);
    return AgentConfig.builder()
        .name("Test Agent")
        .role("a careful tester.")
        .systemPrompt("Be brief.")
        .model(ModelConfig.replay(workDir.resolve("unused.json")))
        .runtime(runtime)
        .tools(tools)
        .build();
  }

  /** A reply whose control block is {@code code}. */
  public static String block(String code) {
    return "```python\n" + code + "\n```";
  }
}
