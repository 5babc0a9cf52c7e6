package dev.codepilot.config;

import java.util.Objects;
import java.util.Optional;

/**
 * The agent file's optional {@code session:} section: where the agent's sessions are kept.
 *
 * <pre>{@code
 * session:
 *   backend: postgres
 *   url: "jdbc:postgresql://db.internal/codepilot"
 *   user: codepilot
 *   password: ${CODEPILOT_DB_PASSWORD}
 * }</pre>
 *
 * @param backend {@code memory}, {@code file} or {@code postgres}
 * @param url the store's URL; empty unless {@code backend} is {@code postgres}
 * @param user the database user, when not in the URL
 * @param password the password, already taken from the environment variable the file names
 */
public record SessionConfig(
    String backend, String url, Optional<String> user, Optional<String> password) {

  /** Checks that no component is null. */
  public SessionConfig {
    Objects.requireNonNull(backend, "backend");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
  }

  /** Never shows the password: configurations end up in logs. */
  @Override
  public String toString() {
    return "SessionConfig[backend="
        + backend
        + ", url="
        + url
        + ", user="
        + user.orElse("")
        + ", password="
        + (password.isPresent() ? "***" : "")
        + "]";
  }
}
