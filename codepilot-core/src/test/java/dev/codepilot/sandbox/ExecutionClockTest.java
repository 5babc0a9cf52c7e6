package dev.codepilot.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The watchdog's clock counts time in Python only, whatever the pauses, and rings once. */
class ExecutionClockTest {

  @Test
  void timeInToolsIsNotCountedButTheBudgetStillRunsOut() throws Exception {
    AtomicInteger alarms = new AtomicInteger();
    ExecutionClock clock = new ExecutionClock(Duration.ofMillis(1000), alarms::incrementAndGet);
    clock.start();
    Thread.sleep(100);
    // A long tool call: well past the budget, none of it counted.
    clock.pause();
    Thread.sleep(2500);
    clock.resume();
    assertThat(clock.expired()).isFalse();
    assertThat(alarms).hasValue(0);
    // Several short tool calls, then the rest of the budget in Python.
    for (int i = 0; i < 5; i++) {
      clock.pause();
      clock.resume();
    }
    await().atMost(Duration.ofSeconds(10)).until(clock::expired);
    await().atMost(Duration.ofSeconds(10)).until(() -> alarms.get() == 1);
    Thread.sleep(400);
    assertThat(alarms).hasValue(1);
  }

  @Test
  void aClockPausedWhenItsTimerComesDueRingsOnlyAfterItResumes() throws Exception {
    AtomicInteger alarms = new AtomicInteger();
    ExecutionClock clock = new ExecutionClock(Duration.ofMillis(800), alarms::incrementAndGet);
    clock.start();
    Thread.sleep(200);
    clock.pause();
    // The timer set at the start comes due now, while the block is in a tool.
    Thread.sleep(1500);
    assertThat(clock.expired()).isFalse();
    assertThat(alarms).hasValue(0);
    clock.resume();
    await().atMost(Duration.ofSeconds(10)).until(() -> alarms.get() == 1);
    assertThat(clock.expired()).isTrue();
  }

  @Test
  void aStoppedClockNeverRings() throws Exception {
    AtomicInteger alarms = new AtomicInteger();
    ExecutionClock clock = new ExecutionClock(Duration.ofMillis(100), alarms::incrementAndGet);
    clock.start();
    clock.pause();
    clock.resume();
    clock.stop();
    Thread.sleep(500);
    assertThat(clock.expired()).isFalse();
    assertThat(alarms).hasValue(0);
  }
}
