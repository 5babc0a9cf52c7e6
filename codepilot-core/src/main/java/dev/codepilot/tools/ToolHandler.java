package dev.codepilot.tools;

/** The body of a tool built with {@link Tools#builder(String)}. */
@FunctionalInterface
public interface ToolHandler {

  /** Runs the tool; see {@link ToolDefinition#invoke(ToolInvocation)} for what it may return. */
  Object handle(ToolInvocation invocation) throws Exception;
}
