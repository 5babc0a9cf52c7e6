package dev.codepilot.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.codepilot.model.Message;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSessionLockTest {

  private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(20);

  @TempDir Path dir;

  @TempDir Path scratch;

  @Test
  void secondSessionInTheSameJvmIsRefusedUntilTheFirstCloses() {
    FileSession first = new FileSession("shared", "a", dir);
    first.save(List.of(Message.user("from first")));
    FileSession second = new FileSession("shared", "b", dir);

    assertThatThrownBy(second::load)
        .isInstanceOf(SessionException.class)
        .hasMessageContaining("session 'shared' is in use by another runtime in this process")
        .hasMessageContaining("lock file " + dir.resolve("shared.lock"));
    assertThatThrownBy(() -> second.save(List.of(Message.user("from second"))))
        .isInstanceOf(SessionException.class);
    assertThatThrownBy(second::reset).isInstanceOf(SessionException.class);
    // The holder is unaffected by the refused attempts.
    first.save(List.of(Message.user("from first"), Message.user("again")));
    assertThat(new FileSession("shared", "x", dir).metadata().orElseThrow().messageCount())
        .isEqualTo(2);

    first.close();
    assertThat(second.load()).hasSize(2);
    second.save(List.of(Message.user("from second")));
    second.close();
  }

  @Test
  void ofManySessionsRacingForOneIdExactlyOneGetsTheLock() throws Exception {
    List<FileSession> sessions =
        IntStream.range(0, 16).mapToObj(i -> new FileSession("race", "agent " + i, dir)).toList();
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Boolean>> outcomes = new ArrayList<>();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (FileSession session : sessions) {
        outcomes.add(
            threads.submit(
                () -> {
                  start.await();
                  try {
                    session.load();
                    return true;
                  } catch (SessionException refused) {
                    return false;
                  }
                }));
      }
      start.countDown();
    }

    int winners = 0;
    for (Future<Boolean> outcome : outcomes) {
      winners += outcome.get() ? 1 : 0;
    }
    assertThat(winners).isEqualTo(1);
    sessions.forEach(FileSession::close);
    try (FileSession after = new FileSession("race", "agent", dir)) {
      assertThat(after.load()).isEmpty();
    }
  }

  @Test
  void concurrentSavesThroughOneSessionLeaveOneCompleteHistory() throws Exception {
    try (FileSession session = new FileSession("busy", "agent", dir);
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> saves = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        saves.add(
            threads.submit(
                () -> {
                  for (int i = 0; i < 10; i++) {
                    session.save(
                        List.of(Message.user("thread " + thread), Message.assistant("save " + i)));
                  }
                }));
      }
      for (Future<?> save : saves) {
        save.get();
      }
      assertThat(session.load()).hasSize(2).last().isEqualTo(Message.assistant("save 9"));
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("busy.json", "busy.lock");
    }
  }

  @Test
  void aRefusedSessionInThisJvmDoesNotWeakenTheHoldersLock() throws Exception {
    // On POSIX, closing any channel on a file drops all of the process's locks on it; the
    // refused session must therefore never open the lock file at all.
    try (FileSession holder = new FileSession("kept", "a", dir)) {
      holder.load();
      FileSession refused = new FileSession("kept", "b", dir);
      for (int i = 0; i < 3; i++) {
        assertThatThrownBy(refused::load).isInstanceOf(SessionException.class);
      }
      refused.close();

      try (ChildJvm child = ChildJvm.start(scratch, null, "try", dir.toString(), "kept")) {
        assertThat(child.awaitLine("", CHILD_TIMEOUT))
            .startsWith(
                "refused session 'kept' is in use by another process, pid "
                    + ProcessHandle.current().pid());
      }
    }
  }

  @Test
  void readOnlyMethodsWorkWhileAnotherSessionHoldsTheLock() {
    try (FileSession holder = new FileSession("busy", "a", dir)) {
      holder.save(List.of(Message.user("hi")));
      FileSession inspector = new FileSession("busy", "", dir);

      assertThat(inspector.exists()).isTrue();
      assertThat(inspector.metadata()).get().extracting(SessionInfo::messageCount).isEqualTo(1);
      assertThat(inspector.listSessions())
          .extracting(SessionInfo::sessionId)
          .containsExactly("busy");
      assertThat(FileSession.metadata(dir, "busy")).isPresent();
      inspector.close();

      holder.save(List.of(Message.user("hi"), Message.assistant("still mine")));
    }
  }

  @Test
  void closeReleasesTheLockAndEndsWritingThroughThatInstance() {
    FileSession session = new FileSession("s", "a", dir);
    session.save(List.of());
    session.close();
    session.close();

    assertThatThrownBy(session::load)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'s' is closed");
    assertThatThrownBy(() -> session.save(List.of())).isInstanceOf(IllegalStateException.class);
    assertThat(session.exists()).isTrue();
    try (FileSession next = new FileSession("s", "a", dir)) {
      assertThat(next.load()).isEmpty();
    }
  }

  @Test
  void aLeftoverLockFileWithNoHolderDoesNotBlock() throws IOException {
    Files.writeString(dir.resolve("s.lock"), "pid 999999999\n");

    try (FileSession session = new FileSession("s", "a", dir)) {
      assertThat(session.load()).isEmpty();
      session.save(List.of(Message.user("hi")));
    }
  }

  @Test
  void lockHeldByAnotherProcessIsRefusedNamingItsPidAndReleasedWhenItCloses() throws Exception {
    try (ChildJvm child = ChildJvm.start(scratch, null, "hold", dir.toString(), "shared")) {
      child.awaitLine("locked", CHILD_TIMEOUT);
      FileSession session = new FileSession("shared", "parent", dir);

      assertThatThrownBy(session::load)
          .isInstanceOf(SessionException.class)
          .hasMessageContaining("session 'shared' is in use by another process")
          .hasMessageContaining("pid " + child.process().pid())
          .hasMessageContaining("lock file " + dir.resolve("shared.lock"));
      assertThat(session.exists()).isFalse();

      child.send("close");
      child.awaitLine("closed", CHILD_TIMEOUT);
      assertThat(child.process().isAlive()).isTrue();
      assertThat(session.load()).isEmpty();
      session.save(List.of(Message.user("parent owns it now")));
      session.close();
    }
  }

  @Test
  void lockOfAKilledProcessDoesNotBlock() throws Exception {
    try (ChildJvm child = ChildJvm.start(scratch, null, "hold", dir.toString(), "orphan")) {
      child.awaitLine("locked", CHILD_TIMEOUT);
      assertThatThrownBy(() -> new FileSession("orphan", "parent", dir).load())
          .isInstanceOf(SessionException.class);

      child.kill();
    }

    assertThat(dir.resolve("orphan.lock")).exists();
    try (FileSession session = new FileSession("orphan", "parent", dir)) {
      assertThat(session.load()).isEmpty();
      session.save(List.of(Message.user("mine")));
    }
  }
}
