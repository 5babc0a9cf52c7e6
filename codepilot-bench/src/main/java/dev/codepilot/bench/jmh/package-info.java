/**
 * JMH micro-benchmarks of the parser, the system prompt, the sandbox, request bodies and session
 * saving.
 *
 * <p>Not a library. They measure core internals (the loop and the sandbox) directly, which only
 * benchmarks may do.
 */
package dev.codepilot.bench.jmh;
