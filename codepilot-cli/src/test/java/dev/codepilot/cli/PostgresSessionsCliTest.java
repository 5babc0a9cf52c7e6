package dev.codepilot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.codepilot.testing.postgres.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code run}, {@code sessions} and the agent file with sessions in a real PostgreSQL. */
class PostgresSessionsCliTest {

  @RegisterExtension static final PostgresServer PG = new PostgresServer();

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private String url;
  private String store;

  @BeforeEach
  void newDatabase() throws Exception {
    url = PG.newDatabase();
    store = url + "?user=" + PostgresServer.USER + "&password=" + PostgresServer.PASSWORD;
  }

  @Test
  void runSavesInTheStoreAndSessionsListsShowsAndDeletesFromIt() throws Exception {
    Path agent = Cli.copyExample("hello", dir.resolve("hello")).resolve("agent.yaml");
    Cli.Result run =
        Cli.run(
            dir,
            "run",
            agent.toString(),
            "Greet",
            "--json",
            "--session-store",
            store,
            "--session-id",
            "greeter");
    assertThat(run.exitCode()).as(run.stderr()).isZero();
    for (String line : run.stdoutLines()) {
      assertThat(JSON.readTree(line).isObject()).as(line).isTrue();
    }
    assertThat(run.stderr()).doesNotContain("INFO").doesNotContain(PostgresServer.PASSWORD);

    Cli.Result list = Cli.run(dir, "sessions", "list", "--session-store", store);
    assertThat(list.exitCode()).as(list.stderr()).isZero();
    assertThat(list.stdoutLines())
        .anySatisfy(
            line -> assertThat(line).matches("greeter +Hello Agent +3 +(just now|\\d+ s ago)"));
    assertThat(list.stdoutLines().getLast())
        .isEqualTo(
            "1 session in postgresql://127.0.0.1:"
                + PG.port()
                + "/"
                + url.substring(url.lastIndexOf('/') + 1)
                + " (user postgres)");

    Cli.Result json = Cli.run(dir, "sessions", "list", "--json", "--session-store", store);
    JsonNode row = JSON.readTree(json.stdoutLines().getFirst());
    assertThat(row.get("session_id").asText()).isEqualTo("greeter");
    assertThat(row.get("messages").asInt()).isEqualTo(3);
    assertThat(row.get("store").asText()).startsWith("postgresql://127.0.0.1:");

    Cli.Result show = Cli.run(dir, "sessions", "show", "greeter", "--session-store", store);
    assertThat(show.exitCode()).as(show.stderr()).isZero();
    assertThat(show.stdout()).contains("Session 'greeter'").contains("Greet").contains("hello.sh");

    Cli.Result delete = Cli.run(dir, "sessions", "delete", "greeter", "--session-store", store);
    assertThat(delete.exitCode()).as(delete.stderr()).isZero();
    assertThat(delete.stdout()).startsWith("Deleted session 'greeter' (postgresql://");
    Cli.Result missing = Cli.run(dir, "sessions", "show", "greeter", "--session-store", store);
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.stderr()).contains("no session 'greeter' in postgresql://");
  }

  @Test
  void theAgentFilesSessionSectionIsUsedWithItsPasswordFromTheEnvironment() throws Exception {
    Path folder = Cli.copyExample("hello", dir.resolve("hello"));
    Path agent = folder.resolve("agent.yaml");
    Files.writeString(
        agent,
        Files.readString(agent)
            + """

          session:
            backend: postgres
            url: "%s"
            user: postgres
            password: ${CODEPILOT_TEST_DB_PASSWORD}
        """
                .formatted(url));
    Cli.Result run =
        Cli.run(
            dir,
            java.util.Map.of("CODEPILOT_TEST_DB_PASSWORD", PostgresServer.PASSWORD),
            "run",
            agent.toString(),
            "Greet");
    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.stdout()).contains("Starting new session 'hello-agent'");

    Cli.Result list = Cli.run(dir, "sessions", "list", "--session-store", store);
    assertThat(list.stdout()).contains("hello-agent");

    Cli.Result unset = Cli.run(dir, "run", agent.toString(), "Greet");
    assertThat(unset.exitCode()).isEqualTo(2);
    assertThat(unset.stderr())
        .contains("agent.session.password")
        .contains("CODEPILOT_TEST_DB_PASSWORD")
        .contains("not set");
  }

  @Test
  void chatKeepsItsConversationInTheStoreAndTheNextChatResumesIt() throws Exception {
    Path agent = Cli.copyExample("hello", dir.resolve("hello")).resolve("agent.yaml");
    Cli.Result first =
        Cli.runWithInput(
            dir,
            java.util.Map.of(),
            "Greet\n",
            "chat",
            agent.toString(),
            "--session-id",
            "talk",
            "--session-store",
            store);
    assertThat(first.exitCode()).as(first.stderr()).isZero();
    assertThat(first.stdout())
        .contains("Starting new session 'talk'")
        .contains("Session 'talk' saved. Goodbye.");

    Cli.Result second =
        Cli.runWithInput(
            dir,
            java.util.Map.of(),
            "reset\nexit\n",
            "chat",
            agent.toString(),
            "--session-id",
            "talk",
            "--session-store",
            store);
    assertThat(second.exitCode()).as(second.stderr()).isZero();
    assertThat(second.stdout())
        .contains("Resuming session 'talk' (3 messages)")
        .contains("History cleared. Starting fresh.");
    assertThat(Cli.run(dir, "sessions", "list", "--session-store", store).stdout())
        .startsWith("No saved sessions in postgresql://");
  }

  @Test
  void wrongCredentialsOrAnUnreachableStoreExitWithTwoAndOneClearMessage() throws Exception {
    Path agent = Cli.copyExample("hello", dir.resolve("hello")).resolve("agent.yaml");
    Cli.Result wrong =
        Cli.run(
            dir,
            "run",
            agent.toString(),
            "Greet",
            "--session-store",
            url + "?user=postgres&password=not-the-password");
    assertThat(wrong.exitCode()).isEqualTo(2);
    assertThat(wrong.stderr().strip().lines()).hasSize(1);
    assertThat(wrong.stderr())
        .contains("cannot connect to the session store postgresql://")
        .contains("password authentication failed")
        .doesNotContain("not-the-password");

    Cli.Result down =
        Cli.run(
            dir,
            "sessions",
            "list",
            "--session-store",
            "jdbc:postgresql://127.0.0.1:1/none?user=x&password=y");
    assertThat(down.exitCode()).isEqualTo(2);
    assertThat(down.stderr()).contains("postgresql://127.0.0.1:1/none");

    Cli.Result serve =
        Cli.run(
            dir,
            "serve",
            agent.toString(),
            "--port",
            "0",
            "--session-store",
            url + "?user=postgres&password=not-the-password");
    assertThat(serve.exitCode()).isEqualTo(2);
    assertThat(serve.stderr())
        .contains("password authentication failed")
        .doesNotContain("not-the-password");
    assertThat(serve.stdout()).doesNotContain("Open in your browser");

    Cli.Result notPostgres =
        Cli.run(dir, "sessions", "list", "--session-store", "jdbc:mysql://db/x");
    assertThat(notPostgres.exitCode()).isEqualTo(2);
    assertThat(notPostgres.stderr()).contains("no session store");
  }
}
