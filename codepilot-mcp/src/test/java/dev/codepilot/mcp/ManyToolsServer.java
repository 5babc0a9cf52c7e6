package dev.codepilot.mcp;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A streamable HTTP MCP server on loopback, made with the Java SDK, offering 100 tools shaped like
 * a business API's: ten verbs on ten kinds of record ({@code create_contact}, {@code
 * search_invoice}, ...), each with a two-sentence description and two or three documented
 * parameters. Each tool answers with its name and arguments.
 */
final class ManyToolsServer implements AutoCloseable {

  static final List<String> VERBS =
      List.of(
          "list", "get", "create", "update", "delete", "search", "archive", "restore", "export",
          "count");
  static final List<String> RECORDS =
      List.of(
          "contact", "company", "deal", "ticket", "invoice", "product", "order", "note", "task",
          "meeting");

  private final Server jetty;
  private final McpSyncServer mcp;

  ManyToolsServer() throws Exception {
    HttpServletStreamableServerTransportProvider transport =
        HttpServletStreamableServerTransportProvider.builder()
            .jsonMapper(McpJsonDefaults.getMapper())
            .mcpEndpoint("/mcp")
            .build();
    List<McpServerFeatures.SyncToolSpecification> tools = new ArrayList<>();
    for (String record : RECORDS) {
      for (String verb : VERBS) {
        String name = verb + "_" + record;
        McpSchema.Tool tool =
            McpSchema.Tool.builder()
                .name(name)
                .description(
                    description(verb, record)
                        + " Requires an API key with access to "
                        + record
                        + "s.")
                .inputSchema(
                    Map.of(
                        "type",
                        "object",
                        "properties",
                        Map.of(
                            "id",
                                Map.of("type", "string", "description", "The " + record + "'s id."),
                            "fields",
                                Map.of(
                                    "type",
                                    "object",
                                    "description",
                                    "Values to set, by field name."),
                            "limit",
                                Map.of(
                                    "type",
                                    "integer",
                                    "description",
                                    "How many " + record + "s to return at most.")),
                        "required",
                        verb.equals("list")
                                || verb.equals("search")
                                || verb.equals("count")
                                || verb.equals("create")
                            ? List.of()
                            : List.of("id")))
                .build();
        tools.add(
            new McpServerFeatures.SyncToolSpecification(
                tool,
                (exchange, request) ->
                    McpSchema.CallToolResult.builder()
                        .addTextContent(name + " " + new java.util.TreeMap<>(request.arguments()))
                        .build()));
      }
    }
    mcp =
        io.modelcontextprotocol.server.McpServer.sync(transport)
            .serverInfo("crm", "1.0")
            .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
            .tools(tools)
            .build();
    jetty = new Server(new InetSocketAddress("127.0.0.1", 0));
    ServletContextHandler context = new ServletContextHandler();
    context.addServlet(new ServletHolder(transport), "/*");
    jetty.setHandler(context);
    jetty.start();
  }

  private static String description(String verb, String record) {
    return switch (verb) {
      case "list" -> "Lists the " + record + "s, newest first.";
      case "get" -> "Returns one " + record + " with all of its fields.";
      case "create" -> "Creates a " + record + " and returns its id.";
      case "update" -> "Changes fields of a " + record + ".";
      case "delete" -> "Deletes a " + record + " for good.";
      case "search" -> "Finds " + record + "s whose fields match the given values.";
      case "archive" -> "Hides a " + record + " from lists without deleting it.";
      case "restore" -> "Brings an archived " + record + " back.";
      case "export" -> "Returns " + record + "s as CSV text.";
      default -> "Counts the " + record + "s that match the given values.";
    };
  }

  URI url() {
    int port = ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
    return URI.create("http://127.0.0.1:" + port + "/mcp");
  }

  @Override
  public void close() throws Exception {
    mcp.closeGracefully();
    jetty.stop();
  }
}
