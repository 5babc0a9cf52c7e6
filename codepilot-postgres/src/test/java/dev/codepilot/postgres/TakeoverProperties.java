package dev.codepilot.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.codepilot.model.Message;
import dev.codepilot.session.SessionException;
import dev.codepilot.testing.postgres.PostgresServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random interleavings of three writers on one session: they race to take it, run steps, are killed
 * (their connection ended by the server, as when the process or its machine dies) or close, and
 * take over from each other. Whatever happens, the database holds exactly the steps whose save
 * succeeded, once each and in order, and never two writers at once.
 */
class TakeoverProperties {

  private static final int WRITERS = 3;
  private static final PostgresServer PG = new PostgresServer();
  private static final AtomicInteger SESSIONS = new AtomicInteger();
  private static String url;
  private static PostgresSessionStore store;

  @BeforeContainer
  static void start() throws Exception {
    PG.start();
    url = PG.newDatabase();
    store = PostgresSessionStore.open(url, PostgresServer.USER, PostgresServer.PASSWORD);
  }

  @AfterContainer
  static void stop() throws Exception {
    if (store != null) {
      store.close();
    }
    PG.destroy();
  }

  /** One writer: its session object and the history it believes in. */
  private static final class Writer {
    PostgresSession session;
    List<Message> history;

    /** Its connection was ended: it still has a session object but no lock. */
    boolean stale;

    boolean holds() {
      return session != null && !stale;
    }

    void close() {
      if (session != null) {
        session.close();
        session = null;
      }
      stale = false;
    }
  }

  @Property(tries = 200)
  void everyAcknowledgedStepIsKeptOnceAndInOrder(
      @ForAll @Size(min = 1, max = 14)
          List<@IntRange(min = 0, max = 4 * WRITERS - 1) Integer> actions)
      throws Exception {
    String id = "p" + SESSIONS.incrementAndGet();
    Writer[] writers = new Writer[WRITERS];
    for (int i = 0; i < WRITERS; i++) {
      writers[i] = new Writer();
    }
    List<Message> durable = new ArrayList<>();
    AtomicInteger stepNumber = new AtomicInteger();
    try {
      raceToTakeOver(id, writers, durable);
      for (int action : actions) {
        Writer w = writers[action % WRITERS];
        switch (action / WRITERS) {
          case 0 -> { // run a step
            if (w.session == null) {
              continue;
            }
            List<Message> next = new ArrayList<>(w.history);
            int n = stepNumber.incrementAndGet();
            next.add(Message.assistant("step " + n));
            next.add(Message.user("result " + n));
            if (w.stale) {
              assertThatThrownBy(() -> w.session.save(next))
                  .as("a writer that lost its lock")
                  .isInstanceOf(SessionException.class);
              w.close();
            } else {
              w.session.save(next);
              w.history = next;
              durable.clear();
              durable.addAll(next);
            }
          }
          case 1 -> { // the holder dies: its connection ends on the server
            killHolder(id);
            for (Writer each : writers) {
              if (each.holds()) {
                each.stale = true;
              }
            }
          }
          case 2 -> w.close();
          default -> { // a writer tries to take the session
            if (w.session == null) {
              boolean someoneHolds = holders(writers) > 0;
              assertThat(tryTake(id, w, durable)).isEqualTo(!someoneHolds);
            }
          }
        }
        assertThat(holders(writers)).isLessThanOrEqualTo(1);
        assertThat(store.readMessages(id).orElse(List.of())).isEqualTo(durable);
      }
    } finally {
      for (Writer w : writers) {
        w.close();
      }
    }
    assertThat(store.readMessages(id).orElse(List.of()))
        .as("nothing lost or doubled")
        .isEqualTo(durable);
  }

  /** All writers try to take the session at the same moment; exactly one gets it. */
  private static void raceToTakeOver(String id, Writer[] writers, List<Message> durable)
      throws InterruptedException {
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    for (Writer w : writers) {
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      go.await();
                      tryTake(id, w, durable);
                    } catch (Throwable e) {
                      failures.add(e);
                    }
                  }));
    }
    go.countDown();
    for (Thread t : threads) {
      t.join();
    }
    assertThat(failures).isEmpty();
    assertThat(holders(writers)).isEqualTo(1);
  }

  /** Whether {@code w} got the session. */
  private static boolean tryTake(String id, Writer w, List<Message> durable) {
    PostgresSession session = store.open(id, "Agent");
    try {
      List<Message> loaded = session.load();
      assertThat(loaded).as("the new holder sees every completed step").isEqualTo(durable);
      w.session = session;
      w.history = loaded;
      return true;
    } catch (SessionException held) {
      assertThat(held).hasMessageContaining("is running on");
      session.close();
      return false;
    }
  }

  private static int holders(Writer[] writers) {
    int n = 0;
    for (Writer w : writers) {
      if (w.holds()) {
        n++;
      }
    }
    return n;
  }

  /** Ends the connection that holds the session's advisory lock, if any. */
  private static void killHolder(String id) throws Exception {
    try (Connection c =
            DriverManager.getConnection(url, PostgresServer.USER, PostgresServer.PASSWORD);
        PreparedStatement s =
            c.prepareStatement(
                "SELECT pg_terminate_backend(l.pid)"
                    + " FROM pg_locks l, (SELECT hashtextextended('codepilot-session:' || ?, 0) AS k) key"
                    + " WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1"
                    + " AND l.classid::bigint = ((key.k >> 32) & 4294967295)"
                    + " AND l.objid::bigint = (key.k & 4294967295)")) {
      s.setString(1, id);
      s.execute();
    }
    // pg_terminate_backend signals; wait until the lock is really gone.
    for (int i = 0; i < 100 && store.holder(id).isPresent(); i++) {
      Thread.sleep(10);
    }
  }
}
