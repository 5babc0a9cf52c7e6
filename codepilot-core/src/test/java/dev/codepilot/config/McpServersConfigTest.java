package dev.codepilot.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent file's mcp_servers section: what it reads, and what it refuses. */
class McpServersConfigTest {

  @TempDir Path dir;

  private static final String HEAD =
      """
      name: Agent
      model: {provider: openai, name: gpt-4o}
      mcp_servers:
      """;

  private AgentConfig load(String servers) throws Exception {
    return AgentFile.load(Files.writeString(dir.resolve("agent.yaml"), HEAD + servers));
  }

  private AgentFileException failure(String servers) throws IOException {
    Path file = Files.writeString(dir.resolve("agent.yaml"), HEAD + servers);
    return assertThrows(AgentFileException.class, () -> AgentFile.load(file));
  }

  @Test
  void readsStdioAndHttpServersWithVariablesFromTheEnvironment() throws Exception {
    Files.createDirectories(dir.resolve("tools"));
    AgentConfig config =
        load(
            """
          - name: files
            command: npx
            args: ["-y", "@modelcontextprotocol/server-filesystem", "./workspace"]
            env: {LOG_LEVEL: warn, HOME_AGAIN: "${HOME}"}
            cwd: ./tools
            require_permission: true
            timeout: 2.5
            tools: [read_text_file]
          - name: docs
            url: "http://127.0.0.1:3001/mcp"
            headers: {Authorization: "Bearer ${HOME}"}
        """);
    McpServerConfig files = config.mcpServers().get(0);
    assertThat(files.command()).contains("npx");
    assertThat(files.args())
        .containsExactly("-y", "@modelcontextprotocol/server-filesystem", "./workspace");
    assertThat(files.env())
        .isEqualTo(Map.of("LOG_LEVEL", "warn", "HOME_AGAIN", System.getenv("HOME")));
    assertThat(files.cwd()).contains(dir.resolve("tools"));
    assertThat(files.requirePermission()).isTrue();
    assertThat(files.timeout()).isEqualTo(Duration.ofMillis(2500));
    assertThat(files.tools()).containsExactly("read_text_file");
    assertThat(files.line()).isEqualTo(4);
    McpServerConfig docs = config.mcpServers().get(1);
    assertThat(docs.url()).contains(URI.create("http://127.0.0.1:3001/mcp"));
    assertThat(docs.headers()).containsEntry("Authorization", "Bearer " + System.getenv("HOME"));
    assertThat(docs.command()).isEqualTo(Optional.empty());
    assertThat(docs.timeout()).isEqualTo(McpServerConfig.DEFAULT_TIMEOUT);
    assertThat(docs.tools()).isEqualTo(List.of());
  }

  @Test
  void withoutTheMcpModuleTheRuntimeSaysWhatToAdd() throws Exception {
    Files.writeString(dir.resolve("cassette.json"), "{\"responses\": []}");
    AgentConfig config =
        AgentFile.load(
            Files.writeString(
                dir.resolve("agent.yaml"),
                """
        name: Agent
        model: {provider: replay, cassette: ./cassette.json}
        mcp_servers:
          - name: files
            command: npx
        """));
    dev.codepilot.tools.ToolSourceException e =
        assertThrows(
            dev.codepilot.tools.ToolSourceException.class,
            () -> dev.codepilot.AgentRuntime.builder(config).consoleOutput(false).build());
    assertThat(e.getMessage())
        .contains("mcp_servers (line 4) needs the MCP support")
        .contains("dev.codepilot:codepilot-mcp");
  }

  @Test
  void aNameMustBeAPythonIdentifier() throws Exception {
    AgentFileException e = failure("  - name: my-files\n    command: npx\n");
    assertThat(e.field()).isEqualTo("mcp_servers[0].name");
    assertThat(e.line()).isEqualTo(4);
    assertThat(e.getMessage()).contains("MCP server name 'my-files' is not a Python identifier");
    assertThat(failure("  - name: class\n    command: npx\n").getMessage())
        .contains("is a Python keyword");
  }

  @Test
  void exactlyOneOfCommandAndUrl() throws Exception {
    assertThat(failure("  - name: a\n").getMessage())
        .contains("MCP server 'a' needs command: (a program started over stdio) or url:");
    assertThat(failure("  - name: a\n    command: x\n    url: http://h/mcp\n").getMessage())
        .contains("has both command: and url:");
    AgentFileException headers = failure("  - name: a\n    command: x\n    headers: {A: b}\n");
    assertThat(headers.field()).isEqualTo("mcp_servers[0].headers");
    assertThat(headers.line()).isEqualTo(6);
  }

  @Test
  void badValuesAreNamedWithTheirLine() throws Exception {
    AgentFileException url = failure("  - name: a\n    url: ftp://host/mcp\n");
    assertThat(url.field()).isEqualTo("mcp_servers[0].url");
    assertThat(url.line()).isEqualTo(5);
    assertThat(url.getMessage()).contains("must be an absolute http or https URL");
    AgentFileException variable =
        failure(
            "  - name: a\n    url: http://h/mcp\n    headers: {X-Token: \"${NO_SUCH_VARIABLE_42}\"}\n");
    assertThat(variable.field()).isEqualTo("mcp_servers[0].headers.X-Token");
    assertThat(variable.getMessage())
        .contains(
            "uses ${NO_SUCH_VARIABLE_42}, but the"
                + " environment variable NO_SUCH_VARIABLE_42 is not set");
    assertThat(failure("  - name: a\n    command: x\n    tools: []\n").getMessage())
        .contains("lists no tools");
    assertThat(failure("  - name: a\n    command: x\n    timeout: 0\n").field())
        .isEqualTo("mcp_servers[0].timeout");
    assertThat(failure("  - name: a\n    command: x\n    color: red\n").getMessage())
        .contains("unknown key 'color'");
    AgentFileException twice = failure("  - {name: a, command: x}\n  - {name: a, command: y}\n");
    assertThat(twice.line()).isEqualTo(5);
    assertThat(twice.getMessage()).contains("is already listed on line 4");
    assertThat(failure("  name: a\n").getMessage()).contains("must be a list of servers");
  }
}
