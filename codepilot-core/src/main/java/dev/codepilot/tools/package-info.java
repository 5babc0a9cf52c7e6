/**
 * Tools: the built-in tools the model calls from its control block, the registry, custom tools
 * ({@link dev.codepilot.tools.Tools} and {@link dev.codepilot.tools.Tool @Tool}), and the one
 * workspace path check every file tool uses.
 *
 * <p>Public API: the tool definition and invocation types, the registry and the handlers. The
 * built-in tool classes and the shell plumbing are package-private.
 */
package dev.codepilot.tools;
