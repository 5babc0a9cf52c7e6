package dev.codepilot.server;

import dev.codepilot.AgentRuntime;
import dev.codepilot.config.AgentConfig;
import dev.codepilot.model.ChatModel;
import dev.codepilot.session.SessionStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What an {@link AgentServer} was built with, validated once by its builder.
 *
 * @param agent the agent every session runs
 * @param sessionDir where the session files live, absolute
 * @param idleTimeout how long an idle session keeps its runtime open
 * @param answerTimeout how long a permission request or question waits for the browser
 * @param maxBodyBytes the largest request body accepted
 * @param replayCapacity how many messages of the run in progress are kept for late joiners
 * @param clientCapacity how many messages may wait for one slow WebSocket client
 * @param models makes each session's model, when not the agent file's
 * @param customizer sees each runtime once it is built (to register tools)
 * @param store the session store shared with other servers, instead of the session directory
 * @param runWrapper wraps each run an HTTP request starts, given the request's headers
 */
record Settings(
    AgentConfig agent,
    Path sessionDir,
    Duration idleTimeout,
    Duration answerTimeout,
    long maxBodyBytes,
    int replayCapacity,
    int clientCapacity,
    Optional<Function<String, ChatModel>> models,
    Consumer<AgentRuntime> customizer,
    Optional<SessionStore> store,
    BiFunction<Function<String, String>, Runnable, Runnable> runWrapper) {}
