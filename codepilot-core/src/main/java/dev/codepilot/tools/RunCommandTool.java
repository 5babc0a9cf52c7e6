package dev.codepilot.tools;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code run_command(command, timeout=None, background=False)}: runs a shell command in the
 * workspace ({@code /bin/sh -c} on Unix, {@code cmd /c} on Windows) with standard input closed.
 *
 * <p>In the foreground it waits for the command and returns the command, its STDOUT, its STDERR and
 * {@code Return Code: N}; both streams are read as they come, so a chatty command never blocks, and
 * kept within {@code runtime.max_output_chars}. The timeout is the {@code timeout} argument, else
 * the agent file's {@code config.timeout} for the tool, else 30 seconds; when it passes, the
 * command and every process it started are killed and the result says {@code timed out after Ns}.
 *
 * <p>With {@code background=True} it starts the command, returns its id ({@code bg1}, ...) at once
 * and keeps its output; {@code command_output(id)} and {@code stop_command(id)} read and end it,
 * and the runtime ends it when it is reset or closed. A {@code timeout} given with {@code
 * background=True} is the process's lifetime.
 *
 * <p>The command's environment is an allow-list of the runtime's ({@code PATH}, {@code HOME},
 * {@code LANG}, {@code LC_*}, {@code TERM}, {@code TZ}) plus {@code runtime.shell.env}; API keys
 * and tokens the runtime holds never reach it.
 *
 * <p>The working directory is the workspace. Where bubblewrap works (and unless {@code
 * runtime.shell.confine} is {@code never}) the command runs in the {@link CommandJail}: it can
 * write only there and in a private {@code /tmp}, cannot read the home folder and has no network.
 * Unconfined, it runs with the rights of the runtime's user: gate this tool with {@code
 * require_permission: true} where that matters.
 */
final class RunCommandTool implements ToolDefinition {

  static final String NAME = "run_command";
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  /** How long to wait for the output pipes after the command ended. */
  private static final Duration PIPE_GRACE = Duration.ofSeconds(2);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return """
        Run a shell command in the working directory and return its STDOUT, STDERR and \
        Return Code (non-zero means it failed); timeout is in seconds. \
        background=True starts a long-running process (a server, a watcher) and returns its \
        id at once; read it with command_output(id), end it with stop_command(id).""";
  }

  @Override
  public List<ToolParameter> parameters() {
    return List.of(
        ToolParameter.required("command", PyType.STR),
        ToolParameter.optional("timeout", PyType.INT, null),
        ToolParameter.optional("background", PyType.BOOL, false));
  }

  @Override
  public String describe(ToolInvocation call) {
    String text = "Execute: " + call.get("command");
    return Boolean.TRUE.equals(call.get("background")) ? text + " (in the background)" : text;
  }

  @Override
  public Object invoke(ToolInvocation call) throws ToolException, InterruptedException {
    String command = call.string("command");
    if (command.isBlank()) {
      throw ToolException.valueError("run_command(): command must not be empty");
    }
    ToolContext context = call.context();
    Path workDir = context.workspace().realRoot();
    if (call.bool("background")) {
      return startInBackground(context, command, workDir, timeoutArgument(call));
    }
    return runInForeground(context, command, workDir, effectiveTimeout(call));
  }

  /** The timeout the call asked for; ValueError unless it is a positive number of seconds. */
  static Optional<Duration> timeoutArgument(ToolInvocation call) throws ToolException {
    Optional<Double> seconds = call.optionalNumber("timeout");
    if (seconds.isPresent() && !(seconds.get() > 0 && seconds.get() <= 1e9)) {
      throw ToolException.valueError(
          "run_command(): timeout must be a positive number of"
              + " seconds, not "
              + PythonNames.literal(call.get("timeout")));
    }
    return seconds.map(s -> Duration.ofMillis(Math.max(1, Math.round(s * 1000))));
  }

  /** The timeout a foreground call runs with: argument, else agent file, else 30 s. */
  static Duration effectiveTimeout(ToolInvocation call) throws ToolException {
    return timeoutArgument(call)
        .or(() -> call.context().toolConfig(NAME).timeout())
        .orElse(DEFAULT_TIMEOUT);
  }

  private static String runInForeground(
      ToolContext context, String command, Path workDir, Duration timeout)
      throws ToolException, InterruptedException {
    int limit = context.runtimeConfig().maxOutputChars();
    Process process;
    try {
      process = Shell.start(command, workDir, context.runtimeConfig().shell(), false);
    } catch (IOException e) {
      throw new ToolException(
          "OSError", "run_command(): cannot start the shell: " + e.getMessage());
    }
    BackgroundProcesses processes = context.backgroundProcesses();
    try {
      processes.trackForeground(process);
    } catch (IllegalStateException e) {
      throw ToolException.runtimeError("run_command(): " + e.getMessage());
    }
    OutputBuffer stdout = new OutputBuffer(limit, limit);
    OutputBuffer stderr = new OutputBuffer(limit, limit);
    Thread outReader =
        Thread.ofPlatform()
            .daemon()
            .name("codepilot-stdout")
            .start(() -> stdout.drain(process.getInputStream()));
    Thread errReader =
        Thread.ofPlatform()
            .daemon()
            .name("codepilot-stderr")
            .start(() -> stderr.drain(process.getErrorStream()));
    boolean finished = false;
    try {
      finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } finally {
      if (!finished) {
        Shell.endTree(process.toHandle(), Duration.ZERO);
      }
      processes.untrackForeground(process);
    }
    long deadline = System.nanoTime() + PIPE_GRACE.toNanos();
    outReader.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
    errReader.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
    boolean pipesOpen = outReader.isAlive() || errReader.isAlive();

    StringBuilder text = new StringBuilder("$ ").append(command).append('\n');
    appendOutputs(text, stdout, stderr, limit);
    if (finished) {
      text.append("Return Code: ").append(process.exitValue());
    } else {
      text.append("Return Code: none (timed out after ")
          .append(Shell.seconds(timeout))
          .append("; the command and the processes it started were killed)");
    }
    if (finished && pipesOpen) {
      text.append(
          "\n[Note: the command ended, but a process it started still holds its output"
              + " open and may still be running; start long-running processes with"
              + " run_command(..., background=True).]");
    }
    return text.toString();
  }

  /** Adds the non-empty streams, sharing the output limit so the return code always shows. */
  private static void appendOutputs(
      StringBuilder text, OutputBuffer stdout, OutputBuffer stderr, int limit) {
    if (stdout.isEmpty() && stderr.isEmpty()) {
      text.append("(no output)\n");
      return;
    }
    int budget = Math.max(limit - 300, 100);
    long outSize = stdout.totalBytes();
    long errSize = stderr.totalBytes();
    int errBudget =
        errSize <= budget / 2 ? (int) errSize : (int) Math.max(budget / 2, budget - outSize);
    int outBudget = Math.max(budget - errBudget, 50);
    if (!stdout.isEmpty()) {
      text.append("STDOUT:\n").append(stdout.text(outBudget).stripTrailing()).append('\n');
    }
    if (!stderr.isEmpty()) {
      text.append("STDERR:\n")
          .append(stderr.text(Math.max(errBudget, 50)).stripTrailing())
          .append('\n');
    }
  }

  private static Object startInBackground(
      ToolContext context, String command, Path workDir, Optional<Duration> lifetime)
      throws ToolException {
    BackgroundProcess started;
    try {
      started =
          context
              .backgroundProcesses()
              .start(command, workDir, context.runtimeConfig().shell(), lifetime);
    } catch (IOException e) {
      throw new ToolException(
          "OSError", "run_command(): cannot start the shell: " + e.getMessage());
    } catch (IllegalStateException e) {
      throw ToolException.runtimeError("run_command(): " + e.getMessage());
    }
    String id = started.id();
    return new ToolOutput(
        id,
        "Started background process "
            + id
            + " (pid "
            + started.pid()
            + "): "
            + command
            + "\nRead its output with command_output('"
            + id
            + "'); end it with"
            + " stop_command('"
            + id
            + "')."
            + lifetime.map(t -> " It will be stopped after " + Shell.seconds(t) + ".").orElse(""));
  }
}
