package dev.codepilot.mcp;

import dev.codepilot.AgentRuntime;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;

/** Serves the agent file in {@code args[0]} over stdio, as {@code codepilot mcp} does. */
public final class ServeChild {

  private ServeChild() {}

  public static void main(String[] args) throws Exception {
    PrintStream protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), false);
    System.setOut(System.err);
    try (AgentRuntime runtime =
            AgentRuntime.builder(Path.of(args[0])).consoleOutput(false).build();
        AgentMcpServer server =
            new AgentMcpServer(runtime, new FileInputStream(FileDescriptor.in), protocol)) {
      server.awaitClose();
    }
  }
}
