package dev.codepilot.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of the agent file's {@code mcp_servers:} list: an MCP server whose tools blocks call as
 * methods of an object named {@link #name}. Exactly one of {@link #command} (a child process
 * speaking over stdio) and {@link #url} (streamable HTTP) is present. Plain data: the MCP support
 * itself lives in the {@code codepilot-mcp} module.
 *
 * @param name a Python identifier: the object blocks call
 * @param command the program of a stdio server
 * @param args its arguments
 * @param env variables it gets beyond the allow-listed ones ({@code ${VAR}} already replaced)
 * @param cwd the folder it starts in, when not {@code work_dir}
 * @param url the endpoint of a streamable HTTP server
 * @param headers HTTP headers sent with every request ({@code ${VAR}} already replaced)
 * @param requirePermission true: every call fires PERMISSION_REQUEST and runs only if approved
 * @param timeout the longest a start or a call may take
 * @param tools the only tools offered, by the server's names; empty offers all
 * @param line the line of the entry in the agent file (0 when made in code)
 */
public record McpServerConfig(
    String name,
    Optional<String> command,
    List<String> args,
    Map<String, String> env,
    Optional<Path> cwd,
    Optional<URI> url,
    Map<String, String> headers,
    boolean requirePermission,
    Duration timeout,
    List<String> tools,
    int line) {

  /** Calls and starts that take longer than this fail, unless {@code timeout:} says otherwise. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  /**
   * Checks the components and copies the collections.
   *
   * @throws IllegalArgumentException unless exactly one of command and url is present
   */
  public McpServerConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(command, "command");
    args = List.copyOf(args);
    env = Map.copyOf(env);
    Objects.requireNonNull(cwd, "cwd");
    Objects.requireNonNull(url, "url");
    headers = Map.copyOf(headers);
    Objects.requireNonNull(timeout, "timeout");
    tools = List.copyOf(tools);
    if (command.isPresent() == url.isPresent()) {
      throw new IllegalArgumentException(
          "MCP server '" + name + "' needs exactly one of command (stdio) and url (HTTP)");
    }
  }

  /** A stdio server with no settings beyond its command line. */
  public static McpServerConfig stdio(String name, String command, List<String> args) {
    return new McpServerConfig(
        name,
        Optional.of(command),
        args,
        Map.of(),
        Optional.empty(),
        Optional.empty(),
        Map.of(),
        false,
        DEFAULT_TIMEOUT,
        List.of(),
        0);
  }

  /** A streamable HTTP server with no settings beyond its URL. */
  public static McpServerConfig http(String name, URI url) {
    return new McpServerConfig(
        name,
        Optional.empty(),
        List.of(),
        Map.of(),
        Optional.empty(),
        Optional.of(url),
        Map.of(),
        false,
        DEFAULT_TIMEOUT,
        List.of(),
        0);
  }

  /** How the server is reached, for messages: its command line or its URL. */
  public String describe() {
    return command
        .map(c -> String.join(" ", concat(c, args)))
        .orElseGet(() -> url.orElseThrow().toString());
  }

  private static List<String> concat(String first, List<String> rest) {
    return java.util.stream.Stream.concat(java.util.stream.Stream.of(first), rest.stream())
        .toList();
  }
}
