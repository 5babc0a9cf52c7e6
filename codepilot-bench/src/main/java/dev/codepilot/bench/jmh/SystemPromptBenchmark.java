package dev.codepilot.bench.jmh;

import dev.codepilot.bench.Workload;
import dev.codepilot.config.AgentConfig;
import dev.codepilot.loop.SystemPrompt;
import dev.codepilot.tools.BuiltinTools;
import dev.codepilot.tools.ToolDefinition;
import dev.codepilot.tools.ToolRegistry;
import dev.codepilot.tools.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link SystemPrompt#render}, as every step calls it, with a workspace of {@code files} files in a
 * few folders (each with about 40 lines, unchanged between steps).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SystemPromptBenchmark {

  @Param({"10", "150"})
  public int files;

  private Path work;
  private SystemPrompt prompt;
  private List<ToolDefinition> tools;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    work = Files.createTempDirectory("codepilot-bench-prompt");
    AgentConfig config = Workload.agent(work, 20);
    for (int i = 0; i < files; i++) {
      Path file = work.resolve("src/pkg" + (i % 5) + "/module" + i + ".py");
      Files.createDirectories(file.getParent());
      Files.writeString(file, "x = 1\n".repeat(40));
    }
    ToolRegistry registry = new ToolRegistry();
    registry.registerAll(BuiltinTools.forConfig(config), false);
    registry.registerAll(Tools.fromObject(new Workload.Inventory()), false);
    tools = registry.offered(config);
    prompt = new SystemPrompt(config);
  }

  @Benchmark
  public String render() {
    return prompt.render(tools);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    dev.codepilot.bench.BenchFiles.deleteTree(work);
  }
}
