/**
 * The {@code openai} and {@code together} model providers (any OpenAI-compatible chat completions
 * server), found through {@code ServiceLoader}.
 *
 * <p>Only {@link dev.codepilot.model.openai.OpenAiProvider} is public; the rest is internal.
 */
package dev.codepilot.model.openai;
