package dev.codepilot.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.codepilot.model.ChatModels;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import org.yaml.snakeyaml.Yaml;

/**
 * Whatever the text of an agent file, loading it gives a valid configuration or an {@link
 * AgentFileException} with a one-line message; never any other exception.
 */
class AgentFileProperties {

  private static final List<String> KNOWN_KEYS =
      Stream.of(
              AgentFileReader.AGENT_KEYS,
              ModelSectionReader.MODEL_KEYS,
              RuntimeSectionReader.RUNTIME_KEYS,
              ToolsSectionReader.TOOL_KEYS,
              List.of("agent", "require_permission", "timeout"))
          .flatMap(List::stream)
          .distinct()
          .toList();

  /**
   * Every work_dir the generators produce stays inside the temporary folder: the loader creates it,
   * and random paths must not create folders elsewhere.
   */
  private static final List<Object> SAFE_WORK_DIRS =
      List.of("ws", "./ws2", "nested/deep/ws", "prompt.md", "", 5, List.of("ws"), Map.of());

  private static Path dir;

  @BeforeContainer
  static void createFolder() throws IOException {
    dir = Files.createTempDirectory("agent-file-properties");
    Files.writeString(dir.resolve("prompt.md"), "Prompt from a file.");
    Files.writeString(dir.resolve("tape.json"), "{\"responses\": []}");
  }

  @AfterContainer
  static void deleteFolder() throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  @Property(tries = 2000)
  void arbitraryYamlishTextLoadsOrFailsWithAnAgentFileException(@ForAll("yamlishText") String text)
      throws IOException {
    loadsOrFailsCleanly(text);
  }

  @Property(tries = 1000)
  void arbitraryDocumentsLoadOrFailWithAnAgentFileException(@ForAll("documents") Object document)
      throws IOException {
    loadsOrFailsCleanly(new Yaml().dump(document));
  }

  @Example
  void theUnchangedDocumentLoads() throws Exception {
    Files.writeString(dir.resolve("agent.yaml"), new Yaml().dump(validDocument()));
    assertThat(AgentFile.load(dir.resolve("agent.yaml")).name()).isEqualTo("A");
  }

  @Property(tries = 2000)
  void nearlyValidDocumentsLoadOrFailWithAnAgentFileException(
      @ForAll("mutatedDocuments") Object document) throws IOException {
    loadsOrFailsCleanly(new Yaml().dump(document));
  }

  private static void loadsOrFailsCleanly(String text) throws IOException {
    Path file = dir.resolve("agent.yaml");
    Files.writeString(file, text);
    AgentConfig config;
    try {
      config = AgentFile.load(file);
    } catch (AgentFileException e) {
      Statistics.collect(e.line() > 0 ? "refused at a line" : "refused");
      assertThat(e.file()).isEqualTo(file);
      assertThat(e.field()).isNotNull();
      assertThat(e.line()).isNotNegative();
      assertThat(e.getMessage())
          .startsWith(file + (e.line() > 0 ? ":" + e.line() : "") + ": ")
          .doesNotContain("\n", "\r");
      return;
    }
    Statistics.collect("loaded");
    assertThat(config.name()).isNotBlank();
    assertThat(ChatModels.knownProviderNames()).contains(config.model().provider());
    assertThat(config.model().cassette().isPresent())
        .isEqualTo(config.model().provider().equals("replay"));
    assertThat(config.runtime().workDir()).isAbsolute().isDirectory().startsWith(dir);
    assertThat(new HashSet<>(config.tools().stream().map(ToolConfig::name).toList()))
        .hasSize(config.tools().size());
    assertThat(config.source()).contains(file.toAbsolutePath().normalize());
  }

  // Text made of YAML's own punctuation and the agent file's words, plus plain noise.

  @Provide
  Arbitrary<String> yamlishText() {
    Arbitrary<String> tokens =
        Arbitraries.of(
            "agent:",
            "name:",
            "model:",
            "provider:",
            "runtime:",
            "tools:",
            "config:",
            "enabled:",
            "system_prompt:",
            "max_steps:",
            "unsafe_mode:",
            "allowed_imports:",
            "exec_timeout:",
            "temperature:",
            "cassette:",
            "base_url:",
            "require_permission:",
            "timeout:",
            "role:",
            "max_tokens:",
            "max_output_chars:",
            "request_timeout:",
            "max_retries:",
            "api_key_env:",
            "work_dir: ws",
            " replay",
            " openai",
            " anthropic",
            " tape.json",
            " prompt.md",
            " ./missing.md",
            " write_file",
            " run_command",
            " done",
            " think",
            " x",
            " 3",
            " -1",
            " 0",
            " 2.5",
            " 1e400",
            " .nan",
            " 0x1F",
            " 99999999999999999999",
            " true",
            " no",
            " ~",
            " null",
            " ''",
            " \"\"",
            " \"abc",
            "'",
            "\"",
            "\n",
            "\n  ",
            "\n    ",
            "\n      ",
            "- ",
            "  - ",
            "{",
            "}",
            "[",
            "]",
            ", ",
            ":",
            " ",
            "\t",
            "&a ",
            "*a",
            "*b",
            "!!int ",
            "!!str ",
            "!!float ",
            "!!bool ",
            "!!binary ",
            "!!set ",
            "!custom ",
            "!!python/object ",
            "<<: ",
            "---\n",
            "...\n",
            "# c",
            "? ",
            "|\n",
            ">\n",
            "%YAML 1.1\n",
            "%TAG ! tag:x,2000:\n",
            "\u0000",
            "\uFEFF",
            "é",
            "\u2028",
            "\r\n",
            "\\",
            "@",
            "`",
            "%",
            "http://localhost:1/v1");
    Arbitrary<String> tokenText = tokens.list().ofMaxSize(60).map(list -> String.join("", list));
    Arbitrary<String> noise =
        Arbitraries.strings()
            .withCharRange(' ', '~')
            .withChars('\n', '\t', 'é', '\u0000', '\u2028', '\uFEFF')
            .ofMaxLength(80)
            .filter(s -> !s.contains("work_dir"));
    return Arbitraries.frequencyOf(Tuple.of(5, tokenText), Tuple.of(1, noise));
  }

  // Random trees of mappings, lists and scalars, with known and unknown keys.

  @Provide
  Arbitrary<Object> documents() {
    return Arbitraries.frequencyOf(Tuple.of(3, map(3)), Tuple.of(1, value(2)))
        .map(AgentFileProperties::safeWorkDirs);
  }

  private Arbitrary<Object> value(int depth) {
    if (depth == 0) {
      return scalar();
    }
    return Arbitraries.frequencyOf(
        Tuple.of(4, scalar()), Tuple.of(2, list(depth - 1)), Tuple.of(2, map(depth - 1)));
  }

  private Arbitrary<Object> list(int depth) {
    return value(depth).list().ofMaxSize(4).map(l -> (Object) l);
  }

  private Arbitrary<Object> map(int depth) {
    Arbitrary<String> keys =
        Arbitraries.frequencyOf(
            Tuple.of(4, Arbitraries.of(KNOWN_KEYS)),
            Tuple.of(1, Arbitraries.of("Name", "max_step", "modle", "<<", "", "unknown", "1")),
            Tuple.of(1, Arbitraries.strings().withCharRange('a', 'z').ofMaxLength(6)));
    return Arbitraries.maps(keys, value(depth)).ofMaxSize(6).map(m -> (Object) m);
  }

  private Arbitrary<Object> scalar() {
    return Arbitraries.oneOf(
            Arbitraries.of(
                "openai",
                "replay",
                "anthropic",
                "together",
                "gpt-4o",
                "prompt.md",
                "./prompt.md",
                "tape.json",
                "./missing.md",
                "/",
                "write_file",
                "run_command",
                "think",
                "done",
                "fetch_url",
                "_x",
                "class",
                "re",
                "os.path",
                "a..b",
                "http://localhost:1/v1",
                "ftp://x",
                "",
                " ",
                "abc",
                "30",
                "true",
                "\n",
                "é"),
            Arbitraries.strings().withCharRange(' ', '~').withChars('\n', '\u0000').ofMaxLength(10),
            Arbitraries.integers().between(-3, 25_000),
            Arbitraries.longs(),
            Arbitraries.of(new BigInteger("123456789012345678901234567890")),
            Arbitraries.of(
                Double.NaN, Double.POSITIVE_INFINITY, -0.0, 0.0005, 0.5, 2.0, 2.1, 1e300),
            Arbitraries.doubles().between(-10, 10),
            Arbitraries.of(true, false))
        .map(v -> (Object) v)
        .injectNull(0.1);
  }

  // A valid document with one to three settings changed, removed or added.

  /** Settings a mutation may touch, each with values that keep the document valid. */
  private static final Map<List<Object>, List<Object>> MUTABLE = mutable();

  private static Map<List<Object>, List<Object>> mutable() {
    Map<List<Object>, List<Object>> paths = new LinkedHashMap<>();
    paths.put(List.of("agent"), List.of());
    paths.put(List.of("agent", "name"), List.of("B", "Agent Smith", 7));
    paths.put(List.of("agent", "role"), List.of("helper", ""));
    paths.put(List.of("agent", "system_prompt"), List.of("./prompt.md", "Be brief.", ""));
    paths.put(List.of("agent", "model"), List.of(Map.of("provider", "openai", "name", "m")));
    paths.put(List.of("agent", "model", "provider"), List.of("replay"));
    paths.put(List.of("agent", "model", "name"), List.of("gpt-4o", ""));
    paths.put(List.of("agent", "model", "cassette"), List.of("./tape.json"));
    paths.put(List.of("agent", "model", "temperature"), List.of(0, 0.7, 2));
    paths.put(List.of("agent", "model", "max_tokens"), List.of(1, 8096));
    paths.put(List.of("agent", "model", "request_timeout"), List.of(1, 0.25));
    paths.put(List.of("agent", "model", "max_retries"), List.of(0, 9));
    paths.put(List.of("agent", "model", "api_key_env"), List.of("MY_KEY", ""));
    paths.put(List.of("agent", "runtime"), List.of(Map.of("max_steps", 3)));
    paths.put(List.of("agent", "runtime", "max_steps"), List.of(1, 100));
    paths.put(List.of("agent", "runtime", "unsafe_mode"), List.of(true, false));
    paths.put(List.of("agent", "runtime", "allowed_imports"), List.of(List.of(), List.of("json")));
    paths.put(List.of("agent", "runtime", "exec_timeout"), List.of(0.5, 60));
    paths.put(List.of("agent", "runtime", "max_output_chars"), List.of(100, 5000));
    paths.put(List.of("agent", "tools"), List.of(List.of()));
    paths.put(List.of("agent", "tools", 0), List.of(Map.of("name", "read_file")));
    paths.put(List.of("agent", "tools", 0, "name"), List.of("run_command", "my_tool"));
    paths.put(List.of("agent", "tools", 0, "config"), List.of(Map.of("require_permission", true)));
    paths.put(List.of("agent", "tools", 0, "config", "timeout"), List.of(1, 2.5));
    paths.put(List.of("agent", "tools", 1, "enabled"), List.of(true, false));
    paths.put(List.of("agent", "tools", 1, "config"), List.of(Map.of("a", List.of(1, "b"))));
    paths.put(List.of("agent", "unknown"), List.of());
    paths.put(List.of("agent", "model", "unknown"), List.of());
    return paths;
  }

  @Provide
  Arbitrary<Object> mutatedDocuments() {
    Arbitrary<Mutation> mutation =
        Arbitraries.of(MUTABLE.keySet())
            .flatMap(
                path -> {
                  List<Object> good = MUTABLE.get(path);
                  Arbitrary<Object> values =
                      good.isEmpty()
                          ? value(2)
                          : Arbitraries.frequencyOf(
                              Tuple.of(2, Arbitraries.of(good)), Tuple.of(1, value(2)));
                  return Combinators.combine(values, Arbitraries.integers().between(0, 4))
                      .as((value, dice) -> new Mutation(path, value, dice == 0));
                });
    return mutation
        .list()
        .ofMinSize(1)
        .ofMaxSize(3)
        .map(
            mutations -> {
              Object document = validDocument();
              for (Mutation m : mutations) {
                document = safeWorkDirs(document);
                m.applyTo(document);
              }
              return safeWorkDirs(document);
            });
  }

  private static Object validDocument() {
    Map<String, Object> model =
        new LinkedHashMap<>(Map.of("provider", "replay", "cassette", "tape.json"));
    Map<String, Object> runtime = new LinkedHashMap<>(Map.of("work_dir", "ws", "max_steps", 5));
    List<Object> tools =
        new ArrayList<>(
            List.of(
                new LinkedHashMap<>(
                    Map.of(
                        "name",
                        "run_command",
                        "config",
                        new LinkedHashMap<>(Map.of("timeout", 5)))),
                new LinkedHashMap<>(Map.of("name", "fetch_url", "enabled", false))));
    Map<String, Object> agent =
        new LinkedHashMap<>(
            Map.of(
                "name",
                "A",
                "system_prompt",
                "prompt.md",
                "model",
                model,
                "runtime",
                runtime,
                "tools",
                tools));
    return new LinkedHashMap<>(Map.of("agent", agent));
  }

  /** Sets ({@code remove} false) or removes the value at a path, where the path still exists. */
  private record Mutation(List<Object> path, Object value, boolean remove) {

    @SuppressWarnings("unchecked")
    void applyTo(Object document) {
      Object parent = document;
      for (Object step : path.subList(0, path.size() - 1)) {
        parent = child(parent, step);
        if (parent == null) {
          return;
        }
      }
      Object last = path.get(path.size() - 1);
      if (parent instanceof Map<?, ?> map && last instanceof String key) {
        if (remove) {
          map.remove(key);
        } else {
          ((Map<String, Object>) map).put(key, value);
        }
      } else if (parent instanceof List<?> list
          && last instanceof Integer index
          && index < list.size()) {
        if (remove) {
          list.remove((int) index);
        } else {
          ((List<Object>) list).set(index, value);
        }
      }
    }

    private static Object child(Object parent, Object step) {
      if (parent instanceof Map<?, ?> map && step instanceof String key) {
        return map.get(key);
      }
      if (parent instanceof List<?> list && step instanceof Integer index && index < list.size()) {
        return list.get(index);
      }
      return null;
    }
  }

  /**
   * A deep, modifiable copy in which every work_dir value, at any depth, is one that stays in the
   * temporary folder.
   */
  private static Object safeWorkDirs(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach(
          (k, v) ->
              copy.put(
                  String.valueOf(k),
                  k.equals("work_dir")
                      ? SAFE_WORK_DIRS.get(
                          Math.floorMod(Objects.hashCode(v), SAFE_WORK_DIRS.size()))
                      : safeWorkDirs(v)));
      return copy;
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>();
      list.forEach(v -> copy.add(safeWorkDirs(v)));
      return copy;
    }
    return value;
  }
}
