package dev.codepilot.session;

/**
 * Opens {@link SessionStore}s of one kind. Implementations are registered for {@link
 * java.util.ServiceLoader} in {@code META-INF/services/dev.codepilot.session.SessionStoreProvider};
 * {@code codepilot-postgres} provides one for {@code jdbc:postgresql:} URLs.
 */
public interface SessionStoreProvider {

  /** Whether this provider opens stores at {@code url}, e.g. one starting "jdbc:postgresql:". */
  boolean accepts(String url);

  /**
   * Opens (and creates or migrates, when needed) the store at {@code url}.
   *
   * @param url where the store is; it may carry credentials
   * @param user the user name, or null to take it from the URL
   * @param password the password, or null to take it from the URL
   * @throws SessionException when the store cannot be reached or prepared; the message says which
   *     store and why, without the password
   */
  SessionStore open(String url, String user, String password);
}
