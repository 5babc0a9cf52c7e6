package dev.codepilot.hooks;

import dev.codepilot.model.ModelException;
import dev.codepilot.model.ModelReply;
import dev.codepilot.model.ModelRequest;
import dev.codepilot.model.Usage;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Follows a run part by part, with the start and the end of each: the run, its steps, each model
 * call, each control block and each tool call a block makes. Tracing and metrics (the {@code
 * codepilot-opentelemetry} module) are built on it; {@link Event events} say what happened, an
 * observer also learns when each part began and ended.
 *
 * <pre>{@code
 * runtime.hooks().addObserver(new RunObserver() {
 *   long started;
 *   public void modelCallStarted(ModelRequest request) { started = System.nanoTime(); }
 *   public void modelCallEnded(ModelReply reply) { record(System.nanoTime() - started); }
 * });
 * }</pre>
 *
 * <p>Every method does nothing by default. For one runtime the calls are strictly nested, in this
 * order: {@link #runStarted}; for each step {@link #stepStarted}, then one or two model calls (a
 * call that summarizes older steps may come before the step's own), each {@link #modelCallStarted},
 * at most one {@link #modelTextStarted}, and {@link #modelCallEnded} or {@link #modelCallFailed};
 * then, when the reply has a control block, {@link #blockStarted}, its tool calls ({@link
 * #toolCallStarted} and {@link #toolCallEnded}, one after the other) and {@link #blockEnded};
 * finally {@link #runEnded}, also when the run throws. The run's parts are reported on the thread
 * that called {@code run}, tool calls on the sandbox's thread while the run's thread waits for the
 * block. An observer must return quickly; one that throws is reported and skipped, and never stops
 * a run. An observer serves one runtime, unless it keeps its state per thread of calls.
 */
public interface RunObserver {

  /** An observer that ignores everything. */
  RunObserver NONE = new RunObserver() {};

  /** A run begins, before its {@link Event.Start} event. */
  default void runStarted(RunStart run) {}

  /** A step begins, after its {@link Event.Step} event; {@code step} counts from 1. */
  default void stepStarted(int step) {}

  /** The model is about to be asked; the request holds what it is sent. */
  default void modelCallStarted(ModelRequest request) {}

  /** The first piece of the reply's text streamed in (not called for unstreamed replies). */
  default void modelTextStarted() {}

  /** The model call returned this reply. */
  default void modelCallEnded(ModelReply reply) {}

  /** The model call failed, or was cancelled ({@link ModelException#isCancelled()}). */
  default void modelCallFailed(ModelException failure) {}

  /** A control block is about to be checked by the policy and run. */
  default void blockStarted(String code) {}

  /** The control block ended (or was refused by the policy). */
  default void blockEnded(BlockEnd block) {}

  /**
   * A tool is about to run, after its {@link Event.ToolCall} event and before any permission
   * request; {@code args} are the arguments the block passed, by parameter name.
   */
  default void toolCallStarted(String tool, Map<String, Object> args) {}

  /** The tool call ended, after its {@link Event.ToolResult} event. */
  default void toolCallEnded(ToolCallEnd call) {}

  /** The run ended. */
  default void runEnded(RunEnd run) {}

  /**
   * An observer for the runtime of a sub-agent this runtime's blocks call ({@code agents:} in the
   * agent file, or {@code Builder.subAgent}), offered when that runtime has no observer of its own.
   * The sub-agent's runs happen inside this observer's tool call of the same name, on the thread
   * that reported {@link #toolCallStarted}, so a tracer can nest them there. By default {@link
   * #NONE}: an observer that does not know how to follow another runtime leaves sub-agents alone
   * rather than hearing their runs mixed into its own.
   *
   * @param agent the sub-agent's name as blocks call it
   */
  default RunObserver forSubAgent(String agent) {
    return NONE;
  }

  /**
   * What a run starts with.
   *
   * @param agent the agent's name
   * @param sessionId the id of the session holding the conversation
   * @param task the task given to {@code run}
   * @param provider the model's provider name from the agent file ({@code anthropic}, {@code
   *     openai}, {@code replay}, ...)
   * @param model the model name from the agent file; may be empty (replay)
   * @param maxSteps the run's step limit
   */
  record RunStart(
      String agent, String sessionId, String task, String provider, String model, int maxSteps) {
    /** Checks that no component is null. */
    public RunStart {
      Objects.requireNonNull(agent, "agent");
      Objects.requireNonNull(sessionId, "sessionId");
      Objects.requireNonNull(task, "task");
      Objects.requireNonNull(provider, "provider");
      Objects.requireNonNull(model, "model");
    }
  }

  /**
   * How a run ended.
   *
   * @param outcome {@code finished}, {@code max_steps}, {@code aborted} or {@code failed} (the
   *     run's outcome in lower case)
   * @param steps how many steps ran
   * @param usage the tokens the run's model calls used
   * @param error for a failed run, what failed
   */
  record RunEnd(String outcome, int steps, Usage usage, Optional<String> error) {
    /** Checks that no component is null. */
    public RunEnd {
      Objects.requireNonNull(outcome, "outcome");
      Objects.requireNonNull(usage, "usage");
      Objects.requireNonNull(error, "error");
    }
  }

  /**
   * How a control block ended.
   *
   * @param status how it ended
   * @param output what it printed, as the model sees it (cut to the output limit)
   * @param error the traceback, the policy's reason or the explanation; empty for {@code OK}
   */
  record BlockEnd(BlockStatus status, String output, String error) {
    /** Checks that no component is null. */
    public BlockEnd {
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(output, "output");
      Objects.requireNonNull(error, "error");
    }
  }

  /** How a control block ended. */
  enum BlockStatus {
    /** It ran to its end. */
    OK,
    /** The policy check refused it; nothing of it ran ({@link Event.SecurityError}). */
    REFUSED,
    /** It raised an exception or did not parse. */
    ERROR,
    /** It ran longer than the execution timeout and was stopped. */
    TIMEOUT,
    /** It exhausted memory or broke the interpreter, whose namespace was discarded. */
    RESET
  }

  /**
   * How a tool call ended.
   *
   * @param tool the tool's name
   * @param result the text of its {@link Event.ToolResult} event
   * @param errorType the Python exception the call raised in the block ({@code FileNotFoundError},
   *     {@code PermissionError}, ...); empty when it returned
   * @param denied true when the permission gate did not approve the call, so it did not run
   */
  record ToolCallEnd(String tool, String result, Optional<String> errorType, boolean denied) {
    /** Checks that no component is null. */
    public ToolCallEnd {
      Objects.requireNonNull(tool, "tool");
      Objects.requireNonNull(result, "result");
      Objects.requireNonNull(errorType, "errorType");
    }
  }
}
