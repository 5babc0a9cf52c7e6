package dev.codepilot.cli;

/** The command's exit codes. */
final class ExitCodes {

  /** The agent called {@code done}. */
  static final int DONE = 0;

  /** The run ended otherwise: max steps, abort, model failure. */
  static final int FAILED = 1;

  /** Bad usage or a bad agent file. */
  static final int USAGE = 2;

  private ExitCodes() {}
}
