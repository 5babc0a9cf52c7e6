package dev.codepilot.bench.jmh;

import dev.codepilot.bench.Workload;
import dev.codepilot.model.Message;
import dev.codepilot.session.FileSession;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link FileSession#save} after one more step, for a history of {@code history} steps (about 2 KB
 * each), as the loop calls it after every step: durable, so it includes the fsyncs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SessionSaveBenchmark {

  @Param({"10", "100", "500"})
  public int history;

  /**
   * Where the session file goes: on a disk, not a RAM file system, so fsync costs what it costs.
   */
  public String directory = "codepilot-bench/target";

  private Path dir;
  private FileSession session;
  private List<Message> messages;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    dir =
        Files.createTempDirectory(
            Files.createDirectories(Path.of(directory).toAbsolutePath()), "save");
    session = new FileSession("bench", "Bench Agent", dir);
    messages = new ArrayList<>(Workload.history(history, Workload.EXECUTION_RESULT));
    session.save(messages);
  }

  @Benchmark
  public void saveAfterStep() {
    // One step: two messages more, then the save; trimmed so the history keeps its length.
    messages.add(Message.assistant(Workload.REPLY));
    messages.add(Message.user(Workload.EXECUTION_RESULT));
    session.save(messages);
    messages.subList(1, 3).clear();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    session.close();
    dev.codepilot.bench.BenchFiles.deleteTree(dir);
  }
}
