/**
 * The model SPI: {@link dev.codepilot.model.ChatModel} and the {@link
 * dev.codepilot.model.ChatModelProvider} found through {@code ServiceLoader}, messages, requests,
 * replies and streaming, plus the replay and recording models.
 *
 * <p>Public API; it is all a model provider may depend on (with {@code dev.codepilot.internal}).
 */
package dev.codepilot.model;
