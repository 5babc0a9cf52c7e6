/**
 * Traces and metrics of agent runs over OpenTelemetry, following the GenAI semantic conventions:
 * {@link dev.codepilot.opentelemetry.CodePilotTelemetry}.
 *
 * <p>Public API: {@code CodePilotTelemetry} and its builder. The two {@code LoggingOtlp*} providers
 * are public only for the SDK's {@link java.util.ServiceLoader}; the rest is package-private. The
 * core knows nothing of OpenTelemetry: this module follows runs through the core's {@link
 * dev.codepilot.hooks.RunObserver}.
 */
package dev.codepilot.opentelemetry;
