package dev.codepilot.postgres;

import dev.codepilot.session.SessionStore;
import dev.codepilot.session.SessionStoreProvider;

/** Opens {@link PostgresSessionStore}s for {@code jdbc:postgresql:} URLs. */
public final class PostgresSessionStoreProvider implements SessionStoreProvider {

  /** The provider {@link java.util.ServiceLoader} creates. */
  public PostgresSessionStoreProvider() {}

  @Override
  public boolean accepts(String url) {
    return url.startsWith(PostgresSessionStore.URL_PREFIX);
  }

  @Override
  public SessionStore open(String url, String user, String password) {
    return PostgresSessionStore.open(url, user, password);
  }
}
