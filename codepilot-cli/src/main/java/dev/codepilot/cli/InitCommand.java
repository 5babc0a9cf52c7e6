package dev.codepilot.cli;

import dev.codepilot.internal.Json;
import dev.codepilot.internal.TerminalText;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code codepilot init [DIR]}: a new agent that runs at once, offline: an agent file with every
 * setting explained, instructions, a workspace and a cassette of scripted replies.
 */
@Command(
    name = "init",
    mixinStandardHelpOptions = true,
    description = {
      "Create a working agent in DIR, ready to run offline.",
      "Writes agent.yaml with every setting explained, prompts/instructions.md, a workspace/"
          + " folder and cassette.json (scripted replies, so that it runs with no API key)."
          + " DIR defaults to the current folder; existing files are never overwritten."
    })
final class InitCommand implements Callable<Integer> {

  @Parameters(
      index = "0",
      paramLabel = "DIR",
      arity = "0..1",
      defaultValue = ".",
      description = "Where to create the agent (created when missing).")
  Path dir;

  @Override
  public Integer call() {
    Path target = dir.toAbsolutePath().normalize();
    if (Files.exists(target) && !Files.isDirectory(target)) {
      throw new UsageException(dir + " is a file, not a folder; give a folder for the new agent");
    }
    Path agentFile = target.resolve("agent.yaml");
    String shown = display(dir.resolve("agent.yaml"));
    Map<Path, String> files = new LinkedHashMap<>();
    files.put(
        agentFile,
        template("agent.yaml.txt")
            .replace("{{NAME}}", Json.write(agentName(target)))
            .replace("{{AGENT_FILE}}", shown));
    files.put(target.resolve("prompts/instructions.md"), template("instructions.md.txt"));
    files.put(target.resolve("cassette.json"), template("cassette.json.txt"));

    List<String> existing = new ArrayList<>();
    for (Path file : files.keySet()) {
      if (Files.exists(file)) {
        existing.add(display(dir.resolve(target.relativize(file))));
      }
    }
    if (!existing.isEmpty()) {
      throw new UsageException(
          "not overwriting "
              + String.join(", ", existing)
              + (existing.size() == 1 ? " (it exists)" : " (they exist)")
              + "; choose another folder or move them away");
    }
    try {
      for (Map.Entry<Path, String> file : files.entrySet()) {
        Files.createDirectories(file.getKey().getParent());
        Files.writeString(file.getKey(), file.getValue(), StandardCharsets.UTF_8);
      }
      Files.createDirectories(target.resolve("workspace"));
    } catch (IOException e) {
      throw new UsageException("cannot create the agent in " + target + ": " + e.getMessage());
    }
    PrintStream out = Console.stdout();
    out.println("Created an agent in " + display(dir) + ":");
    out.println("  " + pad(shown) + "the agent: model, runtime and tools, each explained");
    out.println(
        "  "
            + pad(display(dir.resolve("prompts/instructions.md")))
            + "your instructions to the agent");
    out.println(
        "  "
            + pad(display(dir.resolve("cassette.json")))
            + "scripted replies, so that it runs offline");
    out.println("  " + pad(display(dir.resolve("workspace")) + "/") + "where the agent works");
    out.println();
    out.println("Try it:");
    out.println("  codepilot run " + quoted(shown) + " \"Say hello\"");
    out.println(
        "Then set model.provider in agent.yaml to a real model (anthropic, openai) and"
            + " chat with it:");
    out.println("  codepilot chat " + quoted(shown));
    return ExitCodes.DONE;
  }

  private static String pad(String text) {
    return text + " ".repeat(Math.max(2, 34 - text.length()));
  }

  /** The path as shown to the user: the folder name they typed may hold anything. */
  private static String display(Path path) {
    String text = path.normalize().toString();
    return text.isEmpty() ? "." : TerminalText.line(text);
  }

  private static String quoted(String path) {
    return path.matches("[A-Za-z0-9_./-]+") ? path : "'" + path.replace("'", "'\\''") + "'";
  }

  private static String agentName(Path target) {
    Path name = target.getFileName();
    String text = name == null ? "" : name.toString().strip();
    return text.isEmpty() ? "my-agent" : text;
  }

  private static String template(String name) {
    try (InputStream in = InitCommand.class.getResourceAsStream("init/" + name)) {
      if (in == null) {
        throw new IllegalStateException("the template " + name + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
