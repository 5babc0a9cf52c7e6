package dev.codepilot.mcp;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A streamable HTTP MCP server on loopback, made with the Java SDK, with one tool {@code
 * lookup-word(word)}, and {@code define(word)}, which answers every call with a JSON-RPC error;
 * requests without {@code Authorization: Bearer <token>} get 401.
 */
final class HttpMcpServer implements AutoCloseable {

  private final Server jetty;
  private final McpSyncServer mcp;

  HttpMcpServer(String token) throws Exception {
    this(token, new java.util.concurrent.CountDownLatch(0));
  }

  /** A server that answers no request until {@code gate} opens: one slow to start. */
  HttpMcpServer(String token, java.util.concurrent.CountDownLatch gate) throws Exception {
    HttpServletStreamableServerTransportProvider transport =
        HttpServletStreamableServerTransportProvider.builder()
            .jsonMapper(McpJsonDefaults.getMapper())
            .mcpEndpoint("/mcp")
            .build();
    McpSchema.Tool lookup =
        McpSchema.Tool.builder()
            .name("lookup-word")
            .description("Looks a word up in the glossary. Returns its definition.")
            .inputSchema(
                Map.of(
                    "type",
                    "object",
                    "properties",
                    Map.of("word", Map.of("type", "string", "description", "The word")),
                    "required",
                    List.of("word")))
            .build();
    McpSchema.Tool define =
        McpSchema.Tool.builder()
            .name("define")
            .description("Defines a word; this glossary has no definitions, so it always refuses.")
            .inputSchema(
                Map.of(
                    "type",
                    "object",
                    "properties",
                    Map.of("word", Map.of("type", "string")),
                    "required",
                    List.of("word")))
            .build();
    mcp =
        io.modelcontextprotocol.server.McpServer.sync(transport)
            .serverInfo("glossary", "1.0")
            .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
            .tools(
                new McpServerFeatures.SyncToolSpecification(
                    lookup,
                    (exchange, request) ->
                        McpSchema.CallToolResult.builder()
                            .addTextContent(
                                request.arguments().get("word") + ": a unit of language")
                            .build()),
                new McpServerFeatures.SyncToolSpecification(
                    define,
                    (exchange, request) -> {
                      // Thrown, an McpError becomes a JSON-RPC error response, not an isError
                      // result.
                      throw io.modelcontextprotocol.spec.McpError.builder(-32602)
                          .message("no definition of " + request.arguments().get("word"))
                          .build();
                    }))
            .build();
    jetty = new Server(new InetSocketAddress("127.0.0.1", 0));
    ServletContextHandler context = new ServletContextHandler();
    context.addServlet(
        new ServletHolder(
            new HttpServlet() {
              @Override
              protected void service(HttpServletRequest request, HttpServletResponse response)
                  throws IOException, jakarta.servlet.ServletException {
                try {
                  gate.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  response.sendError(503, "interrupted");
                  return;
                }
                if (!("Bearer " + token).equals(request.getHeader("Authorization"))) {
                  response.sendError(401, "missing or wrong bearer token");
                  return;
                }
                transport.service(request, response);
              }
            }),
        "/*");
    context.getServletHandler().getServlets();
    jetty.setHandler(context);
    jetty.start();
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
