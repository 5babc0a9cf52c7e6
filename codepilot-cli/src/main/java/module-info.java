/**
 * The {@code codepilot} command line ({@code dev.codepilot.cli.Main}). It names no model provider:
 * the providers, the MCP tool source and the PostgreSQL session store are found through {@link
 * java.util.ServiceLoader}, so they are resolved by service binding.
 */
// JLine has an Automatic-Module-Name but no module descriptor.
@SuppressWarnings("requires-automatic")
module dev.codepilot.cli {
  requires dev.codepilot;
  requires dev.codepilot.daemon;
  requires dev.codepilot.mcp;
  requires dev.codepilot.opentelemetry;
  requires dev.codepilot.server;
  requires info.picocli;
  requires java.logging;
  requires java.xml;
  requires jdk.httpserver;
  requires jdk.unsupported;
  requires org.jline;
  requires org.yaml.snakeyaml;

  // picocli reads the commands' annotated fields and methods by reflection.
  opens dev.codepilot.cli to
      info.picocli;
}
