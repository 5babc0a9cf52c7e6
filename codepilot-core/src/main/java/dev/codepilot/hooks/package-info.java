/**
 * Hooks and events: the sealed {@link dev.codepilot.hooks.Event} records a runtime fires, the
 * {@link dev.codepilot.hooks.HookSystem} that delivers them, and their JSON form.
 *
 * <p>Public API. The console handlers a runtime starts with are package-private.
 */
package dev.codepilot.hooks;
