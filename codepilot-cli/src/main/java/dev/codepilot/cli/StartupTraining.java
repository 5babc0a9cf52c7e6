package dev.codepilot.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.codepilot.internal.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * The run the launcher makes once per build and JDK to fill its start-up cache (see {@code
 * ./codepilot}): one step of an agent whose {@code openai} model is a server on loopback, then one
 * step of the same agent on a replay cassette, so that the cache holds the classes of the whole
 * path, from the command line through the HTTP client and the provider (or the replay model) to the
 * Python sandbox and the tools. With {@code --quick} instead of a folder, it asks for the version
 * and the help of every command, for the small cache of the commands that run no agent. Not a user
 * command.
 *
 * <pre>
 * java -XX:AOTCacheOutput=codepilot.aot -cp codepilot-cli.jar dev.codepilot.cli.StartupTraining DIR
 * java -XX:AOTCacheOutput=quick.aot -cp codepilot-cli.jar dev.codepilot.cli.StartupTraining --quick
 * </pre>
 */
final class StartupTraining {

  /** One control block touching what a first step usually does, and a payload. */
  private static final String REPLY =
      """
      ```python
      import json
      think("Writing and running a script")
      write_file("hello.sh")
      print(read_file("hello.sh"))
      result = run_command("sh hello.sh")
      data = json.loads(json.dumps({"ok": "Hello" in result}))
      if data["ok"]:
          done("Trained.")
      ```
      ```sh
      echo Hello
      ```
      """;

  private StartupTraining() {}

  /** Runs the steps in folder {@code args[0]} and exits with 0 when both finished. */
  public static void main(String[] args) throws IOException {
    if (args[0].equals("--quick")) {
      System.exit(quick());
    }
    Path dir = Path.of(args[0]).toAbsolutePath();
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/v1/chat/completions", StartupTraining::answer);
    server.start();
    int code;
    try {
      Path agent = dir.resolve("agent.yaml");
      Files.writeString(
          agent,
          """
          agent:
            name: "Start-up Cache Training"
            model:
              provider: "openai"
              name: "training"
              base_url: "http://127.0.0.1:%d/v1"
              max_retries: 0
            runtime:
              work_dir: "./workspace"
              max_steps: 2
          """
              .formatted(server.getAddress().getPort()));
      code = Main.run("run", agent.toString(), "Prepare the start-up cache");
      Files.writeString(
          dir.resolve("cassette.json"),
          Json.mapper().writeValueAsString(Map.of("responses", List.of(REPLY))));
      Path replay = dir.resolve("replay.yaml");
      Files.writeString(
          replay,
          """
          agent:
            name: "Start-up Cache Training"
            model:
              provider: "replay"
              cassette: "./cassette.json"
            runtime:
              work_dir: "./workspace"
              max_steps: 2
          """);
      code = Math.max(code, Main.run("run", replay.toString(), "Prepare the start-up cache"));
    } finally {
      server.stop(0);
    }
    System.out.flush();
    System.exit(code);
  }

  /** Prints the version and every command's help; returns the worst exit code. */
  private static int quick() {
    int code = Math.max(Main.run("--version"), Main.run("--help"));
    for (Class<?> type : CodePilotCommand.SUBCOMMANDS) {
      String name = type.getAnnotation(CommandLine.Command.class).name();
      code = Math.max(code, Main.run(name, "--help"));
    }
    Console.stdout().flush();
    return code;
  }

  /** Answers like the Chat Completions API, streamed. */
  private static void answer(HttpExchange exchange) throws IOException {
    try (exchange) {
      exchange.getRequestBody().readAllBytes();
      exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
      exchange.sendResponseHeaders(200, 0);
      OutputStream out = exchange.getResponseBody();
      event(out, Map.of("choices", List.of(Map.of("index", 0, "delta", Map.of("content", REPLY)))));
      event(
          out,
          Map.of(
              "choices", List.of(Map.of("index", 0, "delta", Map.of(), "finish_reason", "stop"))));
      out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
    }
  }

  private static void event(OutputStream out, Object data) throws IOException {
    out.write(
        ("data: " + Json.mapper().writeValueAsString(data) + "\n\n")
            .getBytes(StandardCharsets.UTF_8));
    out.flush();
  }
}
