package dev.codepilot.hooks;

import dev.codepilot.internal.TerminalText;
import java.io.PrintStream;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The observability system: every significant runtime event is {@linkplain #emit emitted} to
 * the handlers registered for its type, in registration order.
 *
 * <p>A new runtime starts with default handlers that print to the console, so a library user
 * sees what the agent does with no configuration. {@link #replaceDefault} (used by the
 * runtime's {@code onThink}, {@code onToolCall}, ... methods) drops the default for one type;
 * {@link #clear} drops every handler of a type. Thread-safe.
 *
 * <pre>{@code
 * runtime.hooks().register(EventType.FINISH, e -> save(((Event.Finish) e).summary()));
 * }</pre>
 */
public final class HookSystem {

  private record Registration(EventHandler handler, boolean isDefault) {
  }

  private final Map<EventType, List<Registration>> handlers = new EnumMap<>(EventType.class);
  /** By default on standard error, as one line: the failure may quote the model's text. */
  private volatile Consumer<String> errorReporter =
      text -> System.err.println(TerminalText.line(text));

  /** A hook system with no handlers; a runtime adds its console defaults to its own. */
  public HookSystem() {
    for (EventType type : EventType.values()) {
      handlers.put(type, new CopyOnWriteArrayList<>());
    }
  }

  /** Adds a handler for one event type, after those already registered. */
  public void register(EventType type, EventHandler handler) {
    handlers.get(Objects.requireNonNull(type, "type")).add(
        new Registration(Objects.requireNonNull(handler, "handler"), false));
  }

  /** Adds a handler that only observes events (its result is always null). */
  public void observe(EventType type, Consumer<? super Event> observer) {
    Objects.requireNonNull(observer, "observer");
    register(type, event -> {
      observer.accept(event);
      return null;
    });
  }

  /** Adds a default handler: one that {@link #replaceDefault} removes. */
  public void registerDefault(EventType type, EventHandler handler) {
    handlers.get(Objects.requireNonNull(type, "type")).add(
        new Registration(Objects.requireNonNull(handler, "handler"), true));
  }

  /** Removes the default handlers of a type, then adds {@code handler}. */
  public void replaceDefault(EventType type, EventHandler handler) {
    List<Registration> list = handlers.get(Objects.requireNonNull(type, "type"));
    list.removeIf(Registration::isDefault);
    list.add(new Registration(Objects.requireNonNull(handler, "handler"), false));
  }

  /** Removes every handler of one type, defaults included. */
  public void clear(EventType type) {
    handlers.get(Objects.requireNonNull(type, "type")).clear();
  }

  /** Removes every handler of every type. */
  public void clearAll() {
    handlers.values().forEach(List::clear);
  }

  /** True when at least one handler (default or not) is registered for the type. */
  public boolean hasHandlers(EventType type) {
    return !handlers.get(type).isEmpty();
  }

  /** Where failures of handlers are reported; standard error by default. */
  public void setErrorReporter(Consumer<String> reporter) {
    this.errorReporter = Objects.requireNonNull(reporter, "reporter");
  }

  /**
   * Delivers an event to every handler of its type, in registration order, and returns the
   * last non-null value a handler returned, or null. A handler that throws is reported and
   * skipped; the others still run.
   */
  public Object emit(Event event) {
    Object result = null;
    for (Registration registration : handlers.get(event.type())) {
      try {
        Object value = registration.handler().handle(event);
        if (value != null) {
          result = value;
        }
      } catch (RuntimeException | Error e) {
        if (e instanceof VirtualMachineError vme) {
          throw vme;
        }
        errorReporter.accept("codepilot: a " + event.type() + " handler failed: " + e);
      }
    }
    return result;
  }

  /** Registers the console handlers a new runtime starts with, printing to {@code out}. */
  public void registerConsoleDefaults(PrintStream out) {
    ConsoleHandlers.register(this, out);
  }

  /** Prints to an output stream for the console defaults. */
  static void print(PrintStream out, String line) {
    out.println(line);
    out.flush();
  }
}
