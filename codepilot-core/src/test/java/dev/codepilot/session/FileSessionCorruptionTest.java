package dev.codepilot.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.codepilot.model.Message;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FileSessionCorruptionTest {

  private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");
  private static final String ASIDE = "s.json.corrupt-20260102T030405Z";

  private static final String VALID =
      """
      {"session_id": "s", "agent_name": "a", "created_at": 1.0, "updated_at": 2.0,
       "messages": [{"role": "user", "content": "one"}, {"role": "assistant", "content": "two"}]}
      """;

  @TempDir Path dir;

  private final TestClock clock = new TestClock(NOW);

  static Stream<Arguments> damagedFiles() {
    return Stream.of(
        Arguments.of("empty", bytes(""), "the file is empty"),
        Arguments.of("only whitespace", bytes("  \n"), "the file is empty"),
        Arguments.of("truncated", bytes(VALID.substring(0, VALID.length() / 2)), "truncated"),
        Arguments.of("cut after the object opens", bytes("{"), "truncated"),
        Arguments.of("not JSON", bytes("hello, this is not json"), "not valid JSON"),
        Arguments.of("binary", new byte[] {0, (byte) 0xff, (byte) 0xfe, 7, 0, 1}, "not"),
        Arguments.of(
            "invalid UTF-8",
            concat(bytes("{\"session_id\": \""), new byte[] {(byte) 0xc3, 0x28}, bytes("\"}")),
            "not valid JSON"),
        Arguments.of("an array", bytes("[]"), "expected a JSON object at the top level"),
        Arguments.of("trailing garbage", bytes(VALID + "}"), "line"),
        Arguments.of(
            "no messages",
            bytes(
                """
            {"session_id": "s", "agent_name": "a", "created_at": 1.0, "updated_at": 2.0}"""),
            "the field 'messages' is missing"),
        Arguments.of(
            "no created_at",
            bytes(
                """
            {"session_id": "s", "agent_name": "a", "updated_at": 2.0, "messages": []}"""),
            "the field 'created_at' is missing"),
        Arguments.of(
            "messages not an array",
            bytes(VALID.replace("\"messages\": [", "\"messages\": {\"x\": [").replace("]}", "]}}")),
            "'messages' must be an array"),
        Arguments.of(
            "unknown role",
            bytes(VALID.replace("assistant", "system")),
            "messages[1]: unknown role 'system'"),
        Arguments.of(
            "content not a string",
            bytes(VALID.replace("\"two\"", "2")),
            "messages[1].content must be a string, found a number (line 2"),
        Arguments.of(
            "message without content",
            bytes(VALID.replace(", \"content\": \"one\"", "")),
            "messages[0] has no 'content'"),
        Arguments.of(
            "timestamp as text",
            bytes(VALID.replace("1.0", "\"yesterday\"")),
            "'created_at' must be a number of epoch seconds, found a string"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("damagedFiles")
  void loadOfADamagedFileThrowsAndKeepsTheFileAside(String name, byte[] content, String problem)
      throws IOException {
    Path file = dir.resolve("s.json");
    Files.write(file, content);

    try (FileSession session = new FileSession("s", "a", dir, clock)) {
      assertThatThrownBy(session::load)
          .isInstanceOf(SessionException.class)
          .hasMessageContaining("session file " + file + " of session 's' is damaged")
          .hasMessageContaining(problem)
          .hasMessageContaining("kept as " + dir.resolve(ASIDE))
          .satisfies(e -> assertThat(((SessionException) e).path()).contains(file));

      assertThat(file).doesNotExist();
      assertThat(dir.resolve(ASIDE)).hasBinaryContent(content);

      session.save(List.of(Message.user("fresh start")));
    }
    assertThat(dir.resolve(ASIDE)).hasBinaryContent(content);
    assertThat(FileSession.metadata(dir, "s").orElseThrow().messageCount()).isEqualTo(1);
  }

  @Test
  void metadataOfADamagedFileThrowsAndLeavesItInPlace() throws IOException {
    Path file = dir.resolve("s.json");
    Files.writeString(file, "{\"session_id\": \"s\", \"messa");

    assertThatThrownBy(() -> new FileSession("s", "a", dir).metadata())
        .isInstanceOf(SessionException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("truncated");
    assertThatThrownBy(() -> FileSession.metadata(dir, "s")).isInstanceOf(SessionException.class);
    assertThat(file).hasContent("{\"session_id\": \"s\", \"messa");
  }

  @Test
  void saveWithoutLoadMovesADamagedFileAsideInsteadOfOverwritingIt() throws IOException {
    Files.writeString(dir.resolve("s.json"), "garbage");

    try (FileSession session = new FileSession("s", "a", dir, clock)) {
      session.save(List.of(Message.user("new")));
    }

    assertThat(dir.resolve(ASIDE)).hasContent("garbage");
    assertThat(FileSession.metadata(dir, "s").orElseThrow().createdAt()).isEqualTo(NOW);
  }

  @Test
  void repeatedDamageIsKeptUnderDistinctNames() throws IOException {
    for (int round = 1; round <= 3; round++) {
      Files.writeString(dir.resolve("s.json"), "damaged " + round);
      try (FileSession session = new FileSession("s", "a", dir, clock)) {
        assertThatThrownBy(session::load).isInstanceOf(SessionException.class);
      }
    }

    assertThat(dir.resolve(ASIDE)).hasContent("damaged 1");
    assertThat(dir.resolve(ASIDE + "-2")).hasContent("damaged 2");
    assertThat(dir.resolve(ASIDE + "-3")).hasContent("damaged 3");
  }

  @Test
  void loadAfterTheDamagedFileWasKeptAsideStartsEmpty() throws IOException {
    Files.writeString(dir.resolve("s.json"), "{");
    try (FileSession session = new FileSession("s", "a", dir, clock)) {
      assertThatThrownBy(session::load).isInstanceOf(SessionException.class);
      assertThat(session.load()).isEmpty();
    }
  }

  @Test
  void saveIntoAReadOnlyDirectoryFailsAndKeepsThePreviousFile() throws IOException {
    assumeTrue(
        dir.getFileSystem().supportedFileAttributeViews().contains("posix"),
        "needs POSIX permissions");
    try (FileSession session = new FileSession("s", "a", dir)) {
      session.save(List.of(Message.user("before")));
      byte[] before = Files.readAllBytes(dir.resolve("s.json"));
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
      try {
        assumeFalse(Files.isWritable(dir), "the directory stays writable (running as root)");

        assertThatThrownBy(() -> session.save(List.of(Message.user("after"))))
            .isInstanceOf(SessionException.class)
            .hasMessageContaining("cannot save session 's' to " + dir.resolve("s.json"))
            .hasMessageContaining("AccessDeniedException")
            .hasMessageContaining("the previously saved history is unchanged")
            .hasCauseInstanceOf(java.nio.file.AccessDeniedException.class);
        assertThat(dir.resolve("s.json")).hasBinaryContent(before);
        assertThat(session.load()).containsExactly(Message.user("before"));
      } finally {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      }
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] part : parts) {
      length += part.length;
    }
    byte[] all = new byte[length];
    int at = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, all, at, part.length);
      at += part.length;
    }
    return all;
  }
}
