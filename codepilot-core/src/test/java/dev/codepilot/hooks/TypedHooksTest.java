package dev.codepilot.hooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Subscribing to events by their record class, and unsubscribing. */
class TypedHooksTest {

  private final HookSystem hooks = new HookSystem();

  @Test
  void aHandlerReceivesOnlyTheEventsOfItsClassAsThatClass() {
    List<String> tools = new CopyOnWriteArrayList<>();
    hooks.on(Event.ToolCall.class, call -> tools.add(call.tool() + call.args()));

    hooks.emit(new Event.Think("hmm"));
    hooks.emit(new Event.ToolCall("read_file", Map.of("path", "a.txt")));
    hooks.emit(new Event.ToolResult("read_file", "text"));

    assertThat(tools).containsExactly("read_file{path=a.txt}");
  }

  @Test
  void theEventInterfaceSubscribesToEveryTypeInOrder() {
    List<EventType> seen = new CopyOnWriteArrayList<>();
    hooks.on(Event.class, event -> seen.add(event.type()));

    hooks.emit(new Event.Start("task"));
    hooks.emit(new Event.Step(1, 3));
    hooks.emit(new Event.MaxSteps());

    assertThat(seen).containsExactly(EventType.START, EventType.STEP, EventType.MAX_STEPS);
  }

  @Test
  void cancellingASubscriptionStopsOnlyThatOne() {
    List<String> seen = new CopyOnWriteArrayList<>();
    Subscription first = hooks.on(Event.Finish.class, f -> seen.add("first " + f.summary()));
    try (Subscription second = hooks.on(Event.Finish.class, f -> seen.add("second"))) {
      hooks.emit(new Event.Finish("one"));
      first.cancel();
      first.cancel(); // twice does nothing
      hooks.emit(new Event.Finish("two"));
    }
    hooks.emit(new Event.Finish("three"));

    assertThat(seen).containsExactly("first one", "second", "second");
    assertThat(hooks.hasHandlers(EventType.FINISH)).isFalse();
  }

  @Test
  void theSameHandlerSubscribedTwiceIsCancelledOnceAtATime() {
    List<String> seen = new CopyOnWriteArrayList<>();
    java.util.function.Consumer<Event.Think> handler = t -> seen.add(t.message());
    Subscription a = hooks.on(Event.Think.class, handler);
    hooks.on(Event.Think.class, handler);
    a.cancel();

    hooks.emit(new Event.Think("x"));

    assertThat(seen).containsExactly("x");
  }

  @Test
  void cancellingAnEveryTypeSubscriptionRemovesItFromEveryType() {
    Subscription all = hooks.on(Event.class, event -> {});
    for (EventType type : EventType.values()) {
      assertThat(hooks.hasHandlers(type)).as(type.name()).isTrue();
    }
    all.cancel();
    for (EventType type : EventType.values()) {
      assertThat(hooks.hasHandlers(type)).as(type.name()).isFalse();
    }
  }

  @Test
  void replaceDefaultDropsTheConsolesHandlerOfThatClassOnly() {
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    hooks.registerConsoleDefaults(new PrintStream(console, true, StandardCharsets.UTF_8));
    List<String> mine = new CopyOnWriteArrayList<>();
    hooks.replaceDefault(Event.Think.class, think -> mine.add(think.message()));

    hooks.emit(new Event.Think("quiet"));
    hooks.emit(new Event.Finish("printed"));

    assertThat(mine).containsExactly("quiet");
    assertThat(console.toString(StandardCharsets.UTF_8))
        .doesNotContain("quiet")
        .contains("✅ Done: printed");
  }

  @Test
  void aFailingHandlerIsReportedAndTheOthersStillRun() {
    List<String> reported = new CopyOnWriteArrayList<>();
    List<String> seen = new CopyOnWriteArrayList<>();
    hooks.setErrorReporter(reported::add);
    hooks.on(
        Event.Think.class,
        think -> {
          throw new IllegalStateException("broken");
        });
    hooks.on(Event.Think.class, think -> seen.add(think.message()));

    hooks.emit(new Event.Think("still"));

    assertThat(seen).containsExactly("still");
    assertThat(reported).singleElement().asString().contains("THINK").contains("broken");
  }

  @Test
  void everyEventTypeNamesItsRecordClassAndBack() {
    for (EventType type : EventType.values()) {
      assertThat(EventType.of(type.eventClass())).isEqualTo(type);
      assertThat(
              type.eventClass()
                  .getSimpleName()
                  .replaceAll("([a-z])([A-Z])", "$1_$2")
                  .toUpperCase(java.util.Locale.ROOT))
          .isEqualTo(type.name());
    }
    assertThat(Event.class.getPermittedSubclasses()).hasSize(EventType.values().length);
    assertThatThrownBy(() -> EventType.of(Event.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Event.ToolCall");
  }
}
