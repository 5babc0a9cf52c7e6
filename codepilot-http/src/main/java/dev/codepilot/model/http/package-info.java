/**
 * The streaming HTTP transport the model providers share: requests with retries and backoff,
 * Server-Sent Events, and clear texts for provider failures.
 *
 * <p>For CodePilot's provider modules; application code uses a provider through {@link
 * dev.codepilot.model.ChatModels}. Depends only on the model SPI and {@code internal}.
 */
package dev.codepilot.model.http;
