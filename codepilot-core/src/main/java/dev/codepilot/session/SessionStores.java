package dev.codepilot.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;

/** Finds the {@link SessionStoreProvider} for a store URL on the class path and opens it. */
public final class SessionStores {

  private SessionStores() {}

  /**
   * Opens the session store at {@code url}.
   *
   * @param user the user name, or null for the one in the URL (if any)
   * @param password the password, or null for the one in the URL (if any)
   * @throws IllegalArgumentException when no provider on the class path accepts the URL
   * @throws SessionException when the store cannot be reached or prepared
   */
  public static SessionStore open(String url, String user, String password) {
    Objects.requireNonNull(url, "url");
    List<String> kinds = new ArrayList<>();
    for (SessionStoreProvider provider :
        ServiceLoader.load(SessionStoreProvider.class, SessionStores.class.getClassLoader())) {
      if (provider.accepts(url)) {
        return provider.open(url, user, password);
      }
      kinds.add(provider.getClass().getSimpleName());
    }
    String scheme = url.contains("//") ? url.substring(0, url.indexOf("//")) : url;
    throw new IllegalArgumentException(
        "no session store on the class path accepts '"
            + scheme
            + "...'"
            + (kinds.isEmpty() ? "" : " (found " + String.join(", ", kinds) + ")")
            + "; for PostgreSQL use a jdbc:postgresql://host/db URL and put codepilot-postgres on the"
            + " class path");
  }
}
