package dev.codepilot.server;

import dev.codepilot.AgentRuntime;
import dev.codepilot.config.AgentFileException;
import dev.codepilot.model.ChatModel;
import dev.codepilot.model.ModelException;
import dev.codepilot.session.FileSession;
import dev.codepilot.session.SessionException;
import dev.codepilot.session.SessionInfo;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The lifecycle of one session's {@link AgentRuntime}: opened on first use (loading the saved
 * history and taking the session's lock), wired to the server once, closed when idle, deleted or
 * shut down. Also reads what is saved of the session while no runtime is open.
 *
 * <p>Not thread-safe: its session's lock must be held.
 */
final class SessionRuntime {

  private static final System.Logger LOG = System.getLogger(SessionRuntime.class.getName());

  private final String id;
  private final Settings settings;

  /** Connects a newly built runtime to the server: hooks, stream listener, gate, customizer. */
  private final Consumer<AgentRuntime> wiring;

  private AgentRuntime runtime;

  SessionRuntime(String id, Settings settings, Consumer<AgentRuntime> wiring) {
    this.id = id;
    this.settings = settings;
    this.wiring = wiring;
  }

  /** The runtime, while one is open. */
  Optional<AgentRuntime> current() {
    return Optional.ofNullable(runtime);
  }

  /** True when the session is open here or saved in the session directory or store. */
  boolean exists() {
    return runtime != null || savedInfo().isPresent();
  }

  /** The saved session's metadata; refuses a session that another agent wrote. */
  Optional<SessionInfo> savedInfo() {
    Optional<SessionInfo> info;
    try {
      info =
          settings.store().isPresent()
              ? settings.store().get().metadata(id)
              : FileSession.metadata(settings.sessionDir(), id);
    } catch (SessionException e) {
      throw ApiException.conflict(e.getMessage());
    }
    info.ifPresent(
        i -> {
          if (!i.agentName().equals(settings.agent().name())) {
            throw ApiException.conflict(
                "session '"
                    + id
                    + "' belongs to agent '"
                    + i.agentName()
                    + "', not to '"
                    + settings.agent().name()
                    + "'");
          }
        });
    return info;
  }

  /** The runtime, opened (and the saved history loaded) on first use. */
  AgentRuntime open() {
    if (runtime != null) {
      return runtime;
    }
    savedInfo();
    ChatModel model = null;
    AgentRuntime opened;
    try {
      AgentRuntime.Builder builder =
          AgentRuntime.builder(settings.agent()).consoleOutput(false).sessionId(id);
      if (settings.store().isPresent()) {
        builder.sessionStore(settings.store().get());
      } else {
        builder.session("file").sessionDir(settings.sessionDir());
      }
      if (settings.models().isPresent()) {
        model = settings.models().get().apply(id);
        builder.model(model);
      }
      opened = builder.build();
    } catch (SessionException e) {
      closeQuietly(model);
      throw ApiException.conflict("cannot open session '" + id + "': " + e.getMessage());
    } catch (ModelException e) {
      throw ApiException.unavailable(
          "cannot create the model for session '" + id + "': " + e.getMessage());
    } catch (AgentFileException e) {
      throw new IllegalStateException("the agent was loaded before the server started", e);
    } catch (RuntimeException e) {
      closeQuietly(model);
      throw e;
    }
    try {
      wiring.accept(opened);
    } catch (RuntimeException e) {
      opened.close();
      throw e;
    }
    runtime = opened;
    return runtime;
  }

  /** Closes the runtime, if open; its history stays saved. */
  void close() {
    if (runtime != null) {
      try {
        runtime.close();
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "closing session " + id + " failed", e);
      }
      runtime = null;
    }
  }

  private static void closeQuietly(ChatModel model) {
    if (model != null) {
      try {
        model.close();
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.DEBUG, "closing a model failed", e);
      }
    }
  }
}
