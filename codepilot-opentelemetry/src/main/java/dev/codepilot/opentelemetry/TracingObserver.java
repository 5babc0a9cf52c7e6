package dev.codepilot.opentelemetry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codepilot.hooks.RunObserver;
import dev.codepilot.model.Message;
import dev.codepilot.model.ModelException;
import dev.codepilot.model.ModelReply;
import dev.codepilot.model.ModelRequest;
import dev.codepilot.model.Usage;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns one runtime's runs into spans and measurements. Spans are parented explicitly (the tool
 * calls arrive on the sandbox's thread), and each is also made current on the thread its part runs
 * on, so that spans made meanwhile (an HTTP client's, a sub-agent's run inside a tool call) nest
 * under it. Calls come strictly nested (see {@link RunObserver}), from the run's thread and the
 * sandbox's one in turn; the methods are synchronized for visibility.
 */
final class TracingObserver implements RunObserver {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final CodePilotTelemetry telemetry;

  private RunStart run;
  private Span runSpan;
  private Context runContext;
  private Owned runScope;
  private long runStarted;
  // Made once per run, so that a step allocates no attribute sets or span names of its own.
  private Attributes chatAttributes;
  private Attributes inputTokenAttributes;
  private Attributes outputTokenAttributes;
  private Attributes agentAttributes;
  private String chatName;
  private final Map<String, String> toolSpanNames = new HashMap<>();
  private Span chatSpan;
  private Owned chatScope;
  private long chatStarted;
  private Span blockSpan;
  private Context blockContext;
  private Owned blockScope;
  private Span toolSpan;
  private Owned toolScope;

  TracingObserver(CodePilotTelemetry telemetry) {
    this.telemetry = telemetry;
  }

  @Override
  public synchronized void runStarted(RunStart start) {
    run = start;
    runStarted = System.nanoTime();
    Context parent = Context.current();
    runSpan =
        telemetry
            .tracer()
            .spanBuilder(GenAi.INVOKE_AGENT + " " + start.agent())
            .setParent(parent)
            .setSpanKind(SpanKind.INTERNAL)
            .setAttribute(GenAi.OPERATION, GenAi.INVOKE_AGENT)
            .setAttribute(GenAi.AGENT_NAME, start.agent())
            .setAttribute(GenAi.CONVERSATION_ID, start.sessionId())
            .setAttribute(GenAi.PROVIDER, start.provider())
            .setAttribute(GenAi.REQUEST_MODEL, model(start))
            .startSpan();
    if (telemetry.capturesContent()) {
      runSpan.setAttribute(GenAi.INPUT_MESSAGES, messages(List.of(Message.user(start.task()))));
    }
    runContext = parent.with(runSpan);
    runScope = open(runContext);
    chatAttributes =
        Attributes.builder()
            .put(GenAi.OPERATION, GenAi.CHAT)
            .put(GenAi.PROVIDER, start.provider())
            .put(GenAi.REQUEST_MODEL, model(start))
            .build();
    inputTokenAttributes = chatAttributes.toBuilder().put(GenAi.TOKEN_TYPE, "input").build();
    outputTokenAttributes = chatAttributes.toBuilder().put(GenAi.TOKEN_TYPE, "output").build();
    agentAttributes = Attributes.of(GenAi.AGENT_NAME, start.agent());
    chatName = start.model().isEmpty() ? GenAi.CHAT : GenAi.CHAT + " " + start.model();
  }

  @Override
  public synchronized void stepStarted(int step) {
    if (run == null) {
      return;
    }
    telemetry.steps().add(1, agentAttributes);
  }

  @Override
  public synchronized void modelCallStarted(ModelRequest request) {
    if (run == null) {
      return;
    }
    chatStarted = System.nanoTime();
    chatSpan =
        telemetry
            .tracer()
            .spanBuilder(chatName)
            .setParent(runContext)
            .setSpanKind(SpanKind.CLIENT)
            .setAllAttributes(chatAttributes)
            .startSpan();
    if (telemetry.capturesContent()) {
      ArrayNode system = JSON.createArrayNode();
      system.addObject().put("type", "text").put("content", request.systemPrompt());
      chatSpan.setAttribute(GenAi.SYSTEM_INSTRUCTIONS, write(system));
      chatSpan.setAttribute(GenAi.INPUT_MESSAGES, messages(request.messages()));
    }
    chatScope = open(runContext.with(chatSpan));
  }

  @Override
  public synchronized void modelTextStarted() {
    if (chatSpan != null) {
      chatSpan.addEvent(GenAi.FIRST_TOKEN_EVENT);
    }
  }

  @Override
  public synchronized void modelCallEnded(ModelReply reply) {
    if (chatSpan == null) {
      return;
    }
    Usage usage = reply.usage();
    String finishReason =
        switch (reply.stopReason()) {
          case END_TURN -> "stop";
          case MAX_TOKENS -> "length";
          case OTHER -> "other";
        };
    chatSpan.setAttribute(GenAi.FINISH_REASONS, List.of(finishReason));
    if (usage.isReported()) {
      chatSpan.setAttribute(GenAi.INPUT_TOKENS, usage.totalInputTokens());
      chatSpan.setAttribute(GenAi.OUTPUT_TOKENS, usage.outputTokens());
      chatSpan.setAttribute(GenAi.CACHE_READ_TOKENS, usage.cacheReadTokens());
      chatSpan.setAttribute(GenAi.CACHE_CREATION_TOKENS, usage.cacheWriteTokens());
      telemetry.tokenUsage().record(usage.totalInputTokens(), inputTokenAttributes);
      telemetry.tokenUsage().record(usage.outputTokens(), outputTokenAttributes);
    }
    if (telemetry.capturesContent()) {
      ArrayNode output = JSON.createArrayNode();
      ObjectNode message = output.addObject().put("role", "assistant");
      message.putArray("parts").addObject().put("type", "text").put("content", reply.text());
      message.put("finish_reason", finishReason);
      chatSpan.setAttribute(GenAi.OUTPUT_MESSAGES, write(output));
    }
    endChat(chatAttributes);
  }

  @Override
  public synchronized void modelCallFailed(ModelException failure) {
    if (chatSpan == null) {
      return;
    }
    String errorType =
        failure.isCancelled()
            ? "cancelled"
            : (failure.getCause() != null ? failure.getCause() : failure).getClass().getName();
    chatSpan.setAttribute(GenAi.ERROR_TYPE, errorType);
    chatSpan.recordException(failure);
    chatSpan.setStatus(StatusCode.ERROR, String.valueOf(failure.getMessage()));
    endChat(chatAttributes.toBuilder().put(GenAi.ERROR_TYPE, errorType).build());
  }

  private void endChat(Attributes durationAttributes) {
    telemetry.duration().record(seconds(chatStarted), durationAttributes);
    close(chatScope);
    chatSpan.end();
    chatSpan = null;
    chatScope = null;
  }

  @Override
  public synchronized void blockStarted(String code) {
    if (run == null) {
      return;
    }
    blockSpan =
        telemetry
            .tracer()
            .spanBuilder(GenAi.EXECUTE_CODE)
            .setParent(runContext)
            .setSpanKind(SpanKind.INTERNAL)
            .setAttribute(GenAi.CODE_CHARS, code.length())
            .startSpan();
    if (telemetry.capturesContent()) {
      blockSpan.setAttribute(GenAi.CODE, code);
    }
    blockContext = runContext.with(blockSpan);
    blockScope = open(blockContext);
  }

  @Override
  public synchronized void blockEnded(BlockEnd block) {
    if (blockSpan == null) {
      return;
    }
    String status = block.status().name().toLowerCase(Locale.ROOT);
    boolean refused = block.status() == BlockStatus.REFUSED;
    blockSpan.setAttribute(GenAi.VERDICT, refused ? "refused" : "allowed");
    blockSpan.setAttribute(GenAi.BLOCK_STATUS, status);
    blockSpan.setAttribute(GenAi.OUTPUT_CHARS, block.output().length());
    if (telemetry.capturesContent() && !block.output().isEmpty()) {
      blockSpan.setAttribute(GenAi.OUTPUT, block.output());
    }
    if (block.status() != BlockStatus.OK) {
      blockSpan.setAttribute(GenAi.ERROR_TYPE, status);
      blockSpan.setStatus(StatusCode.ERROR, firstLine(block.error()));
    }
    if (refused) {
      telemetry.refusals().add(1, agentAttributes);
    }
    close(blockScope);
    blockSpan.end();
    blockSpan = null;
    blockScope = null;
  }

  @Override
  public synchronized void toolCallStarted(String tool, Map<String, Object> args) {
    if (blockContext == null) {
      return;
    }
    String name = toolSpanNames.computeIfAbsent(tool, t -> GenAi.EXECUTE_TOOL + " " + t);
    toolSpan =
        telemetry
            .tracer()
            .spanBuilder(name)
            .setParent(blockContext)
            .setSpanKind(SpanKind.INTERNAL)
            .setAttribute(GenAi.OPERATION, GenAi.EXECUTE_TOOL)
            .setAttribute(GenAi.TOOL_NAME, tool)
            .setAttribute(GenAi.TOOL_TYPE, "function")
            .startSpan();
    if (telemetry.capturesContent()) {
      toolSpan.setAttribute(GenAi.TOOL_ARGUMENTS, write(JSON.valueToTree(args)));
    }
    toolScope = open(blockContext.with(toolSpan));
  }

  @Override
  public synchronized void toolCallEnded(ToolCallEnd call) {
    if (toolSpan == null) {
      return;
    }
    if (call.denied()) {
      toolSpan.setAttribute(GenAi.TOOL_DENIED, true);
    }
    if (telemetry.capturesContent()) {
      toolSpan.setAttribute(GenAi.TOOL_RESULT, call.result());
    }
    call.errorType()
        .ifPresent(
            type -> {
              toolSpan.setAttribute(GenAi.ERROR_TYPE, type);
              String message = lastLine(call.result());
              // The block sees a Python exception, not a Java one: recorded as the conventions'
              // exception event, with the Python type.
              toolSpan.addEvent(
                  "exception",
                  Attributes.of(
                      io.opentelemetry.api.common.AttributeKey.stringKey("exception.type"), type,
                      io.opentelemetry.api.common.AttributeKey.stringKey("exception.message"),
                          message));
              toolSpan.setStatus(StatusCode.ERROR, message);
            });
    close(toolScope);
    toolSpan.end();
    toolSpan = null;
    toolScope = null;
  }

  /**
   * A sub-agent's runtime gets an observer of its own: its run starts while this one's tool span is
   * current on the calling thread, so its {@code invoke_agent} span becomes that tool call's child,
   * in the same trace.
   */
  @Override
  public RunObserver forSubAgent(String agent) {
    return new TracingObserver(telemetry);
  }

  @Override
  public synchronized void runEnded(RunEnd end) {
    if (runSpan == null) {
      return;
    }
    Usage usage = end.usage();
    runSpan.setAttribute(GenAi.RUN_OUTCOME, end.outcome());
    runSpan.setAttribute(GenAi.RUN_STEPS, end.steps());
    if (usage.isReported()) {
      runSpan.setAttribute(GenAi.INPUT_TOKENS, usage.totalInputTokens());
      runSpan.setAttribute(GenAi.OUTPUT_TOKENS, usage.outputTokens());
    }
    end.error()
        .ifPresent(
            error -> {
              runSpan.setAttribute(GenAi.ERROR_TYPE, end.outcome());
              runSpan.setStatus(StatusCode.ERROR, error);
            });
    telemetry
        .runs()
        .add(1, Attributes.of(GenAi.AGENT_NAME, run.agent(), GenAi.RUN_OUTCOME, end.outcome()));
    telemetry
        .duration()
        .record(
            seconds(runStarted),
            Attributes.builder()
                .put(GenAi.OPERATION, GenAi.INVOKE_AGENT)
                .put(GenAi.PROVIDER, run.provider())
                .put(GenAi.REQUEST_MODEL, model(run))
                .build());
    // Parts a failure left open are ended, innermost first, so the trace stays whole.
    if (toolSpan != null) {
      close(toolScope);
      toolSpan.end();
      toolSpan = null;
    }
    if (blockSpan != null) {
      close(blockScope);
      blockSpan.end();
      blockSpan = null;
    }
    if (chatSpan != null) {
      close(chatScope);
      chatSpan.end();
      chatSpan = null;
    }
    close(runScope);
    runSpan.end();
    runSpan = null;
    runScope = null;
    runContext = null;
    blockContext = null;
    run = null;
  }

  /** A scope and the thread it was opened on: only that thread may close it. */
  private record Owned(Scope scope, Thread thread) {}

  // The scope outlives this call: the matching end callback closes it through close(Owned).
  @SuppressWarnings("MustBeClosedChecker")
  private static Owned open(Context context) {
    return new Owned(context.makeCurrent(), Thread.currentThread());
  }

  /** Closes a scope if it belongs to this thread; one opened on another thread is left. */
  private static void close(Owned owned) {
    if (owned != null && owned.thread() == Thread.currentThread()) {
      owned.scope().close();
    }
  }

  /** The model name, or null (no attribute) when the agent file names none (replay). */
  private static String model(RunStart run) {
    return run.model().isEmpty() ? null : run.model();
  }

  private static double seconds(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1e9;
  }

  /** Messages in the conventions' JSON form: role and text parts. */
  private static String messages(List<Message> messages) {
    ArrayNode array = JSON.createArrayNode();
    for (Message message : messages) {
      ObjectNode node =
          array.addObject().put("role", message.role().name().toLowerCase(Locale.ROOT));
      node.putArray("parts").addObject().put("type", "text").put("content", message.content());
    }
    return write(array);
  }

  private static String write(Object node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      return String.valueOf(node);
    }
  }

  private static String firstLine(String text) {
    String stripped = text.strip();
    int newline = stripped.indexOf('\n');
    return newline < 0 ? stripped : stripped.substring(0, newline);
  }

  private static String lastLine(String text) {
    String stripped = text.strip();
    int newline = stripped.lastIndexOf('\n');
    return newline < 0 ? stripped : stripped.substring(newline + 1);
  }
}
