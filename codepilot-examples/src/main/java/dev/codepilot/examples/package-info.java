/**
 * Runnable examples, one per topic of {@code docs/GUIDE.md}, each exercised by a test.
 *
 * <p>Not a library: read and copy them; they use only CodePilot's public API.
 */
package dev.codepilot.examples;
