package dev.codepilot.bench.jmh;

import dev.codepilot.bench.BenchToolContext;
import dev.codepilot.bench.Workload;
import dev.codepilot.config.AgentConfig;
import dev.codepilot.sandbox.ExecutionResult;
import dev.codepilot.sandbox.PythonSandbox;
import dev.codepilot.tools.BuiltinTools;
import dev.codepilot.tools.ToolDefinition;
import dev.codepilot.tools.ToolDispatcher;
import dev.codepilot.tools.ToolRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
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
 * {@link PythonSandbox#execute}: parse, policy check and run of a control block in a warm context,
 * tool calls included (dispatched with no hooks). {@code trivial} is {@code x = 1}; {@code typical}
 * is {@link Workload#BLOCK}; {@code typical-new} is that block with a comment that differs on every
 * call, so that the policy check never finds the text among those that passed before and walks it
 * every time, as it does a model's new block.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 8, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SandboxBenchmark {

  @Param({"trivial", "typical", "typical-new"})
  public String block;

  private PythonSandbox sandbox;
  private ToolRegistry registry;
  private BenchToolContext context;
  private List<ToolDefinition> tools;
  private String code;
  private Path work;
  private long calls;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    work = Files.createTempDirectory("codepilot-bench-sandbox");
    AgentConfig config = Workload.agent(work, 20);
    registry = new ToolRegistry();
    registry.registerAll(BuiltinTools.forConfig(config), false);
    registry.registerAll(dev.codepilot.tools.Tools.fromObject(new Workload.Inventory()), false);
    tools = registry.offered(config);
    context = new BenchToolContext(config);
    code = block.equals("trivial") ? "x = 1\n" : Workload.BLOCK;
    sandbox =
        new PythonSandbox(
            config.runtime().allowedImports(),
            config.runtime().execTimeout(),
            config.runtime().maxOutputChars());
    ExecutionResult first = execute();
    if (first.status() != ExecutionResult.Status.OK) {
      throw new IllegalStateException("the benchmark block failed: " + first);
    }
  }

  @Benchmark
  public ExecutionResult execute() {
    String text = block.equals("typical-new") ? code + "# call " + calls++ + "\n" : code;
    return sandbox.execute(
        text, tools, new ToolDispatcher(registry, context, Collections.emptyIterator()));
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    sandbox.close();
    dev.codepilot.bench.BenchFiles.deleteTree(work);
  }
}
