package dev.codepilot.testing;

import dev.codepilot.hooks.Event;
import dev.codepilot.hooks.EventType;
import dev.codepilot.hooks.HookSystem;
import java.util.ArrayList;
import java.util.List;

/** Records every event a runtime fires, in order. */
public final class EventLog {

  private final List<Event> events = new ArrayList<>();

  public static EventLog attach(HookSystem hooks) {
    EventLog log = new EventLog();
    for (EventType type : EventType.values()) {
      hooks.observe(type, log::add);
    }
    return log;
  }

  private synchronized void add(Event event) {
    events.add(event);
  }

  public synchronized List<Event> events() {
    return List.copyOf(events);
  }

  public synchronized List<EventType> types() {
    return events.stream().map(Event::type).toList();
  }

  public synchronized <E extends Event> List<E> of(Class<E> kind) {
    return events.stream().filter(kind::isInstance).map(kind::cast).toList();
  }

  public synchronized void clear() {
    events.clear();
  }
}
