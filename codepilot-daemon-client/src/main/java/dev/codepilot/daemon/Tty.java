package dev.codepilot.daemon;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The client's terminal while a daemon serves an interactive command. Like an SSH client, the
 * client turns off the terminal's line editing, echo and signal keys, so that each keystroke
 * (Ctrl-C among them) reaches the daemon's terminal as it was typed, and that terminal does what
 * the kernel's would: echo, line editing, Ctrl-C as an interrupt. Output processing stays on, so
 * that lines printed by the daemon end where they would. The terminal's settings are put back when
 * the command ends, and when the client is ended by a signal.
 *
 * <p>It uses {@code stty} on {@code /dev/tty}: the JDK has no call for a terminal's modes.
 */
final class Tty implements AutoCloseable {

  private static final String DEVICE = "/dev/tty";

  private final String saved;
  private final int[] size;
  private final Thread restoreOnExit;
  private boolean restored;

  private Tty(String saved, int[] size) {
    this.saved = saved;
    this.size = size;
    this.restoreOnExit = new Thread(this::restore, "codepilot-tty-restore");
    Runtime.getRuntime().addShutdownHook(restoreOnExit);
  }

  /** Keystrokes as typed from now on; empty when the terminal cannot be set so. */
  static Optional<Tty> enter() {
    // One shell for the three steps: each process started costs a few milliseconds.
    Optional<List<String>> lines =
        stty("stty -g && stty size && stty -icanon -echo -isig -iexten -ixon -icrnl min 1 time 0");
    if (lines.isEmpty() || lines.get().size() != 2 || lines.get().get(0).isBlank()) {
      return Optional.empty();
    }
    return Optional.of(new Tty(lines.get().get(0).strip(), parseSize(lines.get().get(1))));
  }

  /** The columns and rows when the terminal was entered; {0, 0} when unknown. */
  int[] initialSize() {
    return size.clone();
  }

  /** The terminal's columns and rows now; {0, 0} when unknown. */
  static int[] size() {
    Optional<List<String>> lines = stty("stty size");
    return lines.isPresent() && lines.get().size() == 1
        ? parseSize(lines.get().get(0))
        : new int[] {0, 0};
  }

  /** Columns and rows from stty's "rows columns". */
  private static int[] parseSize(String line) {
    String[] parts = line.strip().split("\\s+");
    if (parts.length == 2) {
      try {
        return new int[] {Integer.parseInt(parts[1]), Integer.parseInt(parts[0])};
      } catch (NumberFormatException e) {
        // Unknown.
      }
    }
    return new int[] {0, 0};
  }

  /** Puts the terminal's settings back. */
  @Override
  public void close() {
    restore();
    try {
      Runtime.getRuntime().removeShutdownHook(restoreOnExit);
    } catch (IllegalStateException e) {
      // The JVM is ending: the hook runs (or ran) restore, which happens once.
    }
  }

  private synchronized void restore() {
    if (!restored) {
      restored = true;
      // The saved settings are stty's own -g output: letters, digits and colons only.
      if (saved.matches("[A-Za-z0-9:=.-]+")) {
        stty("stty " + saved);
      }
    }
  }

  /** Runs {@code script} with the terminal as its input; its output lines, or empty on failure. */
  private static Optional<List<String>> stty(String script) {
    if (!new File(DEVICE).exists()) {
      return Optional.empty();
    }
    try {
      Process process =
          new ProcessBuilder("/bin/sh", "-c", script)
              .redirectInput(ProcessBuilder.Redirect.from(new File(DEVICE)))
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (process.waitFor() != 0) {
        return Optional.empty();
      }
      return Optional.of(new ArrayList<>(output.lines().toList()));
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
