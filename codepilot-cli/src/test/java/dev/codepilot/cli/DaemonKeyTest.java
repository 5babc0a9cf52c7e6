package dev.codepilot.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.codepilot.daemon.DaemonFolders;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which commands share a daemon, and how long an idle daemon lives. */
class DaemonKeyTest {

  private static final List<String> JAVA = List.of("/jdk/bin/java", "-cp", "cli.jar");
  private static final Path DIR = Path.of("/work/project");

  @Test
  void shellBookkeepingVariablesDoNotChangeTheDaemon() {
    Map<String, String> env = env();
    Map<String, String> otherShell = env();
    otherShell.put("SHLVL", "3");
    otherShell.put("_", "/usr/bin/env");
    otherShell.put("OLDPWD", "/elsewhere");
    otherShell.put("COLUMNS", "200");
    otherShell.put("LINES", "50");

    assertThat(DaemonFolders.key("b1", JAVA, DIR, otherShell))
        .isEqualTo(DaemonFolders.key("b1", JAVA, DIR, env));
  }

  @Test
  void anythingACommandCanSeeMakesAnotherDaemon() {
    String key = DaemonFolders.key("b1", JAVA, DIR, env());
    Map<String, String> apiKey = env();
    apiKey.put("OPENAI_API_KEY", "sk-other");
    Map<String, String> path = env();
    path.put("PATH", "/opt/bin:/usr/bin");

    assertThat(
            List.of(
                DaemonFolders.key("b2", JAVA, DIR, env()),
                DaemonFolders.key(
                    "b1", List.of("/jdk/bin/java", "-Xmx1g", "-cp", "cli.jar"), DIR, env()),
                DaemonFolders.key("b1", JAVA, Path.of("/work/other"), env()),
                DaemonFolders.key("b1", JAVA, DIR, apiKey),
                DaemonFolders.key("b1", JAVA, DIR, path)))
        .doesNotContain(key)
        .doesNotHaveDuplicates();
  }

  @Test
  void theIdleLimitReadsSecondsMinutesAndHours() {
    assertThat(Daemon.idleLimit(null)).isEqualTo(Duration.ofHours(3));
    assertThat(Daemon.idleLimit("")).isEqualTo(Duration.ofHours(3));
    assertThat(Daemon.idleLimit("45s")).isEqualTo(Duration.ofSeconds(45));
    assertThat(Daemon.idleLimit("20m")).isEqualTo(Duration.ofMinutes(20));
    assertThat(Daemon.idleLimit("2H")).isEqualTo(Duration.ofHours(2));
    assertThat(Daemon.idleLimit("90")).isEqualTo(Duration.ofSeconds(90));
    for (String bad : List.of("soon", "0s", "-5m", "3d", "m")) {
      assertThatThrownBy(() -> Daemon.idleLimit(bad))
          .hasMessageContaining("CODEPILOT_DAEMON_IDLE='" + bad + "'")
          .hasMessageContaining("30s, 20m or 3h");
    }
  }

  private static Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("PATH", "/usr/bin");
    env.put("HOME", "/home/me");
    env.put("SHLVL", "1");
    return env;
  }
}
