package dev.codepilot.hooks;

/**
 * A handler's registration, returned by {@link HookSystem#on}: cancel it to stop receiving events.
 * Cancelling twice, or after the handler was cleared, does nothing.
 *
 * <pre>{@code
 * try (Subscription watching = runtime.hooks().on(Event.ToolCall.class, call -> log(call))) {
 *   runtime.run(task);
 * }
 * }</pre>
 */
@FunctionalInterface
public interface Subscription extends AutoCloseable {

  /** Removes the handler; events fired after this returns no longer reach it. */
  void cancel();

  /** The same as {@link #cancel()}, so that a subscription fits try-with-resources. */
  @Override
  default void close() {
    cancel();
  }
}
