package dev.codepilot.exception;

/**
 * The root of every exception CodePilot throws for a failure a user of the library may meet: catch
 * it to handle them all, or one of its subtypes for the cases handled differently.
 *
 * <table>
 *   <caption>The family</caption>
 *   <tr><th>Type</th><th>When</th></tr>
 *   <tr><td>{@link dev.codepilot.config.AgentFileException}</td>
 *       <td>an agent file is missing or invalid; carries the file, field and line</td></tr>
 *   <tr><td>{@link dev.codepilot.model.ModelException}</td>
 *       <td>a model or provider call failed, or could not be set up (a missing API key)</td></tr>
 *   <tr><td>{@link dev.codepilot.tools.ToolException}</td>
 *       <td>a tool failed; the block sees it as a Python exception of a chosen type</td></tr>
 *   <tr><td>{@link dev.codepilot.tools.ToolSourceException}</td>
 *       <td>a source of tools, such as an MCP server, could not be started or reached</td></tr>
 *   <tr><td>{@link dev.codepilot.session.SessionException}</td>
 *       <td>a session could not be opened, read or written</td></tr>
 *   <tr><td>{@link ConfinementException}</td>
 *       <td>a security setting cannot be honoured here, so CodePilot refuses to start</td></tr>
 * </table>
 *
 * <p>All of them are unchecked: most callers can only report the failure, and those who can do
 * better catch the subtype they handle. Arguments that break a method's contract (a null, a blank
 * name) are reported with the JDK's own {@link IllegalArgumentException}, {@link
 * NullPointerException} and {@link IllegalStateException}, as usual in Java. The message of every
 * exception in the family is one line written for the person running the agent: what was wrong,
 * where, and what to do.
 */
public class CodePilotException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** A failure described by {@code message}. */
  public CodePilotException(String message) {
    super(message);
  }

  /** A failure described by {@code message}, caused by {@code cause} (which may be null). */
  public CodePilotException(String message, Throwable cause) {
    super(message, cause);
  }
}
