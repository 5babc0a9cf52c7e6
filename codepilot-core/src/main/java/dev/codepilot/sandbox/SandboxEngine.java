package dev.codepilot.sandbox;

import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.SandboxPolicy;

/**
 * The one GraalPy {@link Engine} of this JVM, shared by every runtime's context so that language
 * initialisation and parsed code are paid for once. Created on first use, or early with {@link
 * #prewarm()}.
 */
public final class SandboxEngine {

  private static volatile CompletableFuture<Engine> engine;

  private SandboxEngine() {}

  /** Starts creating the engine in the background, if nobody has yet. */
  public static void prewarm() {
    future();
  }

  /** The shared engine, waiting for it if it is still being created. */
  static Engine get() {
    return future().join();
  }

  private static CompletableFuture<Engine> future() {
    CompletableFuture<Engine> current = engine;
    if (current == null) {
      synchronized (SandboxEngine.class) {
        current = engine;
        if (current == null) {
          current =
              CompletableFuture.supplyAsync(
                  SandboxEngine::create,
                  runnable ->
                      Thread.ofPlatform().daemon().name("codepilot-engine").start(runnable));
          engine = current;
        }
      }
    }
    return current;
  }

  private static Engine create() {
    return Engine.newBuilder("python")
        .sandbox(SandboxPolicy.CONSTRAINED)
        .option("engine.WarnInterpreterOnly", "false")
        .out(OutputStream.nullOutputStream())
        .err(OutputStream.nullOutputStream())
        .build();
  }
}
