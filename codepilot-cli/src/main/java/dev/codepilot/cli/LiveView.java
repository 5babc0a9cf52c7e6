package dev.codepilot.cli;

import dev.codepilot.internal.TerminalText;
import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedString;

/**
 * The bottom of a terminal while an agent works: a spinner with what is happening and for how long,
 * and the last lines of the model's reply as it streams in. Permanent lines are printed above it
 * with {@link #println}; the live lines are redrawn in place and disappear when the agent goes
 * idle. Thread-safe: hooks, the stream listener and the ticker all call in.
 */
final class LiveView implements Console.Lines, AutoCloseable {

  private static final String FRAMES = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏";
  private static final int TAIL_LINES = 3;
  private static final long TICK_MILLIS = 100;

  /** After this long without reply text the reply is taken as complete and being worked on. */
  private static final long QUIET_NANOS = 800_000_000L;

  private final Terminal terminal;
  private final PrintWriter out;
  private final Style style;
  private final Deque<String> tail = new ArrayDeque<>();
  private final StringBuilder partial = new StringBuilder();
  private final Thread ticker;

  private String phase;
  private long phaseStarted;
  private long lastText;
  private String prefix = "";
  private int drawn;
  private int frame;
  private boolean paused;
  private boolean closed;

  LiveView(Terminal terminal, Style style) {
    this.terminal = terminal;
    this.out = terminal.writer();
    this.style = style;
    this.ticker = Thread.ofPlatform().daemon().name("codepilot-live-view").start(this::tick);
  }

  /** Prints a permanent line: text the caller has made safe (see {@link ConsoleRenderer}). */
  @Override
  public synchronized void println(String text) {
    clear();
    out.println(text);
    draw();
    out.flush();
  }

  /** Shows {@code label} with its own elapsed time, e.g. "thinking" or "running run_command". */
  synchronized void phase(String label) {
    phase = label;
    phaseStarted = System.nanoTime();
    redraw();
  }

  /** Text shown before the phase, like "step 2/30". */
  synchronized void prefix(String text) {
    prefix = text;
  }

  /** A piece of the model's reply as it arrives. */
  synchronized void stream(String text) {
    if (phase == null) {
      return;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n') {
        pushLine(partial.toString());
        partial.setLength(0);
      } else if (c == '\t') {
        partial.append("  ");
      } else {
        // Kept as it came (a character may arrive in two pieces); cleaned when drawn.
        partial.append(c);
      }
    }
    lastText = System.nanoTime();
    if (!"writing".equals(phase)) {
      phase = "writing";
    }
    redraw();
  }

  /** The reply is complete: its preview goes away. */
  synchronized void replyDone() {
    tail.clear();
    partial.setLength(0);
    redraw();
  }

  /** Nothing is happening: the live lines go away until the next {@link #phase}. */
  synchronized void idle() {
    clear();
    phase = null;
    prefix = "";
    tail.clear();
    partial.setLength(0);
    out.flush();
  }

  /** Hides the live lines while the user is asked something; {@link #resume} brings them back. */
  synchronized void pause() {
    clear();
    out.flush();
    paused = true;
  }

  synchronized void resume() {
    paused = false;
    phaseStarted = System.nanoTime();
    redraw();
  }

  @Override
  public synchronized void close() {
    idle();
    closed = true;
    ticker.interrupt();
  }

  private void pushLine(String line) {
    if (line.isBlank()) {
      return;
    }
    tail.addLast(line);
    while (tail.size() > TAIL_LINES) {
      tail.removeFirst();
    }
  }

  private void tick() {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        Thread.sleep(TICK_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
      synchronized (this) {
        if (closed) {
          return;
        }
        frame = (frame + 1) % FRAMES.length();
        if ("writing".equals(phase) && System.nanoTime() - lastText > QUIET_NANOS) {
          phase = "working";
        }
        redraw();
      }
    }
  }

  private void redraw() {
    if (paused || closed) {
      return;
    }
    clear();
    draw();
    out.flush();
  }

  private void clear() {
    if (drawn == 0) {
      return;
    }
    out.print('\r');
    if (drawn > 1) {
      out.print("\u001b[" + (drawn - 1) + "A");
    }
    out.print("\u001b[J");
    drawn = 0;
  }

  private void draw() {
    if (phase == null || paused || closed) {
      return;
    }
    int width = Math.max(20, terminal.getWidth() > 0 ? terminal.getWidth() : 80) - 1;
    List<String> lines = new ArrayList<>();
    List<String> preview = new ArrayList<>(tail);
    if (!partial.isEmpty()) {
      preview.add(partial.toString());
    }
    while (preview.size() > TAIL_LINES) {
      preview.removeFirst();
    }
    for (String line : preview) {
      lines.add(style.dim("  │ " + cut(TerminalText.line(line), width - 4)));
    }
    double seconds = (System.nanoTime() - phaseStarted) / 1e9;
    String status =
        (prefix.isEmpty() ? "" : prefix + " · ")
            + phase
            + String.format(Locale.ROOT, " · %.1f s", seconds);
    if (phase.equals("thinking") || phase.equals("writing")) {
      status += " · Ctrl-C stops";
    }
    lines.add(
        style.cyan(String.valueOf(FRAMES.charAt(frame)))
            + " "
            + style.dim(cut(TerminalText.line(status), width - 2)));
    out.print(String.join("\n", lines));
    drawn = lines.size();
  }

  /** The text cut to {@code columns} terminal columns (wide characters count twice). */
  static String cut(String text, int columns) {
    AttributedString plain = new AttributedString(text);
    if (plain.columnLength() <= columns) {
      return text;
    }
    return plain.columnSubSequence(0, Math.max(0, columns - 1)).toString() + "…";
  }
}
