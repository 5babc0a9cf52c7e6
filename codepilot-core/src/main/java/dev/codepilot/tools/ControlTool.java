package dev.codepilot.tools;

/**
 * The built-in tools that steer the run ({@code think}, {@code done}) rather than act on the world:
 * they fire their own events instead of TOOL_CALL and TOOL_RESULT and add nothing to the execution
 * result.
 */
interface ControlTool extends ToolDefinition {}
