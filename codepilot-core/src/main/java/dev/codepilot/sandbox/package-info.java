/**
 * The Python sandbox: the shared GraalPy engine, one locked-down context per runtime, the AST
 * policy check, the execution watchdog and the memory guard.
 *
 * <p>The classes, one job each:
 *
 * <ul>
 *   <li>{@link dev.codepilot.sandbox.PythonSandbox}: runs a runtime's blocks and decides what
 *       happens to the interpreter when one fails (the entry point);
 *   <li>{@code SandboxThread}: the one thread all work on a sandbox's context runs on;
 *   <li>{@code BlockContext}: one interpreter that runs blocks, with the bootstrap files in it;
 *   <li>{@link dev.codepilot.sandbox.ContextPool}: interpreters bootstrapped ahead of need, when a
 *       long-lived host asks for them;
 *   <li>{@code IdleRelease}: when an unused sandbox gives its interpreter up;
 *   <li>{@code ToolBridge}: the host functions a block's interpreter calls (tools, results, the
 *       policy's questions);
 *   <li>{@code BlockValues}: the plain data crossing that bridge;
 *   <li>{@code BlockResults}: the wording of results the block's own code did not decide;
 *   <li>{@code PolicyChecker}: the AST policy, in checker contexts of its own;
 *   <li>{@code LockedContexts}, {@code NoFileSystem}, {@code SandboxEngine}: the wall, that is the
 *       settings every context is built with;
 *   <li>{@code ExecutionClock}, {@code BlockGate}, {@link dev.codepilot.sandbox.MemoryGuard}: a
 *       block's time limit, its turn for the cores, and the shared heap.
 * </ul>
 *
 * <p>The Python side is in this package's resources. {@code policy.py} is the AST policy, run only
 * in checker contexts. A context that runs blocks evaluates, in order: {@code guards.py}
 * (everything that keeps a block inside its interpreter at run time: checked compile, eval and
 * exec, attribute and import guards, module views, shadowed and replaced built-ins; the only
 * security-relevant file besides the policy), {@code output.py} (what a block prints), {@code
 * tracebacks.py} (how its errors read), {@code toolcalls.py} (the tool functions and the
 * marshalling of their arguments and replies) and {@code bootstrap.py} (the entry points).
 *
 * <p>Internal to {@code codepilot-core}: types are public only for the loop and the runtime. Other
 * modules must not use this package; {@link dev.codepilot.CodePilot#prewarm()} starts the engine
 * early.
 */
package dev.codepilot.sandbox;
