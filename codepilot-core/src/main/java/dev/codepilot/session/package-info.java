/**
 * Sessions: where a runtime keeps its history (in memory or in durable files) and how stored
 * sessions are listed.
 *
 * <p>Public API: {@link dev.codepilot.session.Session}, {@link dev.codepilot.session.Sessions} and
 * the listing types. The file format and locking helpers are package-private.
 */
package dev.codepilot.session;
