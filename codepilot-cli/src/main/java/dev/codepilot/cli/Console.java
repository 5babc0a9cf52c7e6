package dev.codepilot.cli;

import dev.codepilot.internal.TerminalText;
import dev.codepilot.internal.Terminals;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The user's side of a command: where lines go, whether they may be coloured, how wide they may be,
 * and how a question is asked. With a terminal on both standard input and output it is a JLine
 * terminal with a {@link LiveView} at the bottom; otherwise lines go to standard output as plain,
 * stable text and nothing is ever asked.
 */
final class Console implements AutoCloseable {

  /** Where permanent lines go. */
  interface Lines {
    void println(String text);
  }

  /** How wide lines are cut when the output is not a terminal. */
  private static final int PIPE_WIDTH = 160;

  private final Terminal terminal;
  private final LiveView live;
  private final Lines lines;
  private final Style style;
  private LineReader answers;
  private LineReader tasks;
  private BufferedReader stdin;

  private Console(Terminal terminal, Lines lines, Style style) {
    this.terminal = terminal;
    this.style = style;
    if (terminal != null) {
      this.live = new LiveView(terminal, style);
      this.lines = live;
    } else {
      this.live = null;
      this.lines = lines;
    }
  }

  /**
   * The terminal when standard input and output are both one; plain standard output otherwise. A
   * terminal that JLine cannot open falls back to plain output.
   */
  static Console open() {
    Terminal relayed = relayedTerminal;
    if (relayed != null) {
      return new Console(relayed, null, Style.forOutput(true));
    }
    if (Terminals.interactiveConsole().isPresent()) {
      try {
        Terminal terminal =
            TerminalBuilder.builder()
                .system(true)
                .encoding(StandardCharsets.UTF_8)
                .nativeSignals(true)
                .build();
        if (!Terminal.TYPE_DUMB.equals(terminal.getType())
            && !Terminal.TYPE_DUMB_COLOR.equals(terminal.getType())) {
          return new Console(terminal, null, Style.forOutput(true));
        }
        terminal.close();
      } catch (IOException | RuntimeException e) {
        System.err.println(
            "codepilot: cannot use the terminal ("
                + TerminalText.line(String.valueOf(e.getMessage()))
                + "); continuing with plain output");
      }
    }
    return plain();
  }

  /** Plain, uncoloured lines on standard output; never asks anything. */
  static Console plain() {
    PrintStream out = stdout();
    return new Console(
        null,
        text -> {
          synchronized (out) {
            out.println(text);
            out.flush();
          }
        },
        Style.PLAIN);
  }

  /** Standard output as UTF-8 whatever the locale says, so that output is the same everywhere. */
  static PrintStream stdout() {
    PrintStream forwarded = forwardedOut;
    return forwarded != null ? forwarded : Holder.OUT;
  }

  /** Standard error as UTF-8. */
  static PrintStream stderr() {
    PrintStream forwarded = forwardedErr;
    return forwarded != null ? forwarded : Holder.ERR;
  }

  /**
   * Sends standard output and error to {@code out} and {@code err} (UTF-8 streams) until called
   * again with nulls: the daemon serves each command on its client's streams.
   */
  static void forward(PrintStream out, PrintStream err) {
    forwardedOut = out;
    forwardedErr = err;
  }

  /**
   * The terminal of the command the daemon serves, relayed from its client, or null: {@link
   * #open()} uses it instead of the process's own.
   */
  static void forwardTerminal(Terminal terminal) {
    relayedTerminal = terminal;
  }

  /** The relayed terminal of the daemon's current command; null in-process. */
  static Terminal relayedTerminal() {
    return relayedTerminal;
  }

  private static volatile Terminal relayedTerminal;
  private static volatile PrintStream forwardedOut;
  private static volatile PrintStream forwardedErr;

  /** True when a person can be asked: standard input and output are a terminal. */
  boolean interactive() {
    return terminal != null;
  }

  Lines lines() {
    return lines;
  }

  Style style() {
    return style;
  }

  Optional<LiveView> live() {
    return Optional.ofNullable(live);
  }

  /** Columns a line may take. */
  int width() {
    if (terminal == null) {
      return PIPE_WIDTH;
    }
    int width = terminal.getWidth();
    return width > 20 ? width - 1 : 79;
  }

  /**
   * Asks one question on the terminal, outside the history. Empty when there is no terminal or the
   * user pressed Ctrl-D.
   *
   * @throws UserInterruptException when the user pressed Ctrl-C
   */
  Optional<String> ask(String prompt) {
    if (terminal == null) {
      return Optional.empty();
    }
    if (answers == null) {
      answers = answerReader(terminal);
    }
    live.pause();
    try {
      return answer(answers, prompt);
    } finally {
      live.resume();
    }
  }

  /** A reader of answers to questions on {@code terminal}: no history, no live view. */
  static LineReader answerReader(Terminal terminal) {
    return readerBuilder(terminal).variable(LineReader.DISABLE_HISTORY, true).build();
  }

  /**
   * One line read with {@code reader}; empty when the user pressed Ctrl-D.
   *
   * @throws UserInterruptException when the user pressed Ctrl-C
   */
  static Optional<String> answer(LineReader reader, String prompt) {
    try {
      return Optional.of(reader.readLine(prompt));
    } catch (EndOfFileException e) {
      return Optional.empty();
    }
  }

  /**
   * Reads the next task: on a terminal with line editing and the history kept in {@code
   * historyFile}; otherwise one line of standard input, echoed after the prompt so that a
   * transcript reads well. Empty at the end of input (Ctrl-D).
   *
   * @throws UserInterruptException when the user pressed Ctrl-C at the prompt
   */
  Optional<String> readTask(String prompt, Path historyFile) {
    if (terminal == null) {
      try {
        if (stdin == null) {
          stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        }
        String line = stdin.readLine();
        if (line != null) {
          lines.println(prompt + TerminalText.line(line));
        }
        return Optional.ofNullable(line);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    if (tasks == null) {
      LineReaderBuilder builder = readerBuilder(terminal);
      try {
        Files.createDirectories(historyFile.getParent());
        builder
            .variable(LineReader.HISTORY_FILE, historyFile)
            .variable(LineReader.HISTORY_FILE_SIZE, 2000)
            .option(LineReader.Option.HISTORY_IGNORE_DUPS, true)
            .option(LineReader.Option.HISTORY_IGNORE_SPACE, true);
      } catch (IOException e) {
        System.err.println(
            "codepilot: history is not kept: cannot create "
                + TerminalText.line(historyFile.getParent() + " (" + e.getMessage() + ")"));
      }
      tasks = builder.build();
    }
    return answer(tasks, prompt);
  }

  /**
   * Calls {@code handler} on every Ctrl-C (SIGINT) that arrives while no line is being read.
   * Reading a line handles Ctrl-C itself.
   */
  void onInterrupt(Runnable handler) {
    if (terminal != null) {
      terminal.handle(Terminal.Signal.INT, signal -> handler.run());
    } else {
      Interrupts.handle(handler);
    }
  }

  @Override
  public void close() {
    if (terminal == null) {
      stdout().flush();
      return;
    }
    live.close();
    try {
      terminal.flush();
      terminal.close();
    } catch (IOException e) {
      // The process is ending; the terminal is released either way.
    }
  }

  private static LineReaderBuilder readerBuilder(Terminal terminal) {
    return LineReaderBuilder.builder()
        .terminal(terminal)
        .appName("codepilot")
        .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
        .option(LineReader.Option.BRACKETED_PASTE, true);
  }

  /** Created on first use, so that tests and --help never replace the JVM's streams. */
  private static final class Holder {
    static final PrintStream OUT =
        new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    static final PrintStream ERR =
        new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
  }
}
