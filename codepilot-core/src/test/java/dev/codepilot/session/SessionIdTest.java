package dev.codepilot.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SessionIdTest {

  @TempDir Path root;

  static Stream<String> hostileIds() {
    return Stream.of(
        "../x",
        "../../etc/passwd",
        "/etc/passwd",
        "a/b",
        "a\\b",
        "..\\x",
        "..",
        ".",
        "",
        ".hidden",
        "a..b",
        "x.",
        "a\u0000b",
        "\u0000",
        "line\nbreak",
        "tab\there",
        "a b",
        "x".repeat(129),
        "x".repeat(10_000),
        "a\u2215b",
        "a\u2044b",
        "a\uFF0Fb",
        "a\uFF3Cb",
        "a\u29F8b",
        "\u2024\u2024",
        "\uFF0E\uFF0E",
        "caf\u00e9",
        "a:b",
        "C:x",
        "a*b",
        "a?b",
        "a|b",
        "a\"b",
        "a<b>",
        "s\u202Egnp.json",
        "CON",
        "con",
        "nul.txt",
        "Com1",
        "lpt9.json",
        "aux");
  }

  @ParameterizedTest
  @MethodSource("hostileIds")
  void hostileIdsAreRefusedAndNothingIsWritten(String id) throws IOException {
    Path sessions = Files.createDirectory(root.resolve("sessions"));

    assertThatThrownBy(() -> new FileSession(id, "agent", sessions))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid session id \"")
        .hasMessageContaining("ASCII letters, digits, '-', '_' and '.'");
    assertThatThrownBy(() -> FileSession.metadata(sessions, id))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Sessions.create("file", id, "agent", sessions))
        .isInstanceOf(IllegalArgumentException.class);

    try (Stream<Path> everything = Files.walk(root)) {
      assertThat(everything).containsExactlyInAnyOrder(root, sessions);
    }
  }

  @Test
  void refusalNamesTheIdAndTheProblemWithControlCharactersEscaped() {
    assertThatThrownBy(() -> new FileSession("../x", "a", root))
        .hasMessageStartingWith(
            "invalid session id \"../x\": it contains a path separator '/'" + " at index 2");
    assertThatThrownBy(() -> new FileSession("a\u0000b", "a", root))
        .hasMessageStartingWith(
            "invalid session id \"a\\u0000b\": it contains the character" + " U+0000 at index 1");
    assertThatThrownBy(() -> new FileSession("..", "a", root))
        .hasMessageStartingWith("invalid session id \"..\": it starts with '.'");
    assertThatThrownBy(() -> new FileSession("x".repeat(300), "a", root))
        .hasMessageContaining("... (300 characters): it has 300 characters");
    assertThatThrownBy(() -> new FileSession("NUL", "a", root))
        .hasMessageContaining("a name Windows reserves for a device");
    assertThatThrownBy(() -> new FileSession(null, "a", root))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ecommerce-api",
        "default",
        "my_session.v2",
        "A1",
        "_",
        "-x-",
        "a.b.c",
        "console",
        "com10",
        "nul_",
        "backendengineer"
      })
  void safeIdsNameAFileDirectlyInsideTheDirectory(String id) {
    FileSession session = new FileSession(id, "agent", root);

    assertThat(session.path()).isEqualTo(root.resolve(id + ".json"));
    assertThat(session.path().getParent()).isEqualTo(root);
  }

  @Test
  void idsMayBe128CharactersLong() {
    String id = "x".repeat(128);
    assertThat(new FileSession(id, "a", root).path().getFileName().toString())
        .isEqualTo(id + ".json");
  }

  @Test
  void defaultSessionIdIsTheAgentNameLowerCasedWithHyphens() {
    assertThat(Sessions.defaultSessionId("Backend Engineer")).isEqualTo("backend-engineer");
    assertThat(Sessions.defaultSessionId("BackendEngineer")).isEqualTo("backendengineer");
    assertThat(Sessions.defaultSessionId("My Agent v2.1")).isEqualTo("my-agent-v2.1");
  }

  @Test
  void defaultSessionIdTurnsAnyAgentNameIntoAValidId() {
    assertThat(Sessions.defaultSessionId("../../etc/passwd")).isEqualTo("_._etc_passwd");
    assertThat(Sessions.defaultSessionId("")).isEqualTo("default");
    assertThat(Sessions.defaultSessionId("...")).isEqualTo("default");
    assertThat(Sessions.defaultSessionId("Con")).isEqualTo("_con");
    assertThat(Sessions.defaultSessionId("Größe Agent")).isEqualTo("gr__e-agent");
    assertThat(Sessions.defaultSessionId("a".repeat(200))).hasSize(128);
  }
}
