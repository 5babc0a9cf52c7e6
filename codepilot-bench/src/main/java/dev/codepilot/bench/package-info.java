/**
 * End-to-end benchmark harnesses behind {@code docs/BENCHMARKS.md}: cold start, step and command
 * overhead, context growth and load, with the fake servers and models they drive.
 *
 * <p>Not a library: tools for measuring CodePilot, not part of its API.
 */
package dev.codepilot.bench;
