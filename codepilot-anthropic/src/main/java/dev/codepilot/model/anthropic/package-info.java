/**
 * The {@code anthropic} model provider (the Messages API), found through {@code ServiceLoader}.
 *
 * <p>Only {@link dev.codepilot.model.anthropic.AnthropicProvider} is public; the rest is internal.
 */
package dev.codepilot.model.anthropic;
