package dev.codepilot.opentelemetry;

import io.opentelemetry.api.common.AttributeKey;
import java.util.List;

/**
 * The attribute and instrument names this module writes: those of the OpenTelemetry GenAI semantic
 * conventions, spelled out here so that no incubating artifact is needed, and the few of
 * CodePilot's own, under {@code codepilot.}.
 */
final class GenAi {

  static final String INSTRUMENTATION = "dev.codepilot";

  static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
  static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("gen_ai.provider.name");
  static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
  static final AttributeKey<String> AGENT_NAME = AttributeKey.stringKey("gen_ai.agent.name");
  static final AttributeKey<String> CONVERSATION_ID =
      AttributeKey.stringKey("gen_ai.conversation.id");
  static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
  static final AttributeKey<Long> OUTPUT_TOKENS =
      AttributeKey.longKey("gen_ai.usage.output_tokens");
  static final AttributeKey<Long> CACHE_READ_TOKENS =
      AttributeKey.longKey("gen_ai.usage.cache_read.input_tokens");
  static final AttributeKey<Long> CACHE_CREATION_TOKENS =
      AttributeKey.longKey("gen_ai.usage.cache_creation.input_tokens");
  static final AttributeKey<List<String>> FINISH_REASONS =
      AttributeKey.stringArrayKey("gen_ai.response.finish_reasons");
  static final AttributeKey<String> TOKEN_TYPE = AttributeKey.stringKey("gen_ai.token.type");
  static final AttributeKey<String> TOOL_NAME = AttributeKey.stringKey("gen_ai.tool.name");
  static final AttributeKey<String> TOOL_TYPE = AttributeKey.stringKey("gen_ai.tool.type");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  // Content: recorded only when capture is on.
  static final AttributeKey<String> SYSTEM_INSTRUCTIONS =
      AttributeKey.stringKey("gen_ai.system_instructions");
  static final AttributeKey<String> INPUT_MESSAGES =
      AttributeKey.stringKey("gen_ai.input.messages");
  static final AttributeKey<String> OUTPUT_MESSAGES =
      AttributeKey.stringKey("gen_ai.output.messages");
  static final AttributeKey<String> TOOL_ARGUMENTS =
      AttributeKey.stringKey("gen_ai.tool.call.arguments");
  static final AttributeKey<String> TOOL_RESULT = AttributeKey.stringKey("gen_ai.tool.call.result");
  static final AttributeKey<String> CODE = AttributeKey.stringKey("codepilot.block.code");
  static final AttributeKey<String> OUTPUT = AttributeKey.stringKey("codepilot.block.output");

  // CodePilot's own.
  static final AttributeKey<String> RUN_OUTCOME = AttributeKey.stringKey("codepilot.run.outcome");
  static final AttributeKey<Long> RUN_STEPS = AttributeKey.longKey("codepilot.run.steps");
  static final AttributeKey<Long> STEP = AttributeKey.longKey("codepilot.step");
  static final AttributeKey<String> VERDICT = AttributeKey.stringKey("codepilot.block.verdict");
  static final AttributeKey<String> BLOCK_STATUS = AttributeKey.stringKey("codepilot.block.status");
  static final AttributeKey<Long> CODE_CHARS = AttributeKey.longKey("codepilot.block.code_chars");
  static final AttributeKey<Long> OUTPUT_CHARS =
      AttributeKey.longKey("codepilot.block.output_chars");
  static final AttributeKey<Boolean> TOOL_DENIED = AttributeKey.booleanKey("codepilot.tool.denied");

  static final String INVOKE_AGENT = "invoke_agent";
  static final String CHAT = "chat";
  static final String EXECUTE_TOOL = "execute_tool";
  static final String EXECUTE_CODE = "execute_code";

  /** The event on a chat span when the first streamed text arrived. */
  static final String FIRST_TOKEN_EVENT = "gen_ai.first_token";

  static final String TOKEN_USAGE = "gen_ai.client.token.usage";
  static final String OPERATION_DURATION = "gen_ai.client.operation.duration";
  static final String RUNS = "codepilot.agent.runs";
  static final String STEPS = "codepilot.agent.steps";
  static final String REFUSALS = "codepilot.security.refusals";

  /** The conventions' advised buckets. */
  static final List<Long> TOKEN_BUCKETS =
      List.of(
          1L, 4L, 16L, 64L, 256L, 1024L, 4096L, 16384L, 65536L, 262144L, 1048576L, 4194304L,
          16777216L, 67108864L);

  static final List<Double> DURATION_BUCKETS =
      List.of(
          0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92);

  private GenAi() {}
}
