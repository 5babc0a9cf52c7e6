/**
 * Sessions kept in PostgreSQL, found through {@link java.util.ServiceLoader} as the session store
 * for {@code jdbc:postgresql:} URLs.
 */
// The JDBC driver has an Automatic-Module-Name; Flyway has none, so its module name is derived
// from the jar's name (flyway-core-X.jar: flyway.core).
@SuppressWarnings("requires-automatic")
module dev.codepilot.postgres {
  requires transitive dev.codepilot;
  requires transitive java.sql;
  requires java.logging;
  requires com.zaxxer.hikari;
  requires flyway.core;
  requires org.postgresql.jdbc;

  exports dev.codepilot.postgres;

  // Flyway reads the SQL migrations (resources in this package) through its class loader.
  opens dev.codepilot.postgres.migration;

  provides dev.codepilot.session.SessionStoreProvider with
      dev.codepilot.postgres.PostgresSessionStoreProvider;
}
