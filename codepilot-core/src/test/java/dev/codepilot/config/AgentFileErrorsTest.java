package dev.codepilot.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AgentFileErrorsTest {

  @TempDir Path dir;

  private Path write(String relative, String content) throws IOException {
    Path path = dir.resolve(relative);
    Files.createDirectories(path.getParent());
    return Files.writeString(path, content);
  }

  private AgentFileException failure(String yaml) throws IOException {
    Path file = write("agent.yaml", yaml);
    return assertThrows(AgentFileException.class, () -> AgentFile.load(file));
  }

  /** Field, line, and the one-line {@code <file>:<line>: <field>: ...} message. */
  private AgentFileException assertAt(AgentFileException e, String field, int line) {
    assertThat(e.field()).isEqualTo(field);
    assertThat(e.line()).isEqualTo(line);
    assertThat(e.file()).isEqualTo(dir.resolve("agent.yaml"));
    String prefix =
        e.file() + (line > 0 ? ":" + line : "") + ": " + (field.isEmpty() ? "" : field + ": ");
    assertThat(e.getMessage()).startsWith(prefix).doesNotContain("\n");
    return e;
  }

  private static final String MODEL = "  model: {provider: openai, name: gpt-4o}\n";

  // The whole file

  @Test
  void missingFileIsNamed() {
    Path missing = dir.resolve("nowhere/agent.yaml");

    AgentFileException e = assertThrows(AgentFileException.class, () -> AgentFile.load(missing));

    assertThat(e.file()).isEqualTo(missing);
    assertThat(e.field()).isEmpty();
    assertThat(e.line()).isZero();
    assertThat(e.getMessage()).isEqualTo(missing + ": agent file not found; check the path");
  }

  @Test
  void folderInsteadOfFileIsRefused() {
    AgentFileException e = assertThrows(AgentFileException.class, () -> AgentFile.load(dir));

    assertThat(e.getMessage()).startsWith(dir + ": ").contains("is a folder");
  }

  @Test
  void emptyFileIsRefused() throws IOException {
    AgentFileException e = failure("");

    assertAt(e, "", 0);
    assertThat(e.getMessage()).contains("empty");
  }

  @Test
  void fileWithOnlyCommentsIsEmpty() throws IOException {
    assertThat(failure("# nothing here\n\n# at all\n").getMessage()).contains("empty");
  }

  @Test
  void rootThatIsNotAMappingIsRefused() throws IOException {
    AgentFileException e = failure("- name: A\n- model: x\n");

    assertAt(e, "", 1);
    assertThat(e.getMessage()).contains("must be a mapping").contains("found a list");
  }

  @Test
  void unterminatedQuoteIsASyntaxErrorAtTheLineWhereItStarts() throws IOException {
    AgentFileException e =
        failure(
            """
        agent:
          name: A
          role: "unterminated: yes
        """);

    assertAt(e, "", 3);
    assertThat(e.getMessage()).contains("YAML syntax error").contains("quoted scalar");
  }

  @Test
  void badIndentationIsASyntaxError() throws IOException {
    AgentFileException e =
        failure(
            """
        agent:
          name: A
         role: B
        """);

    assertAt(e, "", 3);
    assertThat(e.getMessage()).contains("YAML syntax error").contains("indentation");
  }

  @Test
  void tabIndentationIsASyntaxError() throws IOException {
    AgentFileException e = failure("agent:\n\tname: A\n");

    assertAt(e, "", 2);
    assertThat(e.getMessage()).contains("TAB");
  }

  @Test
  void secondDocumentIsRefused() throws IOException {
    AgentFileException e = failure("name: A\n---\nname: B\n");

    assertAt(e, "", 2);
    assertThat(e.getMessage()).contains("single YAML document");
  }

  @Test
  void forbiddenCharacterIsReportedWithItsLine() throws IOException {
    AgentFileException e = failure("name: A\nrole: \u0007bell\n");

    assertAt(e, "", 2);
    assertThat(e.getMessage()).contains("U+0007");
  }

  @Test
  void textThatIsNotUtf8IsRefused() throws IOException {
    Path file = dir.resolve("agent.yaml");
    Files.write(file, new byte[] {'n', 'a', 'm', 'e', ':', ' ', (byte) 0xC3, (byte) 0x28});

    AgentFileException e = assertThrows(AgentFileException.class, () -> AgentFile.load(file));

    assertThat(e.getMessage()).contains("not UTF-8");
  }

  @Test
  void deepNestingIsRefusedWithoutOverflowingTheStack() throws IOException {
    AgentFileException e = failure("name: " + "[".repeat(10_000) + "]".repeat(10_000));

    assertThat(e.getMessage()).contains("Nesting Depth");
  }

  // Unknown and misplaced keys

  @Test
  void unknownTopLevelKeyOfTheFlatFormSuggestsTheClosestKey() throws IOException {
    AgentFileException e =
        failure(
            """
        name: A
        modle: {provider: openai, name: gpt-4o}
        """);

    assertAt(e, "modle", 2);
    assertThat(e.getMessage())
        .contains("unknown key 'modle'")
        .contains("did you mean 'model'?")
        .contains(
            "name, role, system_prompt, model, runtime, tools, mcp_servers, agents, session, agent");
  }

  @Test
  void unknownRuntimeKeyIsNamedWithItsPathLineAndTheValidKeys() throws IOException {
    AgentFileException e =
        failure(
            """
        agent:
          name: A
        """
                + MODEL
                + """
          runtime:
            work_dir: ./ws
            max_step: 5
        """);

    assertAt(e, "agent.runtime.max_step", 6);
    assertThat(e.getMessage())
        .isEqualTo(
            dir.resolve("agent.yaml")
                + ":6: agent.runtime.max_step: unknown key"
                + " 'max_step'; did you mean 'max_steps'? valid keys under agent.runtime: work_dir,"
                + " max_steps, unsafe_mode, allowed_imports, exec_timeout, max_output_chars, shell,"
                + " context");
  }

  @Test
  void contextSettingsAreCheckedWithTheirLines() throws IOException {
    AgentFileException key =
        failure(
            """
        agent:
          name: A
        """
                + MODEL
                + """
          runtime:
            context:
              keep_recnt: 3
        """);
    assertAt(key, "agent.runtime.context.keep_recnt", 6);
    assertThat(key.getMessage()).contains("did you mean 'keep_recent'?");

    AgentFileException share =
        failure(
            """
        agent:
          name: A
        """
                + MODEL
                + """
          runtime:
            context:
              summarize_at: 75
        """);
    assertAt(share, "agent.runtime.context.summarize_at", 6);
    assertThat(share.getMessage()).contains("a share of the window between 0.01 and 1.0");

    AgentFileException window =
        failure(
            """
        agent:
          name: A
        """
                + MODEL
                + """
          runtime:
            context:
              window_tokens: 200k
        """);
    assertAt(window, "agent.runtime.context.window_tokens", 6);
    assertThat(window.getMessage()).contains("a whole number of tokens of at least 1000");

    AgentFileException keep =
        failure(
            """
        agent:
          name: A
        """
                + MODEL
                + """
          runtime:
            context:
              keep_recent: 0
        """);
    assertAt(keep, "agent.runtime.context.keep_recent", 6);
  }

  @Test
  void unknownShellKeyGetsADidYouMeanWithItsLine() throws IOException {
    AgentFileException e =
        failure(
            """
        agent:
          name: A
        """
                + MODEL
                + """
          runtime:
            shell:
              evn: {A: b}
        """);

    assertAt(e, "agent.runtime.shell.evn", 6);
    assertThat(e.getMessage()).contains("unknown key 'evn'; did you mean 'env'?");
  }

  @Test
  void shellConfineIsOneOfThreeWordsAndLimitsAreChecked() throws IOException {
    AgentFileException confine =
        failure(
            """
        agent:
          name: A
        """
                + MODEL
                + """
          runtime:
            shell:
              confine: allways
        """);
    assertAt(confine, "agent.runtime.shell.confine", 6);
    assertThat(confine.getMessage())
        .contains("must be one of auto, always, never")
        .contains("did you mean 'always'?");

    AgentFileException limitKey =
        failure(
            """
        agent:
          name: A
        """
                + MODEL
                + """
          runtime:
            shell:
              limits:
                proceses: 5
        """);
    assertAt(limitKey, "agent.runtime.shell.limits.proceses", 7);
    assertThat(limitKey.getMessage()).contains("did you mean 'processes'?");

    AgentFileException zero =
        failure(
            """
        agent:
          name: A
        """
                + MODEL
                + """
          runtime:
            shell:
              limits: {open_files: 0}
        """);
    assertAt(zero, "agent.runtime.shell.limits.open_files", 6);

    AgentFileException network =
        failure(
            """
        agent:
          name: A
        """
                + MODEL
                + """
          runtime:
            shell:
              network: sometimes
        """);
    assertAt(network, "agent.runtime.shell.network", 6);
  }

  @Test
  void shellEnvNeedsVariableNamesAndTextValues() throws IOException {
    AgentFileException badName =
        failure(
            """
        agent:
          name: A
        """
                + MODEL
                + """
          runtime:
            shell:
              env:
                GOOD: yes
                "BAD NAME": x
        """);
    assertAt(badName, "agent.runtime.shell.env.BAD NAME", 8);
    assertThat(badName.getMessage()).contains("is not a variable name");

    AgentFileException list =
        failure(
            """
        agent:
          name: A
        """
                + MODEL
                + """
          runtime:
            shell:
              env:
                PATHS: [a, b]
        """);
    assertAt(list, "agent.runtime.shell.env.PATHS", 7);
    assertThat(list.getMessage()).contains("must be text");

    AgentFileException notAMap =
        failure(
            """
        agent:
          name: A
        """
                + MODEL
                + """
          runtime:
            shell:
              env: [A=b]
        """);
    assertAt(notAMap, "agent.runtime.shell.env", 6);
  }

  @Test
  void unknownKeyUnderAgentIsRefused() throws IOException {
    AgentFileException e =
        failure(
            """
        agent:
          name: A
          descripton: x
        """
                + MODEL);

    assertAt(e, "agent.descripton", 3);
    assertThat(e.getMessage()).contains("valid keys under agent: name, role, system_prompt");
  }

  @Test
  void unknownModelKeySuggestsTheClosest() throws IOException {
    AgentFileException e =
        failure(
            """
        agent:
          name: A
          model:
            provider: openai
            name: gpt-4o
            temprature: 0.3
        """);

    assertAt(e, "agent.model.temprature", 6);
    assertThat(e.getMessage()).contains("did you mean 'temperature'?");
  }

  @Test
  void unknownKeyWithNoCloseMatchListsTheValidKeysOnly() throws IOException {
    AgentFileException e =
        failure(
            """
        agent:
          name: A
        """
                + MODEL
                + """
          tools:
            - name: read_file
              colour: blue
        """);

    assertAt(e, "agent.tools[0].colour", 6);
    assertThat(e.getMessage())
        .doesNotContain("did you mean")
        .endsWith("valid keys in a tool entry: name, enabled, config");
  }

  @Test
  void agentSettingBesideTheAgentSectionMustBeIndented() throws IOException {
    AgentFileException e =
        failure(
            """
        agent:
          name: A
        model: {provider: openai, name: gpt-4o}
        """);

    assertAt(e, "model", 3);
    assertThat(e.getMessage()).contains("belongs under 'agent:'");
  }

  @Test
  void strangerBesideTheAgentSectionIsUnknown() throws IOException {
    AgentFileException e =
        failure(
            """
        version: 2
        agent:
          name: A
        """
                + MODEL);

    assertAt(e, "version", 1);
    assertThat(e.getMessage()).contains("unknown key 'version'").contains("valid keys at the top");
  }

  @Test
  void duplicateKeyIsRefusedNamingTheFirstLine() throws IOException {
    AgentFileException e =
        failure(
            """
        agent:
          name: A
          name: B
        """
                + MODEL);

    assertAt(e, "agent.name", 3);
    assertThat(e.getMessage()).contains("appears twice (first on line 2)");
  }

  @Test
  void mergeKeysAreRefusedPlainly() throws IOException {
    AgentFileException e =
        failure(
            """
        base: &base {provider: openai, name: gpt-4o}
        agent:
          name: A
          model:
            <<: *base
        """);

    assertThat(e.getMessage()).contains("unknown key 'base'");
    AgentFileException merge =
        failure(
            """
        name: A
        model:
          <<: {provider: openai}
          name: gpt-4o
        """);
    assertAt(merge, "model.<<", 3);
    assertThat(merge.getMessage()).contains("merge keys ('<<') are not supported");
  }

  @Test
  void keyThatIsNotPlainTextIsRefused() throws IOException {
    AgentFileException e =
        failure(
            """
        name: A
        ? [a, b]
        : 1
        """);

    assertAt(e, "", 2);
    assertThat(e.getMessage()).contains("keys must be plain names; found a list");
  }

  // Required settings

  @Test
  void missingNameIsReportedAtTheLineOfItsParentMapping() throws IOException {
    AgentFileException e =
        failure(
            """
        # comment
        agent:
          role: x
        """
                + MODEL);

    assertAt(e, "agent.name", 2);
    assertThat(e.getMessage()).contains("is required");
  }

  @Test
  void blankNameIsRefused() throws IOException {
    AgentFileException e = failure("agent:\n  name: '  '\n" + MODEL);

    assertAt(e, "agent.name", 2);
    assertThat(e.getMessage()).contains("must not be blank");
  }

  @Test
  void emptyNameIsRequired() throws IOException {
    AgentFileException e = failure("agent:\n  name:\n" + MODEL);

    assertAt(e, "agent.name", 2);
    assertThat(e.getMessage()).contains("is required but empty");
  }

  @Test
  void missingModelIsRequired() throws IOException {
    AgentFileException e = failure("name: A\nrole: B\n");

    assertAt(e, "model", 1);
    assertThat(e.getMessage()).contains("is required");
  }

  @Test
  void emptyAgentSectionIsRefused() throws IOException {
    AgentFileException e = failure("agent:\n");

    assertAt(e, "agent", 1);
    assertThat(e.getMessage()).contains("is empty");
  }

  @Test
  void missingProviderIsReportedAtTheModelLineAndListsTheKnownOnes() throws IOException {
    AgentFileException e =
        failure(
            """
        agent:
          name: A
          model:
            name: gpt-4o
        """);

    assertAt(e, "agent.model.provider", 3);
    assertThat(e.getMessage()).contains("anthropic, openai, replay, together");
  }

  @Test
  void modelNameIsRequiredForRealProviders() throws IOException {
    AgentFileException e = failure("agent:\n  name: A\n  model: {provider: anthropic}\n");

    assertAt(e, "agent.model.name", 3);
  }

  // Values

  private AgentFileException runtimeFailure(String line) throws IOException {
    return failure("agent:\n  name: A\n" + MODEL + "  runtime:\n    " + line + "\n");
  }

  @Test
  void unknownProviderListsTheKnownProviders() throws IOException {
    AgentFileException e =
        failure(
            """
        agent:
          name: A
          model:
            provider: gemini
            name: g
        """);

    assertAt(e, "agent.model.provider", 4);
    assertThat(e.getMessage())
        .endsWith(
            "unknown provider 'gemini'; known providers:" + " anthropic, openai, replay, together");
  }

  @Test
  void misspelledProviderGetsASuggestion() throws IOException {
    AgentFileException e = failure("name: A\nmodel: {provider: Anthropic, name: c}\n");

    assertThat(e.getMessage()).contains("did you mean 'anthropic'?");
  }

  @Test
  void maxStepsThatIsTextIsATypeError() throws IOException {
    AgentFileException e = runtimeFailure("max_steps: \"abc\"");

    assertAt(e, "agent.runtime.max_steps", 5);
    assertThat(e.getMessage()).endsWith("must be a positive whole number; found the text 'abc'");
  }

  @Test
  void quotedNumberIsATypeErrorWithAHint() throws IOException {
    AgentFileException e = runtimeFailure("max_steps: \"30\"");

    assertThat(e.getMessage()).endsWith("found the text '30'; write it without quotes");
  }

  @Test
  void maxStepsBelowOneIsRefused() throws IOException {
    assertAt(runtimeFailure("max_steps: 0"), "agent.runtime.max_steps", 5);
  }

  @Test
  void fractionalMaxStepsIsRefused() throws IOException {
    assertThat(runtimeFailure("max_steps: 2.5").getMessage()).contains("whole number");
  }

  @Test
  void hugeWholeNumberIsRefusedNotWrapped() throws IOException {
    assertAt(
        runtimeFailure("max_output_chars: 99999999999999999999999"),
        "agent.runtime.max_output_chars",
        5);
  }

  @Test
  void unsafeModeMustBeABoolean() throws IOException {
    AgentFileException e = runtimeFailure("unsafe_mode: 3");

    assertAt(e, "agent.runtime.unsafe_mode", 5);
    assertThat(e.getMessage()).endsWith("must be true or false; found the number '3'");
  }

  @Test
  void sectionThatIsNotAMappingIsATypeError() throws IOException {
    AgentFileException e = failure("agent:\n  name: A\n" + MODEL + "  runtime: [a]\n");

    assertAt(e, "agent.runtime", 4);
    assertThat(e.getMessage()).contains("found a list");
  }

  @Test
  void nameThatIsAListIsATypeError() throws IOException {
    AgentFileException e = failure("agent:\n  name: [a, b]\n" + MODEL);

    assertAt(e, "agent.name", 2);
    assertThat(e.getMessage()).contains("must be text; found a list");
  }

  @Test
  void execTimeoutMustBePositive() throws IOException {
    assertAt(runtimeFailure("exec_timeout: 0"), "agent.runtime.exec_timeout", 5);
    assertAt(runtimeFailure("exec_timeout: -1.5"), "agent.runtime.exec_timeout", 5);
    assertAt(runtimeFailure("exec_timeout: .nan"), "agent.runtime.exec_timeout", 5);
  }

  @Test
  void maxOutputCharsBelowAHundredIsRefused() throws IOException {
    AgentFileException e = runtimeFailure("max_output_chars: 99");

    assertAt(e, "agent.runtime.max_output_chars", 5);
    assertThat(e.getMessage()).contains("at least 100");
  }

  @Test
  void allowedImportsMustBeAList() throws IOException {
    AgentFileException e = runtimeFailure("allowed_imports: json");

    assertAt(e, "agent.runtime.allowed_imports", 5);
    assertThat(e.getMessage()).contains("a list of module names");
  }

  @Test
  void allowedImportMustBeAModuleName() throws IOException {
    AgentFileException e =
        failure(
            "agent:\n  name: A\n"
                + MODEL
                + """
          runtime:
            allowed_imports:
              - json
              - "os; import sys"
        """);

    assertAt(e, "agent.runtime.allowed_imports[1]", 7);
    assertThat(e.getMessage()).contains("a Python module name");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "sys",
        "os.path",
        "importlib.util",
        "inspect",
        "builtins",
        "_thread",
        "json._private",
        "ctypes",
        "dataclasses"
      })
  void modulesTheSandboxCannotHoldAreRefused(String module) throws IOException {
    AgentFileException e =
        failure(
            "agent:\n  name: A\n"
                + MODEL
                + """
          runtime:
            allowed_imports:
              - json
              - %s
        """
                    .formatted(module));

    assertAt(e, "agent.runtime.allowed_imports[1]", 7);
    assertThat(e.getMessage())
        .contains("'" + module + "'")
        .containsAnyOf("cannot be allowed", "private module");
  }

  @Test
  void workDirThatIsAFileIsRefused() throws IOException {
    write("taken", "a file");
    AgentFileException e = runtimeFailure("work_dir: ./taken");

    assertAt(e, "agent.runtime.work_dir", 5);
    assertThat(e.getMessage()).contains(dir.resolve("taken") + " is a file, not a folder");
  }

  @Test
  void workDirBelowAFileCannotBeCreated() throws IOException {
    write("taken", "a file");
    AgentFileException e = runtimeFailure("work_dir: taken/ws");

    assertAt(e, "agent.runtime.work_dir", 5);
    assertThat(e.getMessage()).contains("cannot create");
  }

  @Test
  void fileWithMistakesCreatesNoWorkDir() throws IOException {
    failure("agent:\n  name: A\n" + MODEL + "  runtime: {work_dir: ws}\n  tools: {}\n");

    assertThat(dir.resolve("ws")).doesNotExist();
  }

  @Test
  void temperatureOutsideZeroToTwoIsRefused() throws IOException {
    AgentFileException e =
        failure("name: A\nmodel:\n  provider: openai\n  name: m\n" + "  temperature: 2.5\n");

    assertAt(e, "model.temperature", 5);
    assertThat(e.getMessage()).contains("a number from 0 to 2");
  }

  @Test
  void maxTokensMustBePositive() throws IOException {
    assertAt(
        failure("name: A\nmodel: {provider: openai, name: m, max_tokens: 0}\n"),
        "model.max_tokens",
        2);
  }

  @Test
  void maxRetriesMayBeZeroButNotNegative() throws IOException {
    AgentFileException e =
        failure("name: A\nmodel: {provider: openai, name: m, max_retries: -1}\n");

    assertAt(e, "model.max_retries", 2);
    assertThat(e.getMessage()).contains("at least 0");
  }

  @Test
  void requestTimeoutMustBeAPositiveNumberOfSeconds() throws IOException {
    AgentFileException e =
        failure("name: A\nmodel: {provider: openai, name: m," + " request_timeout: soon}\n");

    assertAt(e, "model.request_timeout", 2);
    assertThat(e.getMessage()).contains("number of seconds");
  }

  @Test
  void baseUrlMustBeAnAbsoluteHttpUrl() throws IOException {
    String yaml = "name: A\nmodel:\n  provider: openai\n  name: m\n  base_url: %s\n";
    for (String url : new String[] {"localhost:8080", "ftp://host/x", "/v1", "http://"}) {
      AgentFileException e = failure(yaml.formatted(url));
      assertAt(e, "model.base_url", 5);
      assertThat(e.getMessage()).contains("absolute http or https URL");
    }
  }

  @Test
  void apiKeyEnvMustNameAVariableAndTheValueIsNotEchoed() throws IOException {
    AgentFileException e =
        failure(
            "name: A\nmodel:\n  provider: openai\n  name: m\n"
                + "  api_key_env: sk-proj-SECRET123\n");

    assertAt(e, "model.api_key_env", 5);
    assertThat(e.getMessage()).contains("environment variable").doesNotContain("SECRET");
  }

  // Files the agent file names

  @Test
  void missingPromptFileNamesTheFieldLineAndThePath() throws IOException {
    AgentFileException e =
        failure(
            """
        agent:
          name: A
          system_prompt: "./prompts/missing.md"
        """
                + MODEL);

    assertAt(e, "agent.system_prompt", 3);
    assertThat(e.getMessage())
        .contains(dir.resolve("prompts/missing.md").toString())
        .contains("does not exist");
  }

  @Test
  void promptFileThatIsAFolderIsRefused() throws IOException {
    Files.createDirectories(dir.resolve("prompts.md"));

    AgentFileException e = failure("agent:\n  name: A\n  system_prompt: prompts.md\n" + MODEL);

    assertAt(e, "agent.system_prompt", 3);
    assertThat(e.getMessage()).contains("is a folder");
  }

  @Test
  void replayRequiresACassette() throws IOException {
    AgentFileException e = failure("agent:\n  name: A\n  model:\n    provider: replay\n");

    assertAt(e, "agent.model.cassette", 3);
    assertThat(e.getMessage()).contains("is required");
  }

  @Test
  void replayCassetteMustExist() throws IOException {
    AgentFileException e =
        failure(
            "agent:\n  name: A\n  model:\n    provider: replay\n"
                + "    cassette: ./tapes/none.json\n");

    assertAt(e, "agent.model.cassette", 5);
    assertThat(e.getMessage())
        .contains(dir.resolve("tapes/none.json").toString())
        .contains("does not exist");
  }

  @Test
  void cassetteIsRefusedForOtherProviders() throws IOException {
    write("c.json", "{}");
    AgentFileException e =
        failure("name: A\nmodel:\n  provider: openai\n  name: m\n" + "  cassette: c.json\n");

    assertAt(e, "model.cassette", 5);
    assertThat(e.getMessage()).contains("only the replay provider reads a cassette");
  }

  @Test
  void baseUrlIsRefusedForReplay() throws IOException {
    write("c.json", "{}");
    AgentFileException e =
        failure(
            "name: A\nmodel: {provider: replay, cassette: c.json," + " base_url: 'http://x'}\n");

    assertAt(e, "model.base_url", 2);
  }

  // Tools

  private AgentFileException toolsFailure(String tools) throws IOException {
    return failure("agent:\n  name: A\n" + MODEL + "  tools:\n" + tools);
  }

  @Test
  void toolsMustBeAList() throws IOException {
    AgentFileException e = failure("agent:\n  name: A\n" + MODEL + "  tools: {}\n");

    assertAt(e, "agent.tools", 4);
    assertThat(e.getMessage()).contains("must be a list of tools").contains("found a mapping");
  }

  @Test
  void toolEntryMustBeAMapping() throws IOException {
    AgentFileException e = toolsFailure("    - write_file\n");

    assertAt(e, "agent.tools[0]", 5);
    assertThat(e.getMessage()).contains("- name: write_file");
  }

  @Test
  void toolNameIsRequired() throws IOException {
    AgentFileException e = toolsFailure("    - name: read_file\n    - enabled: true\n");

    assertAt(e, "agent.tools[1].name", 6);
  }

  @Test
  void toolNameMustBeAPythonIdentifier() throws IOException {
    assertThat(toolsFailure("    - name: fetch-url\n").getMessage())
        .contains("agent.tools[0].name: tool name 'fetch-url' is not a Python identifier");
    assertThat(toolsFailure("    - name: 2fetch\n").getMessage())
        .contains("is not a Python identifier");
    assertThat(toolsFailure("    - name: _hidden\n").getMessage()).contains("starts with '_'");
    assertThat(toolsFailure("    - name: lambda\n").getMessage()).contains("Python keyword");
  }

  @Test
  void duplicateToolIsRefused() throws IOException {
    AgentFileException e =
        toolsFailure(
            """
            - name: read_file
            - name: write_file
            - name: read_file
              enabled: false
        """);

    assertAt(e, "agent.tools[2].name", 7);
    assertThat(e.getMessage()).contains("already listed on line 5");
  }

  @Test
  void requirePermissionMustBeABoolean() throws IOException {
    AgentFileException e =
        toolsFailure(
            """
            - name: write_file
              config:
                require_permission: "true"
        """);

    assertAt(e, "agent.tools[0].config.require_permission", 7);
    assertThat(e.getMessage()).contains("true or false").contains("without quotes");
  }

  @Test
  void runCommandTimeoutMustBePositive() throws IOException {
    AgentFileException e =
        toolsFailure(
            """
            - name: run_command
              config: {timeout: -5}
        """);

    assertAt(e, "agent.tools[0].config.timeout", 6);
    assertThat(e.getMessage()).contains("seconds");
  }

  @Test
  void unknownSettingOfABuiltInToolIsRefused() throws IOException {
    AgentFileException e =
        toolsFailure(
            """
            - name: run_command
              config:
                timout: 5
        """);

    assertAt(e, "agent.tools[0].config.timout", 7);
    assertThat(e.getMessage())
        .contains("did you mean 'timeout'?")
        .contains("valid keys for the built-in run_command tool: require_permission, timeout");
  }

  @Test
  void timeoutIsOnlyARunCommandSetting() throws IOException {
    AgentFileException e = toolsFailure("    - name: read_file\n      config: {timeout: 5}\n");

    assertAt(e, "agent.tools[0].config.timeout", 6);
  }

  @Test
  void thinkAndDoneCannotBeDisabled() throws IOException {
    AgentFileException e = toolsFailure("    - name: done\n      enabled: false\n");

    assertAt(e, "agent.tools[0].enabled", 6);
    assertThat(e.getMessage()).contains("the done tool cannot be disabled");
    assertThat(toolsFailure("    - {name: think, enabled: no}\n").getMessage())
        .contains("the think tool cannot be disabled");
  }

  @Test
  void enabledMustBeABoolean() throws IOException {
    assertAt(toolsFailure("    - {name: read_file, enabled: 1}\n"), "agent.tools[0].enabled", 5);
  }

  @Test
  void customToolSettingWithoutValueIsRefused() throws IOException {
    AgentFileException e =
        toolsFailure(
            """
            - name: fetch_url
              config:
                hosts: [a, ~]
        """);

    assertAt(e, "agent.tools[0].config.hosts[1]", 7);
    assertThat(e.getMessage()).contains("has no value");
  }

  @Test
  void customToolSettingThatContainsItselfIsRefused() throws IOException {
    AgentFileException e =
        toolsFailure(
            """
            - name: fetch_url
              config:
                loop: &x [1, *x]
        """);

    assertThat(e.field()).isEqualTo("agent.tools[0].config.loop[1]");
    assertThat(e.getMessage()).contains("contains itself");
  }
}
