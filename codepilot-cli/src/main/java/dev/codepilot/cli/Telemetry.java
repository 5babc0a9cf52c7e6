package dev.codepilot.cli;

import dev.codepilot.opentelemetry.CodePilotTelemetry;
import java.util.Optional;

/**
 * The command's traces and metrics: configured once from the {@code OTEL_*} environment when it
 * asks for them, otherwise nothing at all; flushed when the command ends.
 */
final class Telemetry {

  private static Optional<CodePilotTelemetry> configured;

  private Telemetry() {}

  /**
   * The telemetry the environment asks for, configured on first use.
   *
   * @throws UsageException when the OpenTelemetry settings are invalid
   */
  static synchronized Optional<CodePilotTelemetry> get() {
    if (configured == null) {
      try {
        configured = CodePilotTelemetry.fromEnvironment();
      } catch (IllegalArgumentException e) {
        configured = Optional.empty();
        throw new UsageException(e.getMessage());
      }
    }
    return configured;
  }

  /** Sends what is left to the exporters and shuts the SDK down; nothing when unused. */
  static synchronized void close() {
    if (configured != null) {
      configured.ifPresent(CodePilotTelemetry::close);
      configured = null;
    }
  }
}
