package dev.codepilot.bench;

import dev.codepilot.config.AgentConfig;
import dev.codepilot.config.ShellConfig;
import dev.codepilot.tools.BuiltinTools;
import dev.codepilot.tools.CommandJail;
import dev.codepilot.tools.ToolDefinition;
import dev.codepilot.tools.ToolInvocation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cost of confining a command: {@code run_command} called through the real tool (no model, no
 * sandbox) with {@code runtime.shell.confine: never} and {@code always}, rounds of the two
 * interleaved so that load on the machine falls on both alike. Each call is timed from the tool's
 * start to its result, process start, wait and output read included.
 *
 * <pre>
 * CommandOverhead [--runs 100] [--warmup 10] [--command "true"] [--dir DIR]
 * </pre>
 */
public final class CommandOverhead {

  /** The figures for one setting. */
  record Row(String confine, Stats time) {}

  private CommandOverhead() {}

  public static void main(String[] argv) throws Exception {
    Args args = new Args(argv);
    List<Row> rows =
        run(
            args.integer("runs", 100),
            args.integer("warmup", 10),
            args.string("command", "true"),
            Path.of(args.string("dir", "codepilot-bench/target/command-overhead")));
    System.out.println(Machine.describe());
    System.out.println("confinement: " + CommandJail.status().detail());
    System.out.println();
    System.out.println("| confine | run_command('sh -c true'), median (p25–p75) ms | p90 ms |");
    System.out.println("|---|---|---|");
    for (Row row : rows) {
      System.out.printf(
          "| %s | %s | %s |%n",
          row.confine(), row.time().medianAndSpread(), Stats.ms(row.time().quantile(0.9)));
    }
    System.exit(0);
  }

  /**
   * Times {@code runs} calls of each setting after {@code warmup} untimed ones.
   *
   * @throws IllegalStateException when bubblewrap cannot confine commands here
   */
  static List<Row> run(int runs, int warmup, String command, Path dir) throws Exception {
    if (!CommandJail.status().available()) {
      throw new IllegalStateException(
          "commands cannot be confined here: " + CommandJail.status().detail());
    }
    Path work = Files.createDirectories(dir.toAbsolutePath().resolve("workspace"));
    ShellConfig.Confine[] settings = {ShellConfig.Confine.NEVER, ShellConfig.Confine.ALWAYS};
    List<List<Long>> times = List.of(new ArrayList<>(), new ArrayList<>());
    ToolDefinition tool = BuiltinTools.runCommand();
    List<BenchToolContext> contexts = new ArrayList<>();
    for (ShellConfig.Confine setting : settings) {
      AgentConfig base = Workload.agent(work, 1);
      contexts.add(
          new BenchToolContext(
              base.withRuntime(
                  base.runtime().withShell(base.runtime().shell().withConfine(setting)))));
    }
    for (int round = 0; round < warmup + runs; round++) {
      for (int i = 0; i < settings.length; i++) {
        ToolInvocation call =
            new ToolInvocation(tool, Map.of("command", command), Optional.empty(), contexts.get(i));
        long started = System.nanoTime();
        Object result = tool.invoke(call);
        long took = System.nanoTime() - started;
        if (!String.valueOf(result).endsWith("Return Code: 0")) {
          throw new IllegalStateException("the command failed: " + result);
        }
        if (round >= warmup) {
          times.get(i).add(took);
        }
      }
    }
    return List.of(
        new Row("never", Stats.of(times.get(0))), new Row("always", Stats.of(times.get(1))));
  }
}
