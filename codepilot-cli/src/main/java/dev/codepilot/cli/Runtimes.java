package dev.codepilot.cli;

import dev.codepilot.AgentRuntime;
import dev.codepilot.CodePilot;
import dev.codepilot.config.AgentConfig;
import dev.codepilot.config.AgentFile;
import dev.codepilot.config.AgentFileException;
import dev.codepilot.exception.ConfinementException;
import dev.codepilot.model.ChatModel;
import dev.codepilot.model.ChatModels;
import dev.codepilot.model.ModelException;
import dev.codepilot.model.RecordingModel;
import dev.codepilot.session.SessionException;
import java.nio.file.Path;

/** Builds the runtime a command works with, turning configuration problems into usage errors. */
final class Runtimes {

  private Runtimes() {}

  static AgentRuntime open(Path agentFile, SessionOptions session, Integer maxSteps, Path record) {
    CodePilot.prewarm();
    AgentConfig config;
    try {
      config = AgentFile.load(agentFile);
    } catch (AgentFileException e) {
      throw new UsageException(e.getMessage());
    }
    ChatModel model;
    try {
      model = ChatModels.create(config.model());
    } catch (ModelException e) {
      throw new UsageException(e.getMessage());
    }
    if (record != null) {
      model = new RecordingModel(model, record.toAbsolutePath());
    }
    AgentRuntime.Builder builder = AgentRuntime.builder(config).model(model).consoleOutput(false);
    Telemetry.get().ifPresent(telemetry -> telemetry.install(builder));
    if (session != null) {
      if (session.backend != null) {
        builder.session(session.backend);
      }
      if (session.store != null) {
        builder.sessionStore(session.store);
      }
      if (session.sessionId != null) {
        builder.sessionId(session.sessionId);
      }
      if (session.sessionDir != null) {
        builder.sessionDir(session.sessionDir);
      }
    }
    if (maxSteps != null) {
      builder.maxSteps(maxSteps);
    }
    try {
      return builder.build();
    } catch (AgentFileException | ModelException e) {
      throw new UsageException(e.getMessage());
    } catch (SessionException | ConfinementException | IllegalArgumentException e) {
      model.close();
      throw new UsageException(e.getMessage());
    }
  }
}
