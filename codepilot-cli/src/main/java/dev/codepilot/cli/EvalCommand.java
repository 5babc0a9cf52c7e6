package dev.codepilot.cli;

import dev.codepilot.CodePilot;
import dev.codepilot.config.AgentConfig;
import dev.codepilot.config.AgentFile;
import dev.codepilot.config.AgentFileException;
import dev.codepilot.internal.TerminalText;
import dev.codepilot.model.ChatModels;
import dev.codepilot.model.ModelException;
import dev.codepilot.opentelemetry.CodePilotTelemetry;
import dev.codepilot.opentelemetry.EvalTrace;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code codepilot eval SUITE}: runs every case of a suite and checks its expectations. */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = {
      "Measure an agent on a suite of tasks: each case runs in a fresh copy of the"
          + " agent's work_dir with its own session, then its expectations are checked."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:every case passed (every attempt, with --repeat)",
      "1:a case failed",
      "2:bad usage, or a bad suite or agent file"
    })
final class EvalCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "SUITE", description = "The suite's YAML file.")
  Path suiteFile;

  @Option(
      names = "--json",
      description = "Print one JSON object per case, then a summary object, and nothing else.")
  boolean json;

  @Option(
      names = "--report",
      paramLabel = "DIR",
      description = "Write report.json, junit.xml and report.html into DIR.")
  Path reportDir;

  @Option(
      names = "--parallel",
      paramLabel = "N",
      defaultValue = "1",
      description = "Run N cases at a time, each with its own runtime (default: 1).")
  int parallel;

  @Option(
      names = "--filter",
      paramLabel = "NAME",
      description = "Run only the cases whose name contains NAME (ignoring case).")
  String filter;

  @Option(
      names = "--repeat",
      paramLabel = "K",
      defaultValue = "1",
      description = "Run every case K times, for pass@k and the spread (default: 1).")
  int repeat;

  @Option(
      names = "--keep",
      description = "Keep each case's work_dir copy instead of deleting it, and print where.")
  boolean keep;

  /** Set once the suite is interrupted; no result is shown after that. */
  private volatile boolean stopping;

  @Override
  public Integer call() throws IOException {
    if (parallel < 1) {
      throw new UsageException("--parallel must be at least 1");
    }
    if (repeat < 1) {
      throw new UsageException("--repeat must be at least 1");
    }
    Suite suite;
    try {
      suite = SuiteFile.load(suiteFile);
    } catch (SuiteException e) {
      throw new UsageException(e.getMessage());
    }
    if (filter != null) {
      suite = suite.filter(filter);
      if (suite.cases().isEmpty()) {
        throw new UsageException(suiteFile + ": no case has a name containing '" + filter + "'");
      }
    }
    Map<Path, AgentConfig> agents = loadAgents(suite);
    // Bad OTEL_* settings are bad usage, found before any case runs.
    Optional<CodePilotTelemetry> telemetry = Telemetry.get();
    CodePilot.prewarm();
    Instant started = Instant.now();
    long start = System.nanoTime();
    List<CaseResult> results;
    CaseRunner runner =
        new CaseRunner(
            agents, keep, builder -> telemetry.map(t -> t.install(builder)).orElse(builder));
    // With tracing on, the suite is one trace: a span per case, its runs beneath it.
    String suiteName = suite.name();
    EvalTrace trace = telemetry.map(t -> t.startEval(suiteName)).orElse(null);
    // Interrupted (Ctrl-C, a CI job cancelled), the cases' commands end and their copies go.
    Thread cleanup =
        new Thread(
            () -> {
              stopping = true;
              runner.stopAll();
            },
            "codepilot-eval-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
    try (Console console = json ? Console.plain() : Console.open()) {
      console.onInterrupt(
          () -> {
            stopping = true;
            if (json) {
              Console.stderr().println("codepilot: stopped; the cases in progress were ended");
            } else {
              console.live().ifPresent(LiveView::idle);
              console
                  .lines()
                  .println(console.style().yellow("✖ Stopped; the cases in progress were ended."));
            }
            // Exits from another thread: the shutdown hook above must not wait on this one.
            Thread.ofPlatform().start(() -> Exits.exit(ExitCodes.FAILED));
          });
      Progress progress = new Progress(console, suite, json);
      results = runAll(suite, runner, progress, trace);
      if (trace != null) {
        long failed = results.stream().filter(r -> !r.failures().isEmpty()).count();
        trace.end(results.size() - (int) failed, (int) failed);
      }
      if (stopping) {
        // The JVM is exiting: the cases' ends were forced, so they are not results.
        return ExitCodes.FAILED;
      }
      Runtime.getRuntime().removeShutdownHook(cleanup);
      console.live().ifPresent(LiveView::idle);
      SuiteStats stats = SuiteStats.of(results, repeat, (System.nanoTime() - start) / 1e9);
      if (json) {
        PrintStream out = Console.stdout();
        out.println(Reports.line(Reports.summaryJson(stats)));
        out.flush();
      } else {
        printSummary(console, stats);
      }
      if (reportDir != null) {
        Reports.write(reportDir, suite, results, stats, started);
        String where = "codepilot: report written to " + reportDir.resolve("report.html");
        if (json) {
          Console.stderr().println(where);
        } else {
          console.lines().println(console.style().dim(TerminalText.line(where)));
        }
      }
      return stats.failed() == 0 ? ExitCodes.DONE : ExitCodes.FAILED;
    }
  }

  /** The agents, and their models checked where a case uses one rather than a cassette. */
  private static Map<Path, AgentConfig> loadAgents(Suite suite) {
    Map<Path, AgentConfig> agents = new LinkedHashMap<>();
    for (Path file : suite.agentFiles()) {
      AgentConfig agent;
      try {
        agent = AgentFile.load(file);
      } catch (AgentFileException e) {
        throw new UsageException(e.getMessage());
      }
      if (suite.cases().stream().anyMatch(c -> c.agent().equals(file) && c.cassette().isEmpty())) {
        try {
          // Made only to learn before any case runs that it can be: its API key is set, say.
          ChatModels.create(agent.model()).close();
        } catch (ModelException e) {
          throw new UsageException(file + ": " + e.getMessage());
        }
      }
      agents.put(file, agent);
    }
    return agents;
  }

  private List<CaseResult> runAll(
      Suite suite, CaseRunner runner, Progress progress, EvalTrace trace) {
    ExecutorService pool =
        Executors.newFixedThreadPool(
            parallel,
            r -> {
              Thread thread = new Thread(r, "codepilot-eval");
              thread.setDaemon(true);
              return thread;
            });
    try {
      CompletionService<CaseResult> done = new ExecutorCompletionService<>(pool);
      int submitted = 0;
      for (int attempt = 1; attempt <= repeat; attempt++) {
        for (int i = 0; i < suite.cases().size(); i++) {
          Suite.Case one = suite.cases().get(i);
          int index = i;
          int round = attempt;
          done.submit(
              () ->
                  trace == null
                      ? runner.run(one, index, round)
                      : trace.runCase(
                          one.name(),
                          round,
                          () -> runner.run(one, index, round),
                          CaseResult::failures));
          submitted++;
        }
      }
      progress.started(submitted);
      List<CaseResult> results = new ArrayList<>();
      for (int i = 0; i < submitted; i++) {
        Future<CaseResult> next = done.take();
        CaseResult result = next.get();
        results.add(result);
        progress.finished(result);
      }
      results.sort(
          Comparator.comparingInt(CaseResult::index).thenComparingInt(CaseResult::attempt));
      return results;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the cases ran", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("a case could not be run: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private void printSummary(Console console, SuiteStats stats) {
    Style style = console.style();
    int runs = stats.passed() + stats.failed();
    String cases =
        stats.cases()
            + (stats.cases() == 1 ? " case" : " cases")
            + (stats.repeat() > 1 ? " × " + stats.repeat() + " attempts" : "");
    String counts = stats.passed() + " passed, " + stats.failed() + " failed";
    String line =
        cases
            + ": "
            + (stats.failed() == 0 ? style.green(counts) : style.red(counts))
            + " — pass rate "
            + Reports.percent(stats.passRate())
            + String.format(
                Locale.ROOT,
                " (%d %s in %.1f s)",
                runs,
                runs == 1 ? "run" : "runs",
                stats.seconds());
    console.lines().println("");
    console.lines().println(style.bold(line));
    if (stats.repeat() > 1) {
      console
          .lines()
          .println(
              "pass@"
                  + stats.repeat()
                  + " "
                  + Reports.percent(stats.passAtK())
                  + " · passed every attempt "
                  + Reports.percent(stats.passAllK())
                  + " · round pass rates "
                  + stats.roundRates().stream().map(Reports::percent).toList()
                  + " (min "
                  + Reports.percent(stats.minRate())
                  + ", max "
                  + Reports.percent(stats.maxRate())
                  + ", sd "
                  + Reports.percent(stats.stddev())
                  + ")");
      stats
          .perCase()
          .forEach(
              (name, passes) ->
                  console
                      .lines()
                      .println(
                          "  " + TerminalText.line(name) + ": " + passes + "/" + stats.repeat()));
    }
  }

  /** A line per case as it finishes and, on a terminal, a live count below them. */
  private final class Progress {
    private final Console console;
    private final boolean json;
    private final int nameWidth;
    private int total;
    private int passed;
    private int failed;

    Progress(Console console, Suite suite, boolean json) {
      this.console = console;
      this.json = json;
      this.nameWidth =
          Math.min(
              40,
              suite.cases().stream()
                  .mapToInt(c -> c.name().length() + (repeat > 1 ? 3 : 0))
                  .max()
                  .orElse(10));
    }

    synchronized void started(int count) {
      total = count;
      showCount();
    }

    synchronized void finished(CaseResult result) {
      if (stopping) {
        return;
      }
      if (result.passed()) {
        passed++;
      } else {
        failed++;
      }
      if (json) {
        PrintStream out = Console.stdout();
        out.println(Reports.line(Reports.caseJson(result)));
        out.flush();
        return;
      }
      Style style = console.style();
      String name = TerminalText.line(Reports.displayName(result, repeat));
      String figures =
          String.format(
              Locale.ROOT,
              "%d %s · %,d tokens · %.1f s",
              result.steps(),
              result.steps() == 1 ? "step" : "steps",
              result.tokens(),
              result.seconds());
      String padded = name + " ".repeat(Math.max(1, nameWidth - name.length() + 2));
      console
          .lines()
          .println(
              (result.passed() ? style.green("✔ ") : style.red("✘ "))
                  + padded
                  + style.dim(figures));
      for (String failure : result.failures()) {
        console.lines().println("    " + style.red("· ") + TerminalText.line(failure));
      }
      result
          .workDir()
          .ifPresent(
              dir ->
                  console
                      .lines()
                      .println("    " + style.dim("work_dir kept: " + TerminalText.line(dir))));
      showCount();
    }

    private void showCount() {
      if (json) {
        return;
      }
      int finishedCount = passed + failed;
      console
          .live()
          .ifPresent(
              live -> {
                if (finishedCount < total) {
                  live.phase(
                      finishedCount
                          + "/"
                          + total
                          + " done · "
                          + passed
                          + " passed · "
                          + failed
                          + " failed");
                } else {
                  live.idle();
                }
              });
    }
  }
}
