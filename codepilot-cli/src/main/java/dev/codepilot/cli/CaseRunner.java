package dev.codepilot.cli;

import dev.codepilot.AgentRuntime;
import dev.codepilot.RunResult;
import dev.codepilot.cli.Suite.Case;
import dev.codepilot.cli.Suite.CommandCheck;
import dev.codepilot.cli.Suite.Expectations;
import dev.codepilot.cli.Suite.FileCheck;
import dev.codepilot.config.AgentConfig;
import dev.codepilot.hooks.Event;
import dev.codepilot.model.ChatModel;
import dev.codepilot.model.ChatModels;
import dev.codepilot.model.Message;
import dev.codepilot.model.ReplayModel;
import dev.codepilot.model.Usage;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Runs one attempt at one case: a fresh copy of the agent's work_dir in a temporary folder, a
 * runtime of its own with an in-memory session, the case's tasks in turn, then every expectation.
 * Thread-safe: attempts share nothing but the agent's configuration.
 */
final class CaseRunner {

  /** How much of a summary or an output a failure message quotes. */
  private static final int QUOTE_CHARS = 300;

  private final Map<Path, AgentConfig> agents;
  private final boolean keep;

  /** Adds what every case's runtime gets beyond the case's own settings (tracing). */
  private final UnaryOperator<AgentRuntime.Builder> configure;

  /** The runtimes and folders of the cases in progress, for {@link #stopAll()}. */
  private final Set<AgentRuntime> running = ConcurrentHashMap.newKeySet();

  private final Set<Path> folders = ConcurrentHashMap.newKeySet();

  /**
   * @param agents the agents under test, as loaded from their files, by file
   * @param keep whether each case's folder is kept rather than deleted after its checks
   * @param configure applied to each case's runtime builder before it is built
   */
  CaseRunner(
      Map<Path, AgentConfig> agents, boolean keep, UnaryOperator<AgentRuntime.Builder> configure) {
    this.agents = Map.copyOf(agents);
    this.keep = keep;
    this.configure = configure;
  }

  /** Runs the case; problems of the run itself are reported as failures, never thrown. */
  public CaseResult run(Case one, int index, int attempt) {
    long started = System.nanoTime();
    Path folder;
    try {
      folder = Files.createTempDirectory("codepilot-eval-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary folder for a case", e);
    }
    folders.add(folder);
    Path work = folder.resolve("work");
    List<String> failures = new ArrayList<>();
    List<CaseResult.Entry> transcript = List.of();
    String outcome = "error";
    Optional<String> summary = Optional.empty();
    int steps = 0;
    Usage usage = Usage.NONE;
    try {
      AgentConfig agent = agents.get(one.agent());
      copyTree(agent.runtime().workDir(), work);
      AgentConfig config = agent.withRuntime(agent.runtime().withWorkDir(work));
      ChatModel model =
          one.cassette().isPresent()
              ? ReplayModel.fromCassette(one.cassette().get())
              : ChatModels.create(agent.model());
      Iterator<String> answers = one.answers().iterator();
      AgentRuntime built;
      try {
        built =
            configure
                .apply(
                    AgentRuntime.builder(config)
                        .model(model)
                        .session("memory")
                        .sessionId("eval-" + (index + 1) + "-" + attempt)
                        .consoleOutput(false)
                        .permissionGate(request -> one.approve())
                        .askUserHandler(question -> answers.hasNext() ? answers.next() : ""))
                .build();
      } catch (RuntimeException e) {
        // The runtime closes the model it was given; without one it is left to close here.
        model.close();
        throw e;
      }
      try (AgentRuntime runtime = built) {
        running.add(runtime);
        List<String> refused = new CopyOnWriteArrayList<>();
        runtime.hooks().on(Event.SecurityError.class, e -> refused.add(e.error()));
        RunResult last = null;
        try {
          for (String task : one.tasks()) {
            last = runtime.run(task);
            steps += last.steps();
            usage = usage.plus(last.usage());
            if (!last.finished()) {
              break;
            }
          }
        } finally {
          running.remove(runtime);
        }
        outcome = last.outcome().name().toLowerCase(Locale.ROOT);
        summary = last.summary();
        transcript =
            runtime.messages().stream()
                .map(m -> new CaseResult.Entry(role(m), m.content()))
                .toList();
        Expectations expect = one.expect();
        checkRun(expect, last, steps, usage, refused, failures);
        for (String check : expect.checks()) {
          AgentRuntime.Evaluation value = runtime.evaluate(check);
          if (value.failed()) {
            failures.add("check `" + check + "`: could not be evaluated: " + quote(value.error()));
          } else if (!value.truthy()) {
            failures.add("check `" + check + "`: is false (its value: " + value.value() + ")");
          }
        }
      }
      for (FileCheck file : one.expect().files()) {
        checkFile(work, file, failures);
      }
      for (CommandCheck command : one.expect().commands()) {
        checkCommand(work, command, failures);
      }
    } catch (RuntimeException | IOException e) {
      failures.add("the case could not run: " + describe(e));
    } finally {
      if (!keep) {
        deleteTree(folder);
      }
      folders.remove(folder);
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    return new CaseResult(
        one.name(),
        index,
        attempt,
        failures,
        outcome,
        summary,
        steps,
        usage.totalInputTokens(),
        usage.outputTokens(),
        seconds,
        keep ? Optional.of(work.toString()) : Optional.empty(),
        transcript);
  }

  /**
   * Stops the cases in progress, when the suite is interrupted: their runs are aborted, the
   * commands their agents started end, and their folders are deleted (unless kept). Does not wait
   * for the runs to return.
   */
  void stopAll() {
    for (AgentRuntime runtime : running) {
      runtime.abort();
      runtime.backgroundProcesses().stopAll();
    }
    if (!keep) {
      folders.forEach(CaseRunner::deleteTree);
    }
  }

  private static void checkRun(
      Expectations expect,
      RunResult last,
      int steps,
      Usage usage,
      List<String> refused,
      List<String> failures) {
    expect
        .finished()
        .ifPresent(
            wanted -> {
              if (wanted && !last.finished()) {
                failures.add(
                    "finished: expected done() to end the run, but it ended with "
                        + last.outcome().name().toLowerCase(Locale.ROOT)
                        + last.error().map(e -> " (" + quote(e) + ")").orElse(""));
              } else if (!wanted && last.finished()) {
                failures.add(
                    "finished: expected the run not to finish, but done() was called: "
                        + quote(last.summary().orElse("")));
              }
            });
    Optional<String> summary = last.summary();
    for (String text : expect.summaryContains()) {
      if (summary.isEmpty()) {
        failures.add(
            "summary_contains \"" + text + "\": there is no summary (done() was not" + " called)");
      } else if (!summary.get().contains(text)) {
        failures.add(
            "summary_contains \""
                + text
                + "\": the summary does not contain it; it is "
                + quote(summary.get()));
      }
    }
    for (Pattern pattern : expect.summaryMatches()) {
      if (summary.isEmpty()) {
        failures.add(
            "summary_matches /"
                + pattern.pattern()
                + "/: there is no summary (done()"
                + " was not called)");
      } else if (!pattern.matcher(summary.get()).find()) {
        failures.add(
            "summary_matches /"
                + pattern.pattern()
                + "/: the summary does not match;"
                + " it is "
                + quote(summary.get()));
      }
    }
    expect
        .maxSteps()
        .ifPresent(
            max -> {
              if (steps > max) {
                failures.add("max_steps: took " + steps + " steps, more than " + max);
              }
            });
    long tokens = usage.totalInputTokens() + usage.outputTokens();
    expect
        .maxTokens()
        .ifPresent(
            max -> {
              if (tokens > max) {
                failures.add(
                    "max_tokens: used "
                        + tokens
                        + " tokens ("
                        + usage.totalInputTokens()
                        + " in, "
                        + usage.outputTokens()
                        + " out), more than "
                        + max);
              }
            });
    if (expect.noSecurityErrors() && !refused.isEmpty()) {
      failures.add(
          "no_security_errors: the policy refused "
              + refused.size()
              + (refused.size() == 1 ? " block" : " blocks")
              + "; first: "
              + quote(refused.get(0)));
    }
  }

  private static void checkFile(Path work, FileCheck check, List<String> failures)
      throws IOException {
    String label = "files." + check.path();
    Path file = work.resolve(check.path()).normalize();
    boolean exists = Files.exists(file, LinkOption.NOFOLLOW_LINKS);
    if (!check.exists()) {
      if (exists) {
        failures.add(label + ": exists, but must not");
      }
      return;
    }
    if (!exists) {
      failures.add(label + ": does not exist");
      return;
    }
    if (check.contains().isEmpty() && check.equals().isEmpty() && check.matches().isEmpty()) {
      return;
    }
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      failures.add(label + ": is not a regular file, so its content cannot be checked");
      return;
    }
    String content;
    try {
      content = Files.readString(file, StandardCharsets.UTF_8);
    } catch (CharacterCodingException e) {
      failures.add(label + ": is not UTF-8 text, so its content cannot be checked");
      return;
    }
    for (String text : check.contains()) {
      if (!content.contains(text)) {
        failures.add(label + ": does not contain \"" + text + "\"; it holds " + quote(content));
      }
    }
    check
        .equals()
        .ifPresent(
            expected -> {
              if (!content.equals(expected)) {
                failures.add(
                    label
                        + ": differs from the expected content "
                        + firstDifference(expected, content)
                        + "; it holds "
                        + quote(content));
              }
            });
    for (Pattern pattern : check.matches()) {
      if (!pattern.matcher(content).find()) {
        failures.add(
            label + ": does not match /" + pattern.pattern() + "/; it holds " + quote(content));
      }
    }
  }

  private static void checkCommand(Path work, CommandCheck check, List<String> failures)
      throws IOException {
    String label = "command `" + check.run() + "`";
    Path output = Files.createTempFile("codepilot-eval-command", ".txt");
    try {
      Process process =
          new ProcessBuilder("sh", "-c", check.run())
              .directory(work.toFile())
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
      boolean ended;
      try {
        ended = process.waitFor(check.timeout().toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        ended = false;
      }
      if (!ended) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        failures.add(label + ": did not end within " + check.timeout().toSeconds() + " s");
        return;
      }
      String text = new String(Files.readAllBytes(output), StandardCharsets.UTF_8);
      if (process.exitValue() != check.exitCode()) {
        failures.add(
            label
                + ": exited with "
                + process.exitValue()
                + ", expected "
                + check.exitCode()
                + "; output: "
                + quote(text));
      }
      for (String wanted : check.outputContains()) {
        if (!text.contains(wanted)) {
          failures.add(
              label + ": output does not contain \"" + wanted + "\"; output: " + quote(text));
        }
      }
      for (Pattern pattern : check.outputMatches()) {
        if (!pattern.matcher(text).find()) {
          failures.add(
              label
                  + ": output does not match /"
                  + pattern.pattern()
                  + "/; output: "
                  + quote(text));
        }
      }
    } finally {
      Files.deleteIfExists(output);
    }
  }

  /** Where two texts first differ, by line, for a message. */
  private static String firstDifference(String expected, String actual) {
    List<String> a = expected.lines().toList();
    List<String> b = actual.lines().toList();
    for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
      String left = i < a.size() ? a.get(i) : null;
      String right = i < b.size() ? b.get(i) : null;
      if (left == null || !left.equals(right)) {
        return "at line "
            + (i + 1)
            + " (expected "
            + (left == null ? "no line" : quote(left))
            + ", found "
            + (right == null ? "no line" : quote(right))
            + ")";
      }
    }
    return "in its line endings or final newline";
  }

  private static String role(Message message) {
    return message.role().name().toLowerCase(Locale.ROOT);
  }

  /** A text quoted for a message, cut to a readable length. */
  static String quote(String text) {
    String cut = text.length() > QUOTE_CHARS ? text.substring(0, QUOTE_CHARS) + "…" : text;
    return "\"" + cut.replace("\\", "\\\\").replace("\n", "\\n").replace("\"", "\\\"") + "\"";
  }

  private static String describe(Exception e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.toString() : message;
  }

  /** Copies a folder, symbolic links as links; a missing source gives an empty folder. */
  private static void copyTree(Path source, Path target) throws IOException {
    Files.createDirectories(target);
    if (!Files.isDirectory(source)) {
      return;
    }
    Files.walkFileTree(
        source,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
              throws IOException {
            Files.createDirectories(target.resolve(source.relativize(dir).toString()));
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.copy(
                file,
                target.resolve(source.relativize(file).toString()),
                LinkOption.NOFOLLOW_LINKS,
                StandardCopyOption.COPY_ATTRIBUTES);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  private static void deleteTree(Path root) {
    try {
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.deleteIfExists(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
              Files.deleteIfExists(dir);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      System.err.println("codepilot: could not remove " + root + ": " + e.getMessage());
    }
  }
}
