/**
 * Sessions kept in PostgreSQL ({@link dev.codepilot.postgres.PostgresSessionStore}), so that
 * several processes and machines share them: one writer per session through an advisory lock,
 * messages appended as rows per step, the schema created and migrated by Flyway on first use.
 */
package dev.codepilot.postgres;
