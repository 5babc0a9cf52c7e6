package dev.codepilot.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.codepilot.internal.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordingModelTest {

  @TempDir Path dir;

  /** A stand-in for a live provider: numbered replies, streamed in two pieces. */
  private static final class FakeModel implements ChatModel {
    final AtomicInteger calls = new AtomicInteger();
    final AtomicBoolean closed = new AtomicBoolean();
    int failOnCall = -1;

    @Override
    public ModelReply complete(ModelRequest request) throws ModelException {
      int n = calls.incrementAndGet();
      if (n == failOnCall) {
        throw new ModelException("provider down");
      }
      String text =
          "```python\nprint("
              + n
              + ")\n```\nreply \""
              + n
              + "\" for: "
              + request.messages().getLast().content();
      request.listener().onText(text.substring(0, 5));
      request.listener().onText(text.substring(5));
      return new ModelReply(text, StopReason.END_TURN, new Usage(10, 5, 0, 0));
    }

    @Override
    public void close() {
      closed.set(true);
    }
  }

  private static ModelRequest ask(String task, List<String> streamed) {
    return new ModelRequest(
        "system", List.of(Message.user(task)), streamed::add, new Cancellation());
  }

  @Test
  void recordedRunReplaysIdentically() throws Exception {
    Path cassette = dir.resolve("cassettes/run.json");
    List<String> live = new ArrayList<>();
    List<String> streamed = new ArrayList<>();
    try (RecordingModel recording = new RecordingModel(new FakeModel(), cassette)) {
      for (String task : List.of("one", "two", "three")) {
        live.add(recording.complete(ask(task, streamed)).text());
      }
      assertThat(recording.recorded()).isEqualTo(live);
    }
    assertThat(String.join("", streamed)).isEqualTo(String.join("", live));

    ReplayModel replay = ReplayModel.fromCassette(cassette);
    List<String> replayed = new ArrayList<>();
    for (String task : List.of("one", "two", "three")) {
      replayed.add(replay.complete(ask(task, new ArrayList<>())).text());
    }
    assertThat(replayed).isEqualTo(live);
  }

  @Test
  void writesTheExactReplayFormat() throws Exception {
    Path cassette = dir.resolve("run.json");
    try (RecordingModel recording = new RecordingModel(new FakeModel(), cassette)) {
      recording.complete(ask("x", new ArrayList<>()));
    }
    var root = Json.mapper().readTree(Files.readString(cassette));
    assertThat(root.size()).isEqualTo(1);
    assertThat(root.get("responses").isArray()).isTrue();
    assertThat(root.get("responses").get(0).asText()).startsWith("```python\nprint(1)");
  }

  @Test
  void cassetteKeepsRepliesSoFarWhenALaterCallFails() throws Exception {
    Path cassette = dir.resolve("run.json");
    FakeModel fake = new FakeModel();
    fake.failOnCall = 3;
    RecordingModel recording = new RecordingModel(fake, cassette);
    recording.complete(ask("one", new ArrayList<>()));
    recording.complete(ask("two", new ArrayList<>()));

    assertThatThrownBy(() -> recording.complete(ask("three", new ArrayList<>())))
        .isInstanceOf(ModelException.class)
        .hasMessage("provider down");

    ReplayModel replay = ReplayModel.fromCassette(cassette);
    replay.complete(ask("one", new ArrayList<>()));
    replay.complete(ask("two", new ArrayList<>()));
    assertThat(replay.served()).isEqualTo(2);
    assertThatThrownBy(() -> replay.complete(ask("three", new ArrayList<>())))
        .hasMessage("cassette exhausted");
  }

  @Test
  void rewritesInPlaceWithoutLeavingTemporaryFiles() throws Exception {
    Path cassette = dir.resolve("run.json");
    Files.writeString(cassette, "{\"responses\": [\"an older recording\"]}");
    RecordingModel recording = new RecordingModel(new FakeModel(), cassette);
    recording.complete(ask("one", new ArrayList<>()));
    recording.complete(ask("two", new ArrayList<>()));

    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(cassette);
    }
    assertThat(ReplayModel.fromCassette(cassette).complete(ask("x", new ArrayList<>())).text())
        .contains("print(1)");
  }

  @Test
  void unwritableCassetteIsReportedWithItsPath() throws Exception {
    Path blocker = Files.writeString(dir.resolve("not-a-dir"), "");
    Path cassette = blocker.resolve("run.json");
    RecordingModel recording = new RecordingModel(new FakeModel(), cassette);

    assertThatThrownBy(() -> recording.complete(ask("one", new ArrayList<>())))
        .isInstanceOf(ModelException.class)
        .hasMessageContaining("could not write the replay cassette")
        .hasMessageContaining(cassette.toString());
  }

  @Test
  void closeClosesTheWrappedModel() {
    FakeModel fake = new FakeModel();
    new RecordingModel(fake, dir.resolve("run.json")).close();
    assertThat(fake.closed).isTrue();
  }
}
