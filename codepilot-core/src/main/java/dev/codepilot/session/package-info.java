/**
 * Sessions: where a runtime keeps its history (in memory or in durable files), how stored sessions
 * are listed, and {@link dev.codepilot.session.Transcript}, a typed read-only view of a history.
 *
 * <p>Public API: {@link dev.codepilot.session.Session}, {@link dev.codepilot.session.Sessions},
 * {@code Transcript} and the listing types. The file format and locking helpers are
 * package-private.
 */
package dev.codepilot.session;
