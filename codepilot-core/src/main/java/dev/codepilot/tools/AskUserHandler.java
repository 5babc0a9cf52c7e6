package dev.codepilot.tools;

/**
 * Answers the agent's {@code ask_user(question)} calls. The ASK_USER event fires first (for
 * display); then the runtime asks this handler for the answer. Called on the run's thread; it may
 * block while the user types.
 */
@FunctionalInterface
public interface AskUserHandler {

  /** The user's answer; never null (return "" for no answer). */
  String answer(String question) throws Exception;
}
