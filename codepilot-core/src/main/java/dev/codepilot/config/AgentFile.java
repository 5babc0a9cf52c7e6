package dev.codepilot.config;

import dev.codepilot.model.ChatModels;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Loads an agent file: the YAML that names an agent and sets its model, runtime and tools.
 *
 * <p>The settings sit under a top-level {@code agent:} key, or at the top level themselves:
 *
 * <pre>{@code
 * agent:
 *   name: "BackendEngineer"
 *   system_prompt: "./prompts/instructions.md"
 *   model:
 *     provider: "anthropic"
 *     name: "claude-sonnet-4-5"
 *   runtime:
 *     work_dir: "./workspace"
 *   tools:
 *     - name: "run_command"
 *       config: { timeout: 60, require_permission: true }
 * }</pre>
 *
 * <p>Paths in the file ({@code system_prompt} when it names a file, {@code model.cassette}, {@code
 * runtime.work_dir}) are resolved against the file's own folder, not the working directory. A
 * {@code system_prompt} names a file when it is one line that starts with {@code ./}, {@code ../}
 * or {@code /}, or ends in {@code .md} or {@code .txt} (a sentence with spaces that ends so is
 * taken as text unless such a file exists). The work directory is created when missing, after every
 * other check has passed.
 */
public final class AgentFile {

  /** Beyond this the file is surely not an agent file; refusing it spares reading it whole. */
  private static final long MAX_BYTES = 4L * 1024 * 1024;

  private AgentFile() {}

  /**
   * Reads, checks and resolves an agent file.
   *
   * @return the configuration, with every default applied, every path absolute, and {@link
   *     AgentConfig#source()} set to the file
   * @throws AgentFileException when the file is missing or unreadable, is not valid YAML, or breaks
   *     a rule; its message names the file, line and field and says what to change
   */
  public static AgentConfig load(Path file) throws AgentFileException {
    return load(file, ChatModels.knownProviderNames());
  }

  /**
   * Reads, checks and resolves an agent file whose {@code model.provider} must be one of the given
   * names (and so for its sub-agents' files). {@link #load(Path)} passes {@link
   * ChatModels#knownProviderNames()}: the built-in names and every provider on the class or module
   * path.
   *
   * @return as {@link #load(Path)}
   * @throws AgentFileException as {@link #load(Path)}, and when the provider is none of {@code
   *     providerNames}
   */
  public static AgentConfig load(Path file, Set<String> providerNames) throws AgentFileException {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(providerNames, "providerNames");
    String text = read(file);
    return new AgentFileReader(file, new ProviderNames(providerNames))
        .read(YamlValues.parse(file, text));
  }

  /** Loads a sub-agent's file; {@code chain} is the files that include it, and it. */
  static AgentConfig load(Path file, List<Path> chain, Set<String> providerNames)
      throws AgentFileException {
    String text = read(file);
    return new AgentFileReader(file, chain, new ProviderNames(providerNames))
        .read(YamlValues.parse(file, text));
  }

  private static String read(Path file) throws AgentFileException {
    if (Files.isDirectory(file)) {
      throw new AgentFileException(
          file, "", 0, "is a folder, not an agent file; give the path of the .yaml file");
    }
    try {
      if (Files.size(file) > MAX_BYTES) {
        throw new AgentFileException(
            file,
            "",
            0,
            "is larger than "
                + MAX_BYTES / 1024 / 1024
                + " MB, far too large for an agent file; check the path");
      }
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new AgentFileException(file, "", 0, "agent file not found; check the path", e);
    } catch (AccessDeniedException e) {
      throw new AgentFileException(
          file, "", 0, "cannot read the agent file: permission denied; check its permissions", e);
    } catch (CharacterCodingException e) {
      throw new AgentFileException(
          file, "", 0, "the agent file is not UTF-8 text; save it as UTF-8", e);
    } catch (IOException e) {
      throw new AgentFileException(
          file, "", 0, "cannot read the agent file (" + e.getMessage() + "); check the path", e);
    }
  }
}
