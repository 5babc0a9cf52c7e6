package dev.codepilot.bench;

import dev.codepilot.AgentRuntime;
import dev.codepilot.RunResult;
import dev.codepilot.config.AgentConfig;
import dev.codepilot.config.ContextConfig;
import dev.codepilot.model.ChatModels;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * How the prompt grows over a run: a session through the real {@code openai} provider against
 * {@link ChatCompletionsServer}, recording per request the bytes on the wire (the whole JSON body),
 * the system prompt's length and the history's length; once with the context view at its defaults
 * and once with it off ({@code runtime.context.enabled: false}, every message in full, as the
 * original sends them).
 *
 * <p>Two scripted workloads. {@code mixed} cycles through three kinds of step, each about as large
 * as real ones: writing a 40-line module (a payload) and counting its lines with {@code
 * run_command}; reading it back with {@code read_file}; the typical block of {@link Workload}.
 * {@code printing} has every block print about 3 KB; the first also prints a fact, which the last
 * block reads back through {@code results[0]} and passes to {@code done()}, so the run shows that
 * nothing cut from the prompt is lost.
 *
 * <pre>
 * ContextGrowth [--steps 50] [--workload mixed|printing] [--context both|on|off]
 *               [--keep-recent 5] [--result-chars 300] [--bodies DIR]
 * </pre>
 *
 * <p>{@code --bodies DIR} keeps every request body as {@code DIR/on/request-N.json} and {@code
 * DIR/off/request-N.json}, for counting their tokens with a real tokenizer ({@code
 * codepilot-bench/count-tokens.mjs}).
 */
public final class ContextGrowth {

  /** One request: its step, the bytes of its JSON body, and its prompt's parts in characters. */
  record Sample(int step, int bodyBytes, int systemChars, int historyChars, int messages) {}

  private ContextGrowth() {}

  /** A whole run: its requests and how it ended. */
  record Run(List<Sample> samples, RunResult result) {
    long totalBytes() {
      return samples.stream().mapToLong(Sample::bodyBytes).sum();
    }

    /** The request characters (system prompt and history) over 3: the view's estimate. */
    long estimatedTokens() {
      return samples.stream().mapToLong(s -> (s.systemChars() + s.historyChars()) / 3L).sum();
    }
  }

  public static void main(String[] argv) throws Exception {
    Args args = new Args(argv);
    int steps = args.integer("steps", 50);
    String workload = args.string("workload", "mixed");
    String context = args.string("context", "both");
    Path dir = Path.of(args.string("dir", "codepilot-bench/target/growth"));
    System.out.println(Machine.describe());
    ContextConfig settings =
        new ContextConfig(
            true,
            args.integer("keep-recent", ContextConfig.DEFAULT_KEEP_RECENT),
            args.integer("result-chars", ContextConfig.DEFAULT_RESULT_CHARS),
            ContextConfig.DEFAULT.windowTokens(),
            ContextConfig.DEFAULT_SUMMARIZE_AT);
    Run on = null;
    Run off = null;
    String bodies = args.string("bodies", "");
    if (!context.equals("off")) {
      on =
          run(
              steps,
              dir,
              workload,
              settings,
              bodies.isEmpty() ? null : Path.of(bodies).resolve("on"));
      print(
          "context view on (keep_recent "
              + settings.keepRecent()
              + ", result_chars "
              + settings.resultChars()
              + ")",
          on,
          steps);
    }
    if (!context.equals("on")) {
      off =
          run(
              steps,
              dir,
              workload,
              ContextConfig.DISABLED,
              bodies.isEmpty() ? null : Path.of(bodies).resolve("off"));
      print("context view off (every message in full)", off, steps);
    }
    if (on != null && off != null) {
      System.out.printf(
          "%nWith the view: %.1f%% fewer request bytes, %.1f%% fewer estimated"
              + " tokens (%,d vs %,d); the run's own estimate of tokens saved: %,d.%n",
          100.0 * (off.totalBytes() - on.totalBytes()) / off.totalBytes(),
          100.0 * (off.estimatedTokens() - on.estimatedTokens()) / off.estimatedTokens(),
          on.estimatedTokens(),
          off.estimatedTokens(),
          on.result().savedInputTokens());
    }
    System.exit(0);
  }

  private static void print(String title, Run run, int steps) {
    System.out.println();
    System.out.println("### " + title);
    System.out.println();
    System.out.println(
        "| step | request body (bytes) | system prompt (chars) | history (chars)"
            + " | messages |");
    System.out.println("|---|---|---|---|---|");
    for (Sample s : run.samples()) {
      if (s.step() == 1 || s.step() % 10 == 0 || s.step() == steps || s.step() == 5) {
        System.out.printf(
            "| %d | %d | %d | %d | %d |%n",
            s.step(), s.bodyBytes(), s.systemChars(), s.historyChars(), s.messages());
      }
    }
    List<Sample> samples = run.samples();
    Sample last = samples.get(samples.size() - 1);
    System.out.printf(
        "%nTotal sent over %d steps: %d bytes (%.1f MB), ~%,d tokens estimated;"
            + " growth per step: %d bytes on average. The run ended: %s.%n",
        samples.size(),
        run.totalBytes(),
        run.totalBytes() / (1024.0 * 1024),
        run.estimatedTokens(),
        (last.bodyBytes() - samples.get(0).bodyBytes()) / Math.max(1, samples.size() - 1),
        run.result().summary().orElse(run.result().outcome().toString()));
  }

  static List<Sample> run(int steps, Path dir) throws Exception {
    return run(steps, dir, "mixed", ContextConfig.DISABLED, null).samples();
  }

  static Run run(int steps, Path dir, String workload, ContextConfig context, Path bodies)
      throws Exception {
    Path work = dir.toAbsolutePath().resolve("workspace");
    BenchFiles.deleteTree(work);
    IntFunction<String> replies =
        switch (workload) {
          case "mixed" -> n -> n + 1 >= steps ? Workload.DONE_REPLY : reply(n);
          case "printing" -> n -> printing(n, steps);
          default -> throw new IllegalArgumentException("--workload must be mixed or printing");
        };
    RunResult result;
    try (ChatCompletionsServer server = new ChatCompletionsServer(Duration.ZERO, replies)) {
      if (bodies != null) {
        server.keepBodiesIn(bodies);
      }
      AgentConfig served = Workload.servedAgent(server.baseUrl(), work, steps);
      AgentConfig config = served.withRuntime(served.runtime().withContext(context));
      TimedModel model = new TimedModel(ChatModels.create(config.model()));
      try (AgentRuntime runtime =
          AgentRuntime.builder(config).model(model).consoleOutput(false).build()) {
        runtime.registerTools(new Workload.Inventory());
        result = runtime.run("Write a small inventory package and check the stock.");
        if (!result.finished()) {
          throw new IllegalStateException("the scripted run did not finish: " + result);
        }
      }
      List<ChatCompletionsServer.Received> received = server.received();
      List<TimedModel.Call> calls = model.calls();
      List<Sample> samples = new ArrayList<>();
      for (int i = 0; i < calls.size(); i++) {
        TimedModel.Call call = calls.get(i);
        samples.add(
            new Sample(
                i + 1,
                received.get(i).bodyBytes(),
                call.systemChars(),
                call.historyChars(),
                call.messages()));
      }
      return new Run(samples, result);
    }
  }

  /**
   * The n-th step's reply (n from 0) of the printing workload: about 3 KB of output per block; the
   * first prints a fact the last reads back through {@code results[0]}.
   */
  static String printing(int n, int steps) {
    if (n == 0) {
      return "```python\nprint('The warehouse code is K-4711.')\nprint('stock ' * 500)\n```";
    }
    if (n + 1 >= steps) {
      return "```python\nfact = results[0].splitlines()[0]\ndone('Recalled from step 1: ' + fact)"
          + "\n```";
    }
    return "```python\nprint('step " + n + ": ' * 375)\n```";
  }

  /** The n-th step's reply (n from 0): write a module, read it back, or the typical block. */
  static String reply(int n) {
    String module = "inventory/module" + (n / 3) + ".py";
    return switch (n % 3) {
      case 0 ->
          "```python\n# Write the next module of the package and count its lines.\n"
              + "write_file(\""
              + module
              + "\")\n"
              + "print(run_command(\"wc -l "
              + module
              + "\"))\n```\n"
              + "````\n"
              + moduleSource(n / 3)
              + "````\n";
      case 1 ->
          "```python\n# Read the module back before building on it.\n"
              + "read_file(\""
              + module
              + "\")\n```\n";
      default -> Workload.REPLY;
    };
  }

  private static String moduleSource(int index) {
    StringBuilder source = new StringBuilder("\"\"\"Stock rules, part " + index + ".\"\"\"\n\n");
    for (int i = 0; i < 19; i++) {
      source
          .append("def reorder_")
          .append(i)
          .append("(count):\n")
          .append("    return count < ")
          .append(i + 3)
          .append("\n");
    }
    return source.toString();
  }
}
