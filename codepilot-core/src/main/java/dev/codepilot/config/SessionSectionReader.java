package dev.codepilot.config;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads the agent file's {@code session:} section: the backend, and for PostgreSQL the URL and
 * credentials, with {@code ${NAME}} in the password taken from the environment.
 */
final class SessionSectionReader {

  static final List<String> SESSION_KEYS = List.of("backend", "url", "user", "password");
  static final List<String> SESSION_BACKENDS = List.of("memory", "file", "postgres");

  private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{([^}]*)}");

  private final YamlValues values;

  SessionSectionReader(YamlValues values) {
    this.values = values;
  }

  /** The section, when the file has one. */
  Optional<SessionConfig> read(YamlMap agent) throws AgentFileException {
    Optional<YamlMap> found =
        agent.map("session", "a mapping of session settings (backend:, url:, user:, password:)");
    if (found.isEmpty()) {
      return Optional.empty();
    }
    YamlMap session = found.get();
    session.allowOnly(SESSION_KEYS, "under " + session.field());
    String backendField = session.field("backend");
    Node backendNode = session.require("backend", "one of " + String.join(", ", SESSION_BACKENDS));
    String backend = values.text(backendNode, backendField);
    if (!SESSION_BACKENDS.contains(backend)) {
      String hint =
          Names.closest(backend, SESSION_BACKENDS)
              .map(k -> "; did you mean '" + k + "'?")
              .orElse("");
      throw values.error(
          backendField,
          backendNode,
          "must be one of "
              + String.join(", ", SESSION_BACKENDS)
              + "; found "
              + YamlValues.describe(backendNode)
              + hint);
    }
    if (!backend.equals("postgres")) {
      for (String key : List.of("url", "user", "password")) {
        if (session.has(key)) {
          throw values.error(
              session.field(key),
              session.keyLine(key),
              "only the postgres" + " backend reads it; remove it, or set backend: postgres");
        }
      }
      return Optional.of(new SessionConfig(backend, "", Optional.empty(), Optional.empty()));
    }
    String url =
        session.requiredText(
            "url",
            "the database's JDBC URL, like" + " \"jdbc:postgresql://db.internal:5432/codepilot\"");
    if (!url.startsWith("jdbc:postgresql:")) {
      throw values.error(
          session.field("url"),
          session.get("url").orElseThrow(),
          "must be a PostgreSQL JDBC URL starting with jdbc:postgresql:, like"
              + " jdbc:postgresql://db.internal:5432/codepilot");
    }
    Optional<String> user = session.text("user").filter(s -> !s.isBlank());
    Optional<String> password = Optional.empty();
    Optional<Node> passwordNode = session.get("password");
    if (passwordNode.isPresent()) {
      password =
          Optional.of(
              withEnvironment(
                  values.text(passwordNode.get(), session.field("password")),
                  session.field("password"),
                  passwordNode.get()));
    }
    return Optional.of(new SessionConfig(backend, url, user, password));
  }

  /**
   * {@code text} with every {@code ${NAME}} replaced by that environment variable, so that a
   * password need not be written into the agent file.
   */
  private String withEnvironment(String text, String field, Node node) throws AgentFileException {
    Matcher matcher = ENV_REFERENCE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String name = matcher.group(1);
      if (!Names.isEnvironmentName(name)) {
        throw values.error(
            field,
            node,
            "${"
                + name
                + "} is not an environment variable"
                + " name; write ${NAME} with letters, digits and _");
      }
      String value = System.getenv(name);
      if (value == null) {
        throw values.error(
            field,
            node,
            "names the environment variable "
                + name
                + ", which is not set; set it before starting the agent");
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    matcher.appendTail(out);
    return out.toString();
  }
}
