package dev.codepilot.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Cold start of the command line, each run a new process through the {@code ./codepilot} launcher:
 *
 * <ol>
 *   <li>the README's first command, {@code ./codepilot run examples/hello/agent.yaml "Write a
 *       greeting script and run it"} (a one-step replay run): wall time of the process;
 *   <li>the same agent with an {@code openai} model on {@link ChatCompletionsServer} (answering at
 *       once with the cassette's reply): the time from starting the process to the first model
 *       request arriving, and the wall time of the process.
 * </ol>
 *
 * <p>One untimed run first builds the command line if needed (and, where the launcher keeps a
 * start-up cache, creates it). Extra launcher environment, such as {@code CODEPILOT_AOT_CACHE=off},
 * passes through.
 *
 * <pre>
 * ColdStart [--runs 10] [--launcher ./codepilot]
 * </pre>
 */
public final class ColdStart {

  static final String TASK = "Write a greeting script and run it";

  /** The figures: wall of the README run, time to first request, wall of the served run. */
  record Result(Stats readmeWall, Stats firstRequest, Stats servedWall) {}

  private ColdStart() {}

  public static void main(String[] argv) throws Exception {
    Args args = new Args(argv);
    Result result =
        run(
            args.integer("runs", 10),
            Path.of(args.string("launcher", "./codepilot")),
            Path.of(args.string("dir", "codepilot-bench/target/cold-start")),
            true);
    System.out.println(Machine.describe());
    System.out.println();
    System.out.println("| measure | median (p25–p75) ms | min ms | max ms | runs |");
    System.out.println("|---|---|---|---|---|");
    row("README command, whole run (replay)", result.readmeWall());
    row("process start → first model request", result.firstRequest());
    row("whole run, model on loopback", result.servedWall());
    System.exit(0);
  }

  private static void row(String name, Stats stats) {
    System.out.printf(
        "| %s | %s | %s | %s | %d |%n",
        name,
        stats.medianAndSpread(),
        Stats.ms(stats.quantile(0)),
        Stats.ms(stats.quantile(1)),
        stats.count());
  }

  /**
   * @param prepare whether to make one untimed run first, to let the launcher build and prepare its
   *     start-up cache
   */
  static Result run(int runs, Path launcher, Path dir, boolean prepare) throws Exception {
    Path root = launcher.toAbsolutePath().getParent();
    Path hello = root.resolve("examples/hello");
    Path served = Files.createDirectories(dir.toAbsolutePath()).resolve("agent.yaml");
    String reply = cassetteReply(hello.resolve("cassette.json"));
    List<Long> readme = new ArrayList<>();
    List<Long> first = new ArrayList<>();
    List<Long> servedWall = new ArrayList<>();
    try (ChatCompletionsServer server = new ChatCompletionsServer(Duration.ZERO, n -> reply)) {
      Files.writeString(
          served,
          """
          agent:
            name: "Hello Agent"
            role: "A friendly assistant that writes and runs small shell scripts."
            system_prompt: "%s"
            model:
              provider: "openai"
              name: "bench-model"
              base_url: "%s"
            runtime:
              work_dir: "./workspace"
              max_steps: 5
          """
              .formatted(hello.resolve("prompts/instructions.md"), server.baseUrl()));
      if (prepare) {
        launch(launcher, root, hello.resolve("agent.yaml"), hello.resolve("workspace"));
      }
      for (int i = 0; i < runs; i++) {
        readme.add(launch(launcher, root, hello.resolve("agent.yaml"), hello.resolve("workspace")));
        int before = server.received().size();
        long start = System.nanoTime();
        long wall = launch(launcher, root, served, served.resolveSibling("workspace"));
        servedWall.add(wall);
        first.add(server.received().get(before).arrivalNanos() - start);
      }
    }
    return new Result(Stats.of(readme), Stats.of(first), Stats.of(servedWall));
  }

  /**
   * Runs the launcher once in a fresh workspace and returns its wall time; fails on a non-zero
   * exit.
   */
  private static long launch(Path launcher, Path root, Path agent, Path workspace)
      throws IOException, InterruptedException {
    BenchFiles.deleteTree(workspace);
    ProcessBuilder builder =
        new ProcessBuilder(launcher.toAbsolutePath().toString(), "run", agent.toString(), TASK)
            .directory(root.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    Map<String, String> env = builder.environment();
    env.putIfAbsent("JAVA_HOME", System.getProperty("java.home"));
    long start = System.nanoTime();
    Process process = builder.start();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new IllegalStateException(launcher + " did not finish within 5 minutes");
    }
    long wall = System.nanoTime() - start;
    if (process.exitValue() != 0) {
      throw new IllegalStateException(
          launcher + " run " + agent + " exited with " + process.exitValue());
    }
    return wall;
  }

  private static String cassetteReply(Path cassette) throws IOException {
    return new ObjectMapper().readTree(cassette.toFile()).path("responses").path(0).asText();
  }
}
