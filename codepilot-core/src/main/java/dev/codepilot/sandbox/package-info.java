/**
 * The Python sandbox: the shared GraalPy engine, one locked-down context per runtime, the AST
 * policy check, the execution watchdog and the memory guard.
 *
 * <p>Internal to {@code codepilot-core}: types are public only for the loop and the runtime.
 * Other modules must not use this package; {@link dev.codepilot.CodePilot#prewarm()} starts
 * the engine early.
 */
package dev.codepilot.sandbox;
