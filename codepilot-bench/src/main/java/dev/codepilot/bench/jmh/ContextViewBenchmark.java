package dev.codepilot.bench.jmh;

import dev.codepilot.config.ContextConfig;
import dev.codepilot.loop.ContextView;
import dev.codepilot.model.Message;
import java.util.ArrayList;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link ContextView#of}, as every step calls it before its request, over a history of {@code
 * steps} steps whose execution results are about 3 KB each.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ContextViewBenchmark {

  @Param({"60", "500"})
  public int steps;

  private List<Message> history;

  @Setup(Level.Trial)
  public void setUp() {
    history = new ArrayList<>(2 * steps + 1);
    history.add(Message.user("[USER INPUT]\nCheck the stock levels."));
    for (int i = 0; i < steps; i++) {
      history.add(Message.assistant("```python\nprint('step " + i + ": ' * 375)\n```"));
      history.add(Message.user("[EXECUTION RESULT]\n" + ("step " + i + ": ").repeat(375)));
    }
  }

  @Benchmark
  public ContextView.View view() {
    return ContextView.of(history, ContextConfig.DEFAULT);
  }

  @Benchmark
  public List<String> results() {
    return ContextView.results(history);
  }
}
