package dev.codepilot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a command sees of the environment {@code codepilot} was started with: the allow-listed
 * variables and the agent file's {@code runtime.shell.env}, and none of its secrets.
 */
@DisabledOnOs(OS.WINDOWS)
class CommandEnvironmentTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Secret-looking variables of every kind the runtime may be started with. */
  private static final Map<String, String> SECRETS =
      Map.of(
          "ANTHROPIC_API_KEY", "sk-canary-anthropic",
          "OPENAI_API_KEY", "sk-canary-openai",
          "CODEPILOT_TOKEN", "canary-server-token",
          "AWS_SECRET_ACCESS_KEY", "canary-aws",
          "FOO_TOKEN", "canary-foo",
          "LD_PRELOAD", "/nonexistent/canary.so",
          "http_proxy", "http://canary.invalid:1");

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"never", "always"})
  void foregroundAndBackgroundCommandsSeeTheAllowListAndShellEnvButNoSecrets(String confine)
      throws Exception {
    if (confine.equals("always")) {
      ConfinementTest.assumeBubblewrap();
    }
    Files.writeString(
        dir.resolve("c.json"),
        JSON.writeValueAsString(
            Map.of(
                "responses",
                List.of(
                    "```python\nrun_command('env > fg-env.txt')\n"
                        + "run_command('env > bg.tmp && mv bg.tmp bg-env.txt', background=True)\n```",
                    "```python\nrun_command('while [ ! -f bg-env.txt ]; do sleep 0.1; done', timeout=20)\n"
                        + "done('read the environment')\n```"))));
    Path agent = dir.resolve("agent.yaml");
    Files.writeString(
        agent,
        """
        agent:
          name: "Env"
          model:
            provider: "replay"
            cassette: "./c.json"
          runtime:
            work_dir: "./ws"
            shell:
              confine: %s
              env:
                GREETING: "hello from the agent file"
                BUILD_MODE: 3
        """
            .formatted(confine));
    Map<String, String> env = new LinkedHashMap<>(SECRETS);
    env.putAll(
        Map.of(
            "LANG",
            "C.UTF-8",
            "LC_ALL",
            "C.UTF-8",
            "TZ",
            "Europe/Paris",
            "TERM",
            "xterm-canary",
            "PATH",
            "/usr/local/bin:/usr/bin:/bin"));

    Cli.Result result = Cli.run(dir, env, "run", agent.toString(), "show the environment");

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    for (String file : List.of("fg-env.txt", "bg-env.txt")) {
      Map<String, String> seen = parse(Files.readString(dir.resolve("ws").resolve(file)));
      assertThat(seen)
          .as(file)
          .containsEntry("PATH", "/usr/local/bin:/usr/bin:/bin")
          .containsEntry("LANG", "C.UTF-8")
          .containsEntry("LC_ALL", "C.UTF-8")
          .containsEntry("TZ", "Europe/Paris")
          .containsEntry("TERM", "xterm-canary")
          .containsEntry("GREETING", "hello from the agent file")
          .containsEntry("BUILD_MODE", "3")
          .containsKey("HOME")
          .doesNotContainKeys(SECRETS.keySet().toArray(String[]::new));
      for (String secret : SECRETS.values()) {
        assertThat(seen.values()).as(file).noneMatch(value -> value.contains(secret));
      }
    }
  }

  private static Map<String, String> parse(String envOutput) {
    Map<String, String> variables = new LinkedHashMap<>();
    for (String line : envOutput.split("\n")) {
      int equals = line.indexOf('=');
      if (equals > 0) {
        variables.put(line.substring(0, equals), line.substring(equals + 1));
      }
    }
    return variables;
  }
}
