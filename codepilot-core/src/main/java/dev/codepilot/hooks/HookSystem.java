package dev.codepilot.hooks;

import dev.codepilot.internal.TerminalText;
import java.io.PrintStream;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The observability system: every significant runtime event is {@linkplain #emit emitted} to the
 * handlers subscribed to its type, in subscription order; and the one {@link PermissionGate} that
 * decides permission requests.
 *
 * <pre>{@code
 * runtime.hooks().on(Event.Finish.class, finish -> save(finish.summary()));
 * Subscription calls = runtime.hooks().on(Event.ToolCall.class, call -> log(call.tool()));
 * calls.cancel();                                  // stop receiving them
 * runtime.hooks().on(Event.class, event -> trace(event));   // every type
 * }</pre>
 *
 * <p>A runtime with console output starts with default handlers that print to the console, and the
 * console's {@code y/N} prompt as its gate. {@link #replaceDefault(Class, Consumer)} (used by the
 * runtime's {@code onThink}, {@code onToolCall}, ... methods) drops the defaults of one type;
 * {@link #clear} drops every handler of a type. Thread-safe.
 */
public final class HookSystem {

  private static final System.Logger LOG = System.getLogger(HookSystem.class.getName());

  /** What a registration runs; the value only matters to the deprecated decision path. */
  @FunctionalInterface
  private interface Handler {
    Object handle(Event event);
  }

  /** One handler in one type's list, removed by identity (a handler may be added twice). */
  private static final class Registration {
    private final Handler handler;
    private final boolean isDefault;

    Registration(Handler handler, boolean isDefault) {
      this.handler = handler;
      this.isDefault = isDefault;
    }
  }

  private final Map<EventType, List<Registration>> handlers = new EnumMap<>(EventType.class);

  /** By default logged as one line: the failure may quote the model's text. */
  private volatile Consumer<String> errorReporter =
      text -> LOG.log(System.Logger.Level.WARNING, TerminalText.line(text));

  private PermissionGate gate;
  private final List<RunObserver> observers = new CopyOnWriteArrayList<>();

  /** All observers as one, or {@link RunObserver#NONE} while there are none. */
  private volatile RunObserver observer = RunObserver.NONE;

  /** True when {@link #gate} is the console's, which {@link #replaceDefault} drops. */
  private boolean gateIsDefault;

  /** A hook system with no handlers and no gate; a runtime adds its console defaults. */
  public HookSystem() {
    for (EventType type : EventType.values()) {
      handlers.put(type, new CopyOnWriteArrayList<>());
    }
  }

  /**
   * Subscribes a handler to the events of one record class, after those already subscribed; {@code
   * Event.class} subscribes it to every type.
   *
   * @return the subscription; {@link Subscription#cancel() cancel} it to unsubscribe
   */
  public <E extends Event> Subscription on(Class<E> type, Consumer<? super E> handler) {
    return add(type, handler, false);
  }

  /**
   * Removes the default (console) handlers of one event class, then subscribes {@code handler}. For
   * {@code Event.PermissionRequest.class} the console's prompt, when it is the gate, is removed
   * too.
   */
  public <E extends Event> Subscription replaceDefault(Class<E> type, Consumer<? super E> handler) {
    for (EventType each : typesOf(type)) {
      dropDefaults(each);
    }
    return add(type, handler, false);
  }

  /** Adds a default handler: one that {@link #replaceDefault} removes. */
  <E extends Event> void registerDefault(Class<E> type, Consumer<? super E> handler) {
    add(type, handler, true);
  }

  /**
   * Adds a handler for one event type, after those already registered.
   *
   * @deprecated use {@link #on(Class, Consumer)}, which is typed; decide permission requests with a
   *     {@link PermissionGate} instead of a handler's return value
   */
  @Deprecated(since = "0.1.0")
  public void register(EventType type, EventHandler handler) {
    Objects.requireNonNull(handler, "handler");
    handlers
        .get(Objects.requireNonNull(type, "type"))
        .add(new Registration(handler::handle, false));
  }

  /** Adds a handler that only observes events of one type. */
  public void observe(EventType type, Consumer<? super Event> observer) {
    Objects.requireNonNull(observer, "observer");
    handlers
        .get(Objects.requireNonNull(type, "type"))
        .add(
            new Registration(
                event -> {
                  observer.accept(event);
                  return null;
                },
                false));
  }

  /**
   * Adds a default handler: one that {@link #replaceDefault} removes.
   *
   * @deprecated defaults are the console's; subscribe with {@link #on(Class, Consumer)}
   */
  @Deprecated(since = "0.1.0")
  public void registerDefault(EventType type, EventHandler handler) {
    Objects.requireNonNull(handler, "handler");
    handlers.get(Objects.requireNonNull(type, "type")).add(new Registration(handler::handle, true));
  }

  /**
   * Removes the default handlers of a type, then adds {@code handler}.
   *
   * @deprecated use {@link #replaceDefault(Class, Consumer)}, which is typed
   */
  @Deprecated(since = "0.1.0")
  public void replaceDefault(EventType type, EventHandler handler) {
    Objects.requireNonNull(handler, "handler");
    dropDefaults(Objects.requireNonNull(type, "type"));
    handlers.get(type).add(new Registration(handler::handle, false));
  }

  /**
   * Removes every handler of one type, defaults included. For {@code PERMISSION_REQUEST} the gate
   * is removed too, so that every request is denied until a new gate is set.
   */
  public void clear(EventType type) {
    handlers.get(Objects.requireNonNull(type, "type")).clear();
    if (type == EventType.PERMISSION_REQUEST) {
      setGate(null, false);
    }
  }

  /** Removes every handler of every type, and the gate; run observers stay. */
  public void clearAll() {
    handlers.values().forEach(List::clear);
    setGate(null, false);
  }

  /** True when at least one handler (default or not) is registered for the type. */
  public boolean hasHandlers(EventType type) {
    return !handlers.get(type).isEmpty();
  }

  /**
   * Adds an observer that follows every run part by part (see {@link RunObserver}), after those
   * already added. It hears of runs that start after it was added.
   *
   * @return the subscription; {@link Subscription#cancel() cancel} it to remove the observer
   */
  public Subscription addObserver(RunObserver runObserver) {
    Objects.requireNonNull(runObserver, "runObserver");
    synchronized (observers) {
      observers.add(runObserver);
      observer = new Observers(observers, text -> errorReporter.accept(text));
    }
    java.util.concurrent.atomic.AtomicBoolean cancelled =
        new java.util.concurrent.atomic.AtomicBoolean();
    return () -> {
      if (cancelled.compareAndSet(false, true)) {
        synchronized (observers) {
          observers.remove(runObserver);
          observer =
              observers.isEmpty()
                  ? RunObserver.NONE
                  : new Observers(observers, text -> errorReporter.accept(text));
        }
      }
    };
  }

  /**
   * The observers as one: each call reaches every observer added, in order, and an observer that
   * throws is reported, not passed on. {@link RunObserver#NONE} while there are none, so that a
   * runtime can skip what only observers need.
   */
  public RunObserver observer() {
    return observer;
  }

  /**
   * Where failures of handlers, observers and the gate are reported, as one sentence each (such as
   * {@code a THINK handler failed: ...}). By default they are logged at {@code WARNING} to the
   * logger {@code dev.codepilot.hooks.HookSystem}, which the {@code codepilot} command shows on
   * standard error.
   */
  public void setErrorReporter(Consumer<String> reporter) {
    this.errorReporter = Objects.requireNonNull(reporter, "reporter");
  }

  /** Sets who decides permission requests, replacing the gate there was; null removes it. */
  public void setPermissionGate(PermissionGate permissionGate) {
    setGate(permissionGate, false);
  }

  /** The gate that decides permission requests; empty when every request is denied. */
  public synchronized Optional<PermissionGate> permissionGate() {
    return Optional.ofNullable(gate);
  }

  /**
   * Asks whether a tool may run: fires the request to the handlers of {@code PERMISSION_REQUEST},
   * then lets the gate decide. Denied when there is no gate or the gate throws. A handler
   * registered through the deprecated {@link EventHandler} path that returns a value still decides,
   * before the gate: only {@code Boolean.TRUE} approves.
   */
  public boolean requestPermission(Event.PermissionRequest request) {
    Objects.requireNonNull(request, "request");
    Object legacy = emit(request);
    if (legacy != null) {
      return Boolean.TRUE.equals(legacy);
    }
    PermissionGate decider = permissionGate().orElse(null);
    if (decider == null) {
      return false;
    }
    try {
      return decider.allow(request);
    } catch (RuntimeException | Error e) {
      if (e instanceof VirtualMachineError vme) {
        throw vme;
      }
      errorReporter.accept("the permission gate failed: " + e);
      return false;
    }
  }

  /**
   * Delivers an event to every handler of its type, in registration order. A handler that throws is
   * reported and skipped; the others still run.
   *
   * @return the last non-null value a handler of the deprecated {@link EventHandler} path returned,
   *     or null; typed handlers return nothing
   */
  public Object emit(Event event) {
    Object result = null;
    for (Registration registration : handlers.get(event.type())) {
      try {
        Object value = registration.handler.handle(event);
        if (value != null) {
          result = value;
        }
      } catch (RuntimeException | Error e) {
        if (e instanceof VirtualMachineError vme) {
          throw vme;
        }
        errorReporter.accept("a " + event.type() + " handler failed: " + e);
      }
    }
    return result;
  }

  /**
   * Registers the console handlers a new runtime starts with, printing to {@code out}, and the
   * console's {@code y/N} prompt as the gate (it denies when there is no terminal to ask).
   */
  public void registerConsoleDefaults(PrintStream out) {
    ConsoleHandlers.register(this, out);
    setGate(ConsoleHandlers.prompt(out), true);
  }

  /** Prints to an output stream for the console defaults. */
  static void print(PrintStream out, String line) {
    out.println(line);
    out.flush();
  }

  private <E extends Event> Subscription add(
      Class<E> type, Consumer<? super E> handler, boolean isDefault) {
    Objects.requireNonNull(handler, "handler");
    List<EventType> types = typesOf(type);
    Registration registration =
        new Registration(
            event -> {
              handler.accept(type.cast(event));
              return null;
            },
            isDefault);
    for (EventType each : types) {
      handlers.get(each).add(registration);
    }
    return () -> {
      for (EventType each : types) {
        handlers.get(each).removeIf(r -> r == registration);
      }
    };
  }

  private static List<EventType> typesOf(Class<? extends Event> type) {
    Objects.requireNonNull(type, "type");
    return type == Event.class ? List.of(EventType.values()) : List.of(EventType.of(type));
  }

  private void dropDefaults(EventType type) {
    handlers.get(type).removeIf(r -> r.isDefault);
    if (type == EventType.PERMISSION_REQUEST) {
      synchronized (this) {
        if (gateIsDefault) {
          setGate(null, false);
        }
      }
    }
  }

  private synchronized void setGate(PermissionGate permissionGate, boolean isDefault) {
    this.gate = permissionGate;
    this.gateIsDefault = permissionGate != null && isDefault;
  }
}
