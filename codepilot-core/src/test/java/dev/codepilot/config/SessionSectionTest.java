package dev.codepilot.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent file's optional session: section. */
class SessionSectionTest {

  @TempDir Path dir;

  private static final String HEAD = "agent:\n  name: A\n  model: {provider: openai, name: m}\n";

  private AgentConfig load(String session) throws Exception {
    return AgentFile.load(write(session));
  }

  private Path write(String session) throws IOException {
    return Files.writeString(dir.resolve("agent.yaml"), HEAD + session);
  }

  private AgentFileException failure(String session) throws IOException {
    Path file = write(session);
    return assertThrows(AgentFileException.class, () -> AgentFile.load(file));
  }

  @Test
  void withoutTheSectionThereIsNoSessionConfig() throws Exception {
    assertThat(load("").session()).isEmpty();
  }

  @Test
  void aPostgresSectionIsRead() throws Exception {
    AgentConfig config =
        load(
            "  session:\n    backend: postgres\n"
                + "    url: \"jdbc:postgresql://db.internal/codepilot\"\n    user: cp\n"
                + "    password: pw\n");
    SessionConfig session = config.session().orElseThrow();
    assertThat(session.backend()).isEqualTo("postgres");
    assertThat(session.url()).isEqualTo("jdbc:postgresql://db.internal/codepilot");
    assertThat(session.user()).contains("cp");
    assertThat(session.password()).contains("pw");
    assertThat(session.toString()).doesNotContain("pw]").contains("***");
  }

  @Test
  void thePasswordIsTakenFromTheNamedEnvironmentVariable() throws Exception {
    // PATH is set wherever tests run; any variable shows the substitution.
    AgentConfig config =
        load(
            "  session:\n    backend: postgres\n"
                + "    url: jdbc:postgresql://db/x\n    password: ${PATH}\n");
    assertThat(config.session().orElseThrow().password()).contains(System.getenv("PATH"));
  }

  @Test
  void anUnsetVariableIsAnErrorNamingFieldLineAndVariable() throws Exception {
    AgentFileException e =
        failure(
            "  session:\n    backend: postgres\n"
                + "    url: jdbc:postgresql://db/x\n    password: ${CODEPILOT_SURELY_UNSET_4711}\n");
    assertThat(e.field()).isEqualTo("agent.session.password");
    assertThat(e.line()).isEqualTo(7);
    assertThat(e.getMessage()).contains("CODEPILOT_SURELY_UNSET_4711").contains("not set");
  }

  @Test
  void fileAndMemoryBackendsNeedNoUrl() throws Exception {
    assertThat(load("  session: {backend: file}\n").session())
        .contains(new SessionConfig("file", "", Optional.empty(), Optional.empty()));
    AgentFileException e = failure("  session: {backend: file, url: jdbc:postgresql://db/x}\n");
    assertThat(e.field()).isEqualTo("agent.session.url");
    assertThat(e.getMessage()).contains("only the postgres backend reads it");
  }

  @Test
  void badValuesAreNamed() throws Exception {
    AgentFileException unknown = failure("  session: {backend: postgre}\n");
    assertThat(unknown.field()).isEqualTo("agent.session.backend");
    assertThat(unknown.line()).isEqualTo(4);
    assertThat(unknown.getMessage()).contains("did you mean 'postgres'?");

    AgentFileException noUrl = failure("  session:\n    backend: postgres\n");
    assertThat(noUrl.field()).isEqualTo("agent.session.url");
    assertThat(noUrl.getMessage()).contains("is required but missing");

    AgentFileException mysql =
        failure("  session:\n    backend: postgres\n" + "    url: jdbc:mysql://db/x\n");
    assertThat(mysql.field()).isEqualTo("agent.session.url");
    assertThat(mysql.line()).isEqualTo(6);
    assertThat(mysql.getMessage()).contains("must be a PostgreSQL JDBC URL");

    AgentFileException stray =
        failure(
            "  session:\n    backend: postgres\n"
                + "    url: jdbc:postgresql://db/x\n    pasword: x\n");
    assertThat(stray.field()).startsWith("agent.session");
    assertThat(stray.getMessage()).contains("pasword");
  }
}
