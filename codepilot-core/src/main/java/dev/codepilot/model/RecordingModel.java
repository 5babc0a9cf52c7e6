package dev.codepilot.model;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codepilot.internal.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A model that passes every request to another model and records the replies as a replay cassette
 * ({@code {"responses": [...]}}, the format {@link ReplayModel#fromCassette} reads).
 *
 * <p>The cassette is rewritten after every reply, through a temporary file that is then moved over
 * it, so a run that crashes keeps the replies it had so far and never leaves a half-written file.
 * Failed calls record nothing. Thread-safe if the wrapped model is.
 *
 * <pre>{@code
 * AgentConfig config = AgentFile.load(Path.of("agent.yaml"));
 * ChatModel model = new RecordingModel(ChatModels.create(config.model()), Path.of("run.json"));
 * try (AgentRuntime runtime = AgentRuntime.builder(config).model(model).build()) {
 *   runtime.run(task);   // closing the runtime closes the model
 * }
 * }</pre>
 */
public final class RecordingModel implements ChatModel {

  private final ChatModel delegate;
  private final Path cassette;
  private final List<String> replies = new ArrayList<>();

  /**
   * Records the replies of {@code delegate} into {@code cassette}, replacing the file if it exists.
   * The file is first written after the first reply; missing parent folders are created.
   */
  public RecordingModel(ChatModel delegate, Path cassette) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.cassette = Objects.requireNonNull(cassette, "cassette").toAbsolutePath();
  }

  /** The cassette file this model writes. */
  public Path cassette() {
    return cassette;
  }

  /** The replies recorded so far, oldest first. */
  public synchronized List<String> recorded() {
    return List.copyOf(replies);
  }

  /**
   * Asks the wrapped model, then records its reply.
   *
   * @throws ModelException when the wrapped model fails, or when the cassette cannot be written;
   *     the message then names the file
   */
  @Override
  public ModelReply complete(ModelRequest request) throws ModelException {
    ModelReply reply = delegate.complete(request);
    synchronized (this) {
      replies.add(reply.text());
      write();
    }
    return reply;
  }

  @Override
  public void close() {
    delegate.close();
  }

  private void write() throws ModelException {
    ObjectNode root = Json.mapper().createObjectNode();
    ArrayNode list = root.putArray("responses");
    replies.forEach(list::add);
    Path tmp = null;
    try {
      Path dir = cassette.getParent();
      Files.createDirectories(dir);
      tmp = Files.createTempFile(dir, "." + cassette.getFileName(), ".tmp");
      Files.writeString(
          tmp,
          Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n",
          StandardCharsets.UTF_8);
      try {
        Files.move(
            tmp, cassette, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, cassette, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      deleteQuietly(tmp);
      throw new ModelException("could not write the replay cassette " + cassette + ": " + e, e);
    }
  }

  private static void deleteQuietly(Path tmp) {
    if (tmp == null) {
      return;
    }
    try {
      Files.deleteIfExists(tmp);
    } catch (IOException ignored) {
      // The original error is the one worth reporting.
    }
  }
}
