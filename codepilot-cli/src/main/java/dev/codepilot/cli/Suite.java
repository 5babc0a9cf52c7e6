package dev.codepilot.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * An evaluation suite as read from its YAML file: the cases an agent must pass.
 *
 * @param file the suite file
 * @param name the suite's name: its {@code name:}, or the file name without extension
 * @param cases the cases, in file order
 */
record Suite(Path file, String name, List<Case> cases) {

  /** Checks that nothing is null. */
  public Suite {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(name, "name");
    cases = List.copyOf(cases);
  }

  /** The agent files the cases use, each once, in order of first use. */
  public List<Path> agentFiles() {
    return cases.stream().map(Case::agent).distinct().toList();
  }

  /** This suite with only the cases whose name contains {@code text}, ignoring case. */
  public Suite filter(String text) {
    String wanted = text.toLowerCase(Locale.ROOT);
    return new Suite(
        file,
        name,
        cases.stream().filter(c -> c.name().toLowerCase(Locale.ROOT).contains(wanted)).toList());
  }

  /**
   * One case: tasks run in order in one fresh runtime, then the expectations are checked.
   *
   * @param name unique within the suite
   * @param agent the agent's file: the case's {@code agent:}, or the suite's
   * @param tasks one task, or several turns of one conversation
   * @param cassette a replay cassette that replaces the agent's model, if given
   * @param approve whether permission requests are approved (default: denied)
   * @param answers the answers {@code ask_user} gets, in order ("" once they run out)
   * @param expect what must hold after the run
   * @param line where the case starts in the suite file
   */
  public record Case(
      String name,
      Path agent,
      List<String> tasks,
      Optional<Path> cassette,
      boolean approve,
      List<String> answers,
      Expectations expect,
      int line) {

    /** Checks that nothing is null. */
    public Case {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(agent, "agent");
      tasks = List.copyOf(tasks);
      Objects.requireNonNull(cassette, "cassette");
      answers = List.copyOf(answers);
      Objects.requireNonNull(expect, "expect");
    }
  }

  /**
   * What must hold after a case ran; every part is optional.
   *
   * @param finished whether {@code done()} must (true) or must not (false) end the run
   * @param summaryContains texts the summary must contain
   * @param summaryMatches patterns the summary must match somewhere
   * @param files checks of files in the case's work_dir
   * @param commands commands run in the work_dir after the run, with checks
   * @param maxSteps the most steps the case may take
   * @param maxTokens the most tokens (in and out) the case may use
   * @param noSecurityErrors whether a block refused by the policy fails the case
   * @param checks Python expressions that must be true in the case's sandbox
   */
  public record Expectations(
      Optional<Boolean> finished,
      List<String> summaryContains,
      List<Pattern> summaryMatches,
      List<FileCheck> files,
      List<CommandCheck> commands,
      OptionalInt maxSteps,
      OptionalLong maxTokens,
      boolean noSecurityErrors,
      List<String> checks) {

    /** Copies the lists. */
    public Expectations {
      Objects.requireNonNull(finished, "finished");
      summaryContains = List.copyOf(summaryContains);
      summaryMatches = List.copyOf(summaryMatches);
      files = List.copyOf(files);
      commands = List.copyOf(commands);
      Objects.requireNonNull(maxSteps, "maxSteps");
      Objects.requireNonNull(maxTokens, "maxTokens");
      checks = List.copyOf(checks);
    }
  }

  /**
   * Checks of one file, relative to the work_dir.
   *
   * @param path the file, relative to the work_dir and inside it
   * @param exists whether the file must exist (true unless {@code exists: false})
   * @param contains texts the file must contain
   * @param equals the file's whole expected content
   * @param matches patterns the content must match somewhere
   */
  public record FileCheck(
      String path,
      boolean exists,
      List<String> contains,
      Optional<String> equals,
      List<Pattern> matches) {

    /** Copies the lists. */
    public FileCheck {
      Objects.requireNonNull(path, "path");
      contains = List.copyOf(contains);
      Objects.requireNonNull(equals, "equals");
      matches = List.copyOf(matches);
    }
  }

  /**
   * A shell command run in the work_dir after the case, and what its result must be.
   *
   * @param run the command line, run with {@code sh -c}
   * @param exitCode the exit code it must end with (default 0)
   * @param outputContains texts its output (standard output and error) must contain
   * @param outputMatches patterns its output must match somewhere
   * @param timeout how long it may run
   */
  public record CommandCheck(
      String run,
      int exitCode,
      List<String> outputContains,
      List<Pattern> outputMatches,
      Duration timeout) {

    /** Copies the lists. */
    public CommandCheck {
      Objects.requireNonNull(run, "run");
      outputContains = List.copyOf(outputContains);
      outputMatches = List.copyOf(outputMatches);
      Objects.requireNonNull(timeout, "timeout");
    }
  }
}
