/**
 * The exceptions of CodePilot: {@link dev.codepilot.exception.CodePilotException}, the unchecked
 * root of every failure a user of the library may meet, and the subtypes that belong to no single
 * package.
 *
 * <p>The rule (CONTRIBUTING.md, "Exceptions"): every exception that can leave a CodePilot module
 * extends {@code CodePilotException} and is unchecked; there is one subtype per case a caller
 * handles differently, in the package of the feature it belongs to; contract violations by the
 * caller use the JDK's {@code IllegalArgumentException}, {@code NullPointerException} and {@code
 * IllegalStateException}. Checked exceptions are kept for signals that never leave their module,
 * where the compiler should make the next line handle them.
 *
 * <p>Public API. It depends on no other CodePilot package, so every layer may use it.
 */
package dev.codepilot.exception;
