package dev.codepilot.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.codepilot.AgentRuntime;
import dev.codepilot.RunResult;
import dev.codepilot.testing.QueueModel;
import dev.codepilot.testing.TestAgents;
import dev.codepilot.tools.Tools;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockGateTest {

  private static final Duration LONG = Duration.ofSeconds(30);

  @Test
  void blocksBeyondThePlacesWaitAndGoInTheOrderTheyCame() throws Exception {
    BlockGate gate = new BlockGate(1, LONG, LONG);
    BlockGate.Admission first = gate.enter();
    List<String> order = new CopyOnWriteArrayList<>();
    CountDownLatch done = new CountDownLatch(3);
    List<String> names = List.of("a", "b", "c");
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      int queued = i + 1;
      Thread.ofPlatform()
          .start(
              () -> {
                try (BlockGate.Admission admission = gate.enter()) {
                  order.add(name + (admission.admitted() ? "" : " outside"));
                }
                done.countDown();
              });
      // Each waiter queues before the next starts.
      waitUntil(() -> queueLength(gate) == queued);
    }
    assertThat(order).isEmpty();

    first.close();
    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(order).containsExactly("a", "b", "c");
    assertThat(gate.available()).isEqualTo(1);
  }

  @Test
  void aBlockHoldingItsPlacePastTheLeaseLosesItToAWaiter() throws Exception {
    BlockGate gate = new BlockGate(1, Duration.ofMillis(100), LONG);
    BlockGate.Admission slow = gate.enter();

    long start = System.nanoTime();
    BlockGate.Admission next = gate.enter();
    long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertThat(next.admitted()).isTrue();
    assertThat(waited).isBetween(90L, 5_000L);
    // The revoked block finishing later gives nothing back twice.
    slow.close();
    assertThat(gate.available()).isZero();
    next.close();
    next.close();
    assertThat(gate.available()).isEqualTo(1);
  }

  @Test
  void noBlockWaitsLongerThanTheLongestWaitItThenRunsOutsideTheGate() {
    BlockGate gate = new BlockGate(1, LONG, Duration.ofMillis(150));
    try (BlockGate.Admission holder = gate.enter()) {
      long start = System.nanoTime();
      BlockGate.Admission late = gate.enter();
      long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

      assertThat(late.admitted()).isFalse();
      assertThat(waited).isBetween(140L, 5_000L);
      late.close();
      assertThat(gate.available()).isZero();
    }
    assertThat(gate.available()).isEqualTo(1);
  }

  @Test
  void anInterruptedWaiterRunsOutsideTheGateAndKeepsItsInterrupt() throws Exception {
    BlockGate gate = new BlockGate(1, LONG, LONG);
    try (BlockGate.Admission holder = gate.enter()) {
      CountDownLatch entered = new CountDownLatch(1);
      boolean[] seen = new boolean[2];
      Thread waiter =
          Thread.ofPlatform()
              .start(
                  () -> {
                    BlockGate.Admission admission = gate.enter();
                    seen[0] = admission.admitted();
                    seen[1] = Thread.currentThread().isInterrupted();
                    entered.countDown();
                  });
      waitUntil(() -> queueLength(gate) == 1);
      waiter.interrupt();
      assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(seen[0]).isFalse();
      assertThat(seen[1]).isTrue();
    }
  }

  @Test
  void blocksWaitingInSlowToolsOnEveryCoreDoNotHoldUpAnotherRuntimesBlock(@TempDir Path dir)
      throws Exception {
    int busy = Runtime.getRuntime().availableProcessors() + 1;
    CountDownLatch inTool = new CountDownLatch(busy);
    CountDownLatch release = new CountDownLatch(1);
    List<AgentRuntime> runtimes = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    try {
      for (int i = 0; i < busy; i++) {
        AgentRuntime runtime =
            AgentRuntime.builder(TestAgents.config(dir))
                .model(
                    new QueueModel()
                        .reply(TestAgents.block("wait_for_it()"), TestAgents.block("done()")))
                .consoleOutput(false)
                .build();
        runtime.registerTool(
            Tools.builder("wait_for_it")
                .description("Wait.")
                .handler(
                    call -> {
                      inTool.countDown();
                      return release.await(30, TimeUnit.SECONDS);
                    })
                .build());
        runtimes.add(runtime);
        threads.add(Thread.ofPlatform().start(() -> runtime.run("wait")));
      }
      // More blocks than cores are in their tools at once: each took a place from a block whose
      // lease ran out while it waited.
      assertThat(inTool.await(10, TimeUnit.SECONDS)).isTrue();

      AgentRuntime quick =
          AgentRuntime.builder(TestAgents.config(dir))
              .model(
                  new QueueModel()
                      .reply(TestAgents.block("print(6 * 7)"), TestAgents.block("done()")))
              .consoleOutput(false)
              .build();
      runtimes.add(quick);
      RunResult result = quick.run("compute");

      // The tools still wait (for 30 s): the quick runtime's blocks got past the gate on their own.
      assertThat(result.duration()).isLessThan(Duration.ofSeconds(10));
      assertThat(result.outcome()).isEqualTo(RunResult.Outcome.FINISHED);
      assertThat(quick.messages().get(2).content()).contains("42");
    } finally {
      release.countDown();
      for (Thread thread : threads) {
        thread.join(30_000);
      }
      runtimes.forEach(AgentRuntime::close);
    }
  }

  private static int queueLength(BlockGate gate) {
    return gate.waiting();
  }

  private static void waitUntil(java.util.function.BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out");
      }
      Thread.sleep(5);
    }
  }
}
