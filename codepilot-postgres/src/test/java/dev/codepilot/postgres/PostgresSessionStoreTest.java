package dev.codepilot.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.codepilot.internal.Json;
import dev.codepilot.model.Message;
import dev.codepilot.session.SessionException;
import dev.codepilot.session.SessionInfo;
import dev.codepilot.session.SessionStore;
import dev.codepilot.session.SessionStores;
import dev.codepilot.testing.postgres.PostgresServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresSessionStoreTest {

  @RegisterExtension static final PostgresServer PG = new PostgresServer();

  private String url;
  private final List<AutoCloseable> opened = new ArrayList<>();

  @BeforeEach
  void newDatabase() throws SQLException {
    url = PG.newDatabase();
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : opened.reversed()) {
      c.close();
    }
  }

  private PostgresSessionStore store() {
    PostgresSessionStore store =
        PostgresSessionStore.open(url, PostgresServer.USER, PostgresServer.PASSWORD);
    opened.add(store);
    return store;
  }

  private PostgresSession session(PostgresSessionStore store, String id) {
    PostgresSession session = store.open(id, "Backend Engineer");
    opened.add(session);
    return session;
  }

  private static List<Message> history(int messages) {
    List<Message> list = new ArrayList<>();
    for (int i = 0; i < messages; i++) {
      list.add(
          i % 2 == 0
              ? Message.user("result " + i)
              : Message.assistant("```python\nx=" + i + "\n```"));
    }
    return list;
  }

  @Test
  void historySavedByOneStoreIsLoadedByAnother() {
    List<Message> saved = new ArrayList<>(history(4));
    saved.add(Message.user("[CONTEXT SUMMARY up to step 2] the agent wrote a.py"));
    try (PostgresSessionStore first =
            PostgresSessionStore.open(url, PostgresServer.USER, PostgresServer.PASSWORD);
        PostgresSession session = first.open("api", "Backend Engineer")) {
      assertThat(session.load()).isEmpty();
      session.save(saved.subList(0, 2));
      session.save(saved);
    }

    PostgresSessionStore second = store();
    assertThat(session(second, "api").load()).isEqualTo(saved);
    SessionInfo info = second.metadata("api").orElseThrow();
    assertThat(info.agentName()).isEqualTo("Backend Engineer");
    assertThat(info.messageCount()).isEqualTo(5);
    assertThat(info.createdAt()).isBeforeOrEqualTo(info.updatedAt());
    assertThat(info.path()).isNull();
    assertThat(second.readMessages("api")).contains(saved);
    assertThat(second.readMessages("nothing")).isEmpty();
    assertThat(second.metadata("nothing")).isEmpty();
  }

  @Test
  void savingAnEmptyHistoryCreatesTheSession() {
    PostgresSessionStore store = store();
    try (PostgresSession session = store.open("empty", "A")) {
      session.load();
      session.save(List.of());
    }
    assertThat(store.metadata("empty")).get().extracting(SessionInfo::messageCount).isEqualTo(0);
    assertThat(store.readMessages("empty")).contains(List.of());
  }

  @Test
  void theStoreIsFoundThroughTheServiceLoaderWithCredentialsInTheUrl() {
    try (SessionStore store =
        SessionStores.open(
            url + "?user=" + PostgresServer.USER + "&password=" + PostgresServer.PASSWORD,
            null,
            null)) {
      assertThat(store).isInstanceOf(PostgresSessionStore.class);
      assertThat(store.location())
          .contains("127.0.0.1:" + PG.port())
          .contains("(user postgres)")
          .doesNotContain(PostgresServer.PASSWORD);
      assertThat(store.list()).isEmpty();
    }
  }

  @Test
  void aSaveAppendsTheNewStepAndLeavesEarlierRowsUntouched() throws SQLException {
    PostgresSession session = session(store(), "steps");
    session.load();
    List<Message> messages = history(20);
    session.save(messages.subList(0, 10));
    long before = rowVersion("steps", 0);
    session.save(messages);
    assertThat(rowVersion("steps", 0))
        .as("the first message's row was not rewritten")
        .isEqualTo(before);
    assertThat(rowVersion("steps", 19)).isNotEqualTo(before);
    assertThat(store().list()).extracting(SessionInfo::messageCount).containsExactly(20);
  }

  @Test
  void aChangedHistoryReplacesTheTailInOneTransaction() {
    PostgresSession session = session(store(), "edited");
    session.save(history(6));
    List<Message> edited = new ArrayList<>(history(3));
    edited.add(Message.assistant("a different reply"));
    session.save(edited);
    assertThat(store().readMessages("edited")).contains(edited);
  }

  @Test
  void aSecondWriterIsRefusedAndNamesTheHolder() {
    PostgresSessionStore store = store();
    session(store, "busy").load();
    PostgresSession second = session(store(), "busy");
    assertThatThrownBy(second::load)
        .isInstanceOf(SessionException.class)
        .hasMessageContaining("session 'busy' is running on host ")
        .hasMessageContaining("(pid " + ProcessHandle.current().pid() + ") since ");
    assertThatThrownBy(() -> second.save(history(2))).isInstanceOf(SessionException.class);
    assertThat(store.holder("busy")).get().asString().contains("pid");
    assertThatThrownBy(() -> store.delete("busy"))
        .isInstanceOf(SessionException.class)
        .hasMessageContaining("is running on");
    assertThat(store.holder("idle")).isEmpty();
  }

  @Test
  void closingReleasesTheLockForTheNextWriter() {
    PostgresSessionStore store = store();
    PostgresSession first = session(store, "handover");
    first.save(history(2));
    first.close();
    PostgresSession next = session(store(), "handover");
    assertThat(next.load()).isEqualTo(history(2));
    next.save(history(4));
    assertThat(store.holder("handover")).isPresent();
    next.close();
    assertThat(store.holder("handover")).isEmpty();
    assertThat(store.delete("handover")).isTrue();
    assertThat(store.delete("handover")).isFalse();
    assertThat(store.list()).isEmpty();
  }

  @Test
  void resetDeletesTheHistoryAndKeepsTheLock() {
    PostgresSessionStore store = store();
    PostgresSession session = session(store, "again");
    session.save(history(4));
    session.reset();
    assertThat(store.metadata("again")).isEmpty();
    assertThatThrownBy(() -> session(store, "again").load()).hasMessageContaining("is running on");
    session.save(history(2));
    assertThat(store.readMessages("again")).contains(history(2));
  }

  @Test
  void hostileSessionIdsAreRefusedBeforeAnyQuery() {
    PostgresSessionStore store = store();
    for (String id :
        List.of(
            "../etc/passwd",
            "a/b",
            "",
            "x'; DROP TABLE codepilot_sessions;--",
            "con",
            ".hidden",
            "a".repeat(129))) {
      assertThatThrownBy(() -> store.open(id, "A"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("session id");
      assertThatThrownBy(() -> store.metadata(id)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> store.readMessages(id)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> store.delete(id)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void anOversizedMessageIsRefusedAndTheSavedHistoryStays() {
    PostgresSession session = session(store(), "big");
    session.save(history(2));
    List<Message> tooBig = new ArrayList<>(history(2));
    tooBig.add(Message.user("x".repeat(Json.MAX_STORED_STRING_LENGTH + 1)));
    assertThatThrownBy(() -> session.save(tooBig))
        .isInstanceOf(SessionException.class)
        .hasMessageContaining("messages[2].content has " + (Json.MAX_STORED_STRING_LENGTH + 1));
    assertThat(store().readMessages("big")).contains(history(2));
  }

  @Test
  void textPostgresCannotHoldAsItIsRoundTrips() {
    List<Message> odd =
        List.of(
            Message.user("nul \u0000 inside"),
            Message.assistant("lone \uD800 surrogate and \"quotes\" \\ and \n"),
            Message.user("pair \uD83D\uDE00 ok"),
            Message.user("low \uDC00 first"));
    session(store(), "odd").save(odd);
    assertThat(store().readMessages("odd")).contains(odd);
  }

  @Test
  void wrongCredentialsGiveOneClearMessageWithoutThePassword() {
    assertThatThrownBy(() -> PostgresSessionStore.open(url, PostgresServer.USER, "wrong-pw"))
        .isInstanceOf(SessionException.class)
        .hasMessageContaining(
            "cannot connect to the session store postgresql://127.0.0.1:" + PG.port())
        .hasMessageContaining("password authentication failed")
        .hasMessageNotContaining("wrong-pw");
    assertThatThrownBy(
            () ->
                PostgresSessionStore.open(
                    "jdbc:postgresql://127.0.0.1:1/none", PostgresServer.USER, "pw"))
        .isInstanceOf(SessionException.class)
        .hasMessageContaining("postgresql://127.0.0.1:1/none")
        .hasMessageContaining("Connection");
    assertThatThrownBy(() -> PostgresSessionStore.open("jdbc:mysql://x/y", null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a PostgreSQL JDBC URL");
    assertThatThrownBy(() -> SessionStores.open("jdbc:mysql://x/y", null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no session store");
  }

  @Test
  void aWriterWhoseConnectionIsCutStopsAndAnotherTakesOver() throws SQLException {
    PostgresSession first = session(store(), "cut");
    first.save(history(2));
    PG.terminateClients(url.substring(url.lastIndexOf('/') + 1));

    PostgresSession second = session(store(), "cut");
    assertThat(second.load()).isEqualTo(history(2));
    second.save(history(4));

    assertThatThrownBy(() -> first.save(history(6)))
        .isInstanceOf(SessionException.class)
        .hasMessageContaining("session 'cut' lost its connection to the session store")
        .hasMessageContaining("run the session again to resume it");
    assertThatThrownBy(() -> first.save(history(6)))
        .isInstanceOf(SessionException.class)
        .hasMessageContaining("lost its connection");
    assertThat(store().readMessages("cut")).contains(history(4));
  }

  @Test
  void twoStoresOpeningAFreshDatabaseAtOnceBothWork() throws Exception {
    List<Thread> threads = new ArrayList<>();
    List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    for (int i = 0; i < 3; i++) {
      int n = i;
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    try (PostgresSessionStore s =
                            PostgresSessionStore.open(
                                url, PostgresServer.USER, PostgresServer.PASSWORD);
                        PostgresSession session = s.open("s" + n, "A")) {
                      session.save(history(2));
                    } catch (Throwable t) {
                      failures.add(t);
                    }
                  }));
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(failures).isEmpty();
    assertThat(store().list()).hasSize(3);
  }

  @Test
  void liveEventsReachTheOtherStoresInOrderButNotTheSender() throws Exception {
    PostgresSessionStore sender = store();
    PostgresSessionStore receiver = store();
    java.util.concurrent.BlockingQueue<String> got =
        new java.util.concurrent.LinkedBlockingQueue<>();
    java.util.concurrent.BlockingQueue<String> echoed =
        new java.util.concurrent.LinkedBlockingQueue<>();
    try (AutoCloseable listening = receiver.subscribeEvents((id, e) -> got.add(id + ":" + e));
        AutoCloseable own = sender.subscribeEvents((id, e) -> echoed.add(e))) {
      // The listener connects on its own thread; publish until the first event arrives.
      String first = null;
      for (int i = 0; i < 100 && first == null; i++) {
        sender.publishEvent("s", "{\"n\":0}");
        first = got.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
      }
      assertThat(first).isEqualTo("s:{\"n\":0}");
      got.clear();
      for (int n = 1; n <= 50; n++) {
        assertThat(sender.publishEvent("s", "{\"n\":" + n + "}")).isTrue();
      }
      List<String> received = new ArrayList<>();
      while (received.size() < 50) {
        String next = got.poll(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(next).as("event " + (received.size() + 1)).isNotNull();
        if (!next.equals("s:{\"n\":0}")) {
          received.add(next);
        }
      }
      for (int n = 1; n <= 50; n++) {
        assertThat(received.get(n - 1)).isEqualTo("s:{\"n\":" + n + "}");
      }
      assertThat(sender.publishEvent("s", "x".repeat(8000))).as("over NOTIFY's limit").isFalse();
      assertThat(echoed).as("a store does not hear its own events").isEmpty();
    }
  }

  /** The row's xmin: the transaction that last wrote it. */
  private long rowVersion(String sessionId, int seq) throws SQLException {
    try (Connection c =
            DriverManager.getConnection(url, PostgresServer.USER, PostgresServer.PASSWORD);
        PreparedStatement s =
            c.prepareStatement(
                "SELECT xmin::text::bigint FROM"
                    + " codepilot_messages WHERE session_id = ? AND seq = ?")) {
      s.setString(1, sessionId);
      s.setInt(2, seq);
      try (ResultSet r = s.executeQuery()) {
        assertThat(r.next()).isTrue();
        return r.getLong(1);
      }
    }
  }
}
