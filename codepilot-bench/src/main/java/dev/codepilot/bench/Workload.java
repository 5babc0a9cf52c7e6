package dev.codepilot.bench;

import dev.codepilot.config.AgentConfig;
import dev.codepilot.config.RuntimeConfig;
import dev.codepilot.model.Message;
import dev.codepilot.model.ModelConfig;
import dev.codepilot.tools.Param;
import dev.codepilot.tools.Tool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The work every harness repeats: an agent with the built-in tools plus one custom tool, and the
 * reply a model sends each step. The control block is a typical one: five tool calls (think,
 * read_file, three custom-tool calls), a loop and a json round-trip.
 *
 * <p>In interpreter-only GraalPy the stdlib {@code json} is slow (a {@code dumps} plus {@code
 * loads} of a small dict costs about a millisecond), so the round-trip is a visible part of the
 * block's cost; it is kept because real blocks do it.
 */
public final class Workload {

  /** The control block of every step. */
  public static final String BLOCK =
      """
      # Check the stock of the items in the notes and keep a summary for the next steps.
      import json
      think("Checking stock levels")
      notes = read_file("notes.md")
      low = []
      for sku in ("A-100", "B-200", "C-300"):
          if stock_level(sku) < 5:
              low.append(sku)
      squares = 0
      for i in range(20):
          squares += i * i
      summary = json.loads(json.dumps({"low": low, "squares": squares}))
      print("low stock:", ", ".join(summary["low"]) or "none", "| squares:", summary["squares"])
      """;

  /** A model reply: the control block, fenced. */
  public static final String REPLY = "```python\n" + BLOCK + "```\n";

  /** What running {@link #BLOCK} feeds back: its output, then each tool's result (about 1.8 KB). */
  public static final String EXECUTION_RESULT = executionResult();

  /** A reply that ends the run. */
  public static final String DONE_REPLY = "```python\ndone(\"Stock checked.\")\n```\n";

  private static final int NOTE_ITEMS = 40;

  private Workload() {}

  /** The custom tool the block calls: plain Java, no I/O. */
  public static final class Inventory {

    @Tool("The number of items of a product in stock.")
    public int stockLevel(@Param("sku") String sku) {
      return sku.startsWith("B") ? 3 : sku.length() + 3;
    }
  }

  /**
   * An agent working in {@code workDir}, which gets the file the block reads. The model section is
   * unused: harnesses pass their own model.
   */
  public static AgentConfig agent(Path workDir, int maxSteps) {
    try {
      Files.createDirectories(workDir);
      StringBuilder notes = new StringBuilder("# Stock notes\n\n");
      for (int i = 1; i <= NOTE_ITEMS; i++) {
        notes.append("- item ").append(i).append(": reorder when below five\n");
      }
      Files.writeString(workDir.resolve("notes.md"), notes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    RuntimeConfig runtime =
        new RuntimeConfig(
            workDir.toAbsolutePath().normalize(),
            maxSteps,
            false,
            RuntimeConfig.DEFAULT_ALLOWED_IMPORTS,
            Duration.ofSeconds(30),
            RuntimeConfig.DEFAULT_MAX_OUTPUT_CHARS);
    return AgentConfig.builder()
        .name("Bench Agent")
        .role("an agent that checks stock levels.")
        .systemPrompt("Keep replies short.")
        .model(ModelConfig.replay(workDir.resolve("unused-cassette.json")))
        .runtime(runtime)
        .build();
  }

  private static String executionResult() {
    int lines = NOTE_ITEMS + 2;
    StringBuilder out =
        new StringBuilder("[EXECUTION RESULT]\nlow stock: B-200 | squares: 2470\n\n");
    out.append("'notes.md' (lines 1–").append(lines).append(" of ").append(lines).append(")\n");
    out.append("    1 | # Stock notes\n    2 |\n");
    for (int i = 1; i <= NOTE_ITEMS; i++) {
      out.append(String.format("%5d | - item %d: reorder when below five\n", i + 2, i));
    }
    return out.append("\n8\n\n3\n\n8").toString();
  }

  /**
   * The same agent with an {@code openai} model on a Chat Completions server at {@code baseUrl} (no
   * retries: a failed call shows up as a failed run).
   */
  public static AgentConfig servedAgent(URI baseUrl, Path workDir, int maxSteps) {
    AgentConfig base = agent(workDir, maxSteps);
    return base.toBuilder()
        .model(
            ModelConfig.builder()
                .provider("openai")
                .name("bench-model")
                .maxTokens(1024)
                .baseUrl(baseUrl)
                .requestTimeout(Duration.ofSeconds(60))
                .maxRetries(0)
                .build())
        .build();
  }

  /**
   * A history of {@code steps} steps: the task, then per step the reply and the execution result it
   * produces (as a real run of {@link #BLOCK} does, about 2 KB per step).
   */
  public static List<Message> history(int steps, String executionResult) {
    List<Message> messages = new ArrayList<>(2 * steps + 1);
    messages.add(Message.user("[USER INPUT]\nCheck the stock levels."));
    for (int i = 0; i < steps; i++) {
      messages.add(Message.assistant(REPLY));
      messages.add(Message.user(executionResult));
    }
    return messages;
  }
}
