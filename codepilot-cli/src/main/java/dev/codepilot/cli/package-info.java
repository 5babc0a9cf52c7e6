/**
 * The {@code codepilot} command: {@code run}, {@code chat}, {@code sessions}, {@code init}, {@code
 * serve}, {@code eval} and {@code doctor}, with console and JSON Lines rendering of events.
 *
 * <p>An application, not a library: only {@link dev.codepilot.cli.Main} is public. It uses the
 * public API of {@code codepilot-core} (and its {@code internal} helpers).
 */
package dev.codepilot.cli;
