/**
 * Small helpers shared by CodePilot's own modules: JSON, terminal-safe text, directory handles.
 *
 * <p>Internal: public only so that the project's other modules (CLI, server, providers) can use
 * them. Not part of the API; they may change in any release without notice.
 */
package dev.codepilot.internal;
