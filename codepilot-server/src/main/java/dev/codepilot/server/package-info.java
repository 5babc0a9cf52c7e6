/**
 * {@code codepilot serve}: the HTTP API under {@code /api}, the WebSocket event stream and the
 * browser UI, behind a bearer token.
 *
 * <p>Public API: {@link dev.codepilot.server.AgentServer} (to embed the server) and {@link
 * dev.codepilot.server.ServerException}; everything else is internal.
 */
package dev.codepilot.server;
