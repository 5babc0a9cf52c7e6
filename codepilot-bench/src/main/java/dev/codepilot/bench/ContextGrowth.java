package dev.codepilot.bench;

import dev.codepilot.AgentRuntime;
import dev.codepilot.RunResult;
import dev.codepilot.config.AgentConfig;
import dev.codepilot.model.ChatModels;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How the prompt grows over a run: a 50-step session through the real {@code openai} provider
 * against {@link ChatCompletionsServer}, recording per request the bytes on the wire (the whole
 * JSON body), the system prompt's length and the history's length.
 *
 * <p>The scripted session cycles through three kinds of step, each about as large as real
 * ones: writing a 40-line module (a payload) and counting its lines with {@code run_command};
 * reading it back with {@code read_file}; the typical block of {@link Workload}. The last step
 * calls {@code done()}. This is the baseline that context management (summarising or dropping
 * old steps) has to beat.
 *
 * <pre>
 * ContextGrowth [--steps 50]
 * </pre>
 */
public final class ContextGrowth {

  /** One request: its step, the bytes of its JSON body, and its prompt's parts in characters. */
  record Sample(int step, int bodyBytes, int systemChars, int historyChars, int messages) {
  }

  private ContextGrowth() {
  }

  public static void main(String[] argv) throws Exception {
    Args args = new Args(argv);
    int steps = args.integer("steps", 50);
    List<Sample> samples = run(steps, Path.of(args.string("dir", "codepilot-bench/target/growth")));
    System.out.println(Machine.describe());
    System.out.println();
    System.out.println("| step | request body (bytes) | system prompt (chars) | history (chars)"
        + " | messages |");
    System.out.println("|---|---|---|---|---|");
    long total = 0;
    for (Sample s : samples) {
      total += s.bodyBytes();
      if (s.step() == 1 || s.step() % 10 == 0 || s.step() == steps || s.step() == 5) {
        System.out.printf("| %d | %d | %d | %d | %d |%n", s.step(), s.bodyBytes(),
            s.systemChars(), s.historyChars(), s.messages());
      }
    }
    Sample last = samples.get(samples.size() - 1);
    System.out.printf("%nTotal sent over %d steps: %d bytes (%.1f MB); growth per step: %d bytes"
            + " on average.%n", samples.size(), total, total / (1024.0 * 1024),
        (last.bodyBytes() - samples.get(0).bodyBytes()) / Math.max(1, samples.size() - 1));
    System.exit(0);
  }

  static List<Sample> run(int steps, Path dir) throws Exception {
    Path work = dir.toAbsolutePath().resolve("workspace");
    BenchFiles.deleteTree(work);
    try (ChatCompletionsServer server = new ChatCompletionsServer(Duration.ZERO,
        n -> n + 1 >= steps ? Workload.DONE_REPLY : reply(n))) {
      AgentConfig config = Workload.servedAgent(server.baseUrl(), work, steps);
      TimedModel model = new TimedModel(ChatModels.create(config.model()));
      try (AgentRuntime runtime = AgentRuntime.builder(config).model(model).consoleOutput(false)
          .build()) {
        runtime.registerTools(new Workload.Inventory());
        RunResult result = runtime.run("Write a small inventory package and check the stock.");
        if (!result.finished()) {
          throw new IllegalStateException("the scripted run did not finish: " + result);
        }
      }
      List<ChatCompletionsServer.Received> received = server.received();
      List<TimedModel.Call> calls = model.calls();
      List<Sample> samples = new ArrayList<>();
      for (int i = 0; i < calls.size(); i++) {
        TimedModel.Call call = calls.get(i);
        samples.add(new Sample(i + 1, received.get(i).bodyBytes(), call.systemChars(),
            call.historyChars(), call.messages()));
      }
      return samples;
    }
  }

  /** The n-th step's reply (n from 0): write a module, read it back, or the typical block. */
  static String reply(int n) {
    String module = "inventory/module" + (n / 3) + ".py";
    return switch (n % 3) {
      case 0 -> "```python\n# Write the next module of the package and count its lines.\n"
          + "write_file(\"" + module + "\")\n"
          + "print(run_command(\"wc -l " + module + "\"))\n```\n"
          + "````\n" + moduleSource(n / 3) + "````\n";
      case 1 -> "```python\n# Read the module back before building on it.\n"
          + "read_file(\"" + module + "\")\n```\n";
      default -> Workload.REPLY;
    };
  }

  private static String moduleSource(int index) {
    StringBuilder source = new StringBuilder("\"\"\"Stock rules, part " + index + ".\"\"\"\n\n");
    for (int i = 0; i < 19; i++) {
      source.append("def reorder_").append(i).append("(count):\n")
          .append("    return count < ").append(i + 3).append("\n");
    }
    return source.toString();
  }
}
