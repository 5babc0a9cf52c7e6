package dev.codepilot.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.codepilot.AgentRuntime;
import dev.codepilot.bench.jmh.ReplyParserBenchmark;
import dev.codepilot.bench.jmh.RequestBodyBenchmark;
import dev.codepilot.bench.jmh.SandboxBenchmark;
import dev.codepilot.bench.jmh.SessionSaveBenchmark;
import dev.codepilot.bench.jmh.SystemPromptBenchmark;
import dev.codepilot.model.Message;
import dev.codepilot.model.ModelReply;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every harness and benchmark once with tiny sizes, so that they keep working; the figures
 * themselves are not checked, only that each harness produced them.
 */
class HarnessSmokeTest {

  @TempDir Path dir;

  @Test
  void typicalBlockFeedsBackTheDocumentedExecutionResult() throws Exception {
    try (AgentRuntime runtime =
        AgentRuntime.builder(Workload.agent(dir.resolve("work"), 1))
            .model(request -> ModelReply.of(Workload.REPLY))
            .consoleOutput(false)
            .build()) {
      runtime.registerTools(new Workload.Inventory());
      runtime.run("Check the stock levels.");
      List<Message> messages = runtime.messages();
      assertThat(messages.get(messages.size() - 1).content()).isEqualTo(Workload.EXECUTION_RESULT);
    }
  }

  @Test
  void sessionSaveCostTimesOneStepSavesOfTheFileStore() throws Exception {
    double[] times =
        SessionSaveCost.measure(new dev.codepilot.session.FileSession("smoke", "Bench", dir), 3, 2);
    assertThat(times).hasSize(2);
    assertThat(times[0]).isPositive();
    assertThat(times[1]).isPositive();
    SessionSaveCost.main(
        new String[] {"--steps", "2", "--saves", "1", "--dir", dir.resolve("sessions").toString()});
  }

  @Test
  void commandOverheadTimesConfinedAndUnconfinedCommands() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        dev.codepilot.tools.CommandJail.status().available()
            || "1".equals(System.getenv("CODEPILOT_REQUIRE_BWRAP")),
        dev.codepilot.tools.CommandJail.status().detail());
    List<CommandOverhead.Row> rows = CommandOverhead.run(3, 1, "true", dir);
    assertThat(rows).extracting(CommandOverhead.Row::confine).containsExactly("never", "always");
    assertThat(rows).allSatisfy(row -> assertThat(row.time().count()).isEqualTo(3));
  }

  @Test
  void tracingOverheadTimesStepsWithTracingOffAndOn() throws Exception {
    TracingOverhead.Result result = TracingOverhead.run(2, 4, 1, 0, 100, dir);
    assertThat(result.off().count()).isEqualTo(4);
    assertThat(result.on().count()).isEqualTo(4);
    assertThat(result.observerPerStep().median()).isPositive();
    // Per run: the agent span, and per step a chat span, a block span and four tool spans
    // (read_file and three stock_level; think is a control, not a tool).
    assertThat(result.spansExported()).isEqualTo(2 * (1 + 4 * 6));
    assertThat(result.syntheticNanosPerStep()).isPositive();
  }

  @Test
  void stepOverheadTimesStepsOnAPreloadedFileSession() throws Exception {
    List<StepOverhead.Row> rows =
        StepOverhead.run(List.of(3), new StepOverhead.Plan("file", 1, 4, 1, 0, 0), dir);
    assertThat(rows)
        .singleElement()
        .satisfies(
            row -> {
              assertThat(row.overhead().count()).isEqualTo(2);
              assertThat(row.overhead().median()).isPositive();
              assertThat(row.sessionBytes()).isPositive();
            });
  }

  @Test
  void scaleRunsRuntimesConcurrentlyAgainstTheLoopbackServer() throws Exception {
    List<Scale.Row> rows =
        Scale.run(
            List.of(2), 3, 2, Duration.ofMillis(20), 3, Duration.ofMillis(500), Duration.ZERO, dir);
    assertThat(rows).extracting(Scale.Row::round).containsExactly(1, 2);
    assertThat(rows)
        .allSatisfy(
            row -> {
              for (Scale.RunFigures run : List.of(row.first(), row.second())) {
                assertThat(run.failed()).isZero();
                assertThat(run.overhead().count()).isEqualTo(6);
                assertThat(run.ratio()).isPositive();
                assertThat(run.cpu().total()).isPositive();
                assertThat(run.cpu().rest()).isLessThanOrEqualTo(run.cpu().total());
              }
              if (row.first().cpu().hasParts()) {
                // The first run creates the interpreters on the sandbox threads: tens of ms of CPU,
                // well above the 10 ms resolution of per-thread times.
                assertThat(row.first().cpu().sandbox()).isPositive();
              }
              // Heap per runtime of two runtimes is within the noise of a GC; it is only reported.
              assertThat(row.heapIdle()).isNotEqualTo(-1);
            });
  }

  @Test
  void contextGrowthRecordsEveryRequest() throws Exception {
    List<ContextGrowth.Sample> samples = ContextGrowth.run(6, dir);
    assertThat(samples).hasSize(6);
    assertThat(samples.get(5).bodyBytes()).isGreaterThan(samples.get(0).bodyBytes());
  }

  @Test
  void coldStartTimesTheCommandLineInChildProcesses() throws Exception {
    // A stand-in for ./codepilot that runs the command line on this test's class path.
    Path root = Files.createDirectories(dir.resolve("root"));
    Path repository = Path.of("..").toAbsolutePath().normalize();
    copyTree(repository.resolve("examples/hello"), root.resolve("examples/hello"));
    Path launcher = root.resolve("codepilot");
    Files.writeString(
        launcher,
        """
        #!/bin/sh
        exec "%s" -Xss4m --enable-native-access=ALL-UNNAMED \
          -Dpolyglot.engine.WarnInterpreterOnly=false -cp "%s" dev.codepilot.cli.Main "$@"
        """
            .formatted(
                Path.of(System.getProperty("java.home"), "bin", "java"),
                System.getProperty("java.class.path")));
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    ColdStart.Result result = ColdStart.run(1, launcher, dir.resolve("cold"), false);
    assertThat(result.readmeWall().median()).isPositive();
    assertThat(result.firstRequest().median())
        .isPositive()
        .isLessThan(result.servedWall().median());
  }

  @Test
  void sandboxCpuTimesBlocksOnTheSandboxThread() throws Exception {
    SandboxCpu.main(
        new String[] {
          "--block", "typical-new", "--warmup", "2", "--rounds", "2", "--per-round", "2"
        });
  }

  @Test
  void firstBlockTimesNewSandboxesWithInterpretersKeptReady() throws Exception {
    FirstBlock.main(new String[] {"--pool", "1", "--sandboxes", "2", "--warmup", "1"});
  }

  @Test
  void benchmarksRunOnce() throws Exception {
    assertThat(new ReplyParserBenchmark().parse().controlBlock()).isPresent();

    SystemPromptBenchmark prompt = new SystemPromptBenchmark();
    prompt.files = 3;
    prompt.setUp();
    assertThat(prompt.render()).contains("module2.py");
    prompt.tearDown();

    SessionSaveBenchmark save = new SessionSaveBenchmark();
    save.history = 2;
    save.directory = dir.toString();
    save.setUp();
    save.saveAfterStep();
    save.tearDown();

    RequestBodyBenchmark body = new RequestBodyBenchmark();
    body.history = 3;
    body.setUp();
    // Both ways make the same body (the step number differs: each call adds a new step).
    String tree = new String(body.jsonTree(), StandardCharsets.UTF_8);
    String written = new String(body.bodyWriter(), StandardCharsets.UTF_8);
    assertThat(written.replace("step 2", "step 1")).isEqualTo(tree);

    SandboxBenchmark sandbox = new SandboxBenchmark();
    for (String block : List.of("typical", "typical-new")) {
      sandbox.block = block;
      sandbox.setUp();
      assertThat(sandbox.execute().output()).contains("low stock: B-200");
      assertThat(sandbox.execute().output()).contains("low stock: B-200");
      sandbox.tearDown();
    }
  }

  private static void copyTree(Path from, Path to) throws Exception {
    try (var paths = Files.walk(from)) {
      for (Path source :
          paths.filter(p -> !p.toString().contains(File.separator + "workspace")).toList()) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
    }
  }
}
