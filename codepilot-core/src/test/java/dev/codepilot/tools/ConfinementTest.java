package dev.codepilot.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file tools reach only the workspace: {@code ..}, absolute paths and symbolic links made
 * before the run cannot lead them outside, unless unsafe_mode is on.
 */
class ConfinementTest {

  @TempDir static Path temp;

  private static Path workDir;
  private static Path outside;
  private static Agent agent;

  @BeforeAll
  static void start() throws Exception {
    workDir = Files.createDirectories(temp.resolve("ws"));
    outside = Files.createDirectories(temp.resolve("outside"));
    Files.writeString(outside.resolve("secret.txt"), "top secret\n");
    Files.createSymbolicLink(workDir.resolve("link-file"), outside.resolve("secret.txt"));
    Files.createSymbolicLink(workDir.resolve("link-dir"), outside);
    Files.createSymbolicLink(workDir.resolve("relative-link"), Path.of("../outside"));
    Files.createSymbolicLink(workDir.resolve("dangling"), outside.resolve("planted.txt"));
    Files.writeString(workDir.resolve("real.txt"), "inside\n");
    Files.createSymbolicLink(workDir.resolve("inner-link"), Path.of("real.txt"));
    agent = Agent.in(workDir);
  }

  @AfterAll
  static void stop() {
    agent.close();
  }

  /** Runs each call in its own try and prints the exception type and message. */
  private static String attempts(String... calls) {
    StringBuilder code = new StringBuilder();
    for (String call : calls) {
      code.append("try:\n    ")
          .append(call)
          .append("\nexcept Exception as e:\n")
          .append("    print(type(e).__name__ + ':', e)\n");
    }
    String[] payloads =
        java.util.Arrays.stream(calls)
            .filter(c -> c.startsWith("write_file"))
            .map(c -> "planted\n")
            .toArray(String[]::new);
    return agent.step(code.toString(), payloads);
  }

  @Test
  void dotDotCannotLeaveTheWorkspace() {
    String result =
        attempts(
            "read_file('../outside/secret.txt')",
            "write_file('sub/../../outside/planted.txt')",
            "read_file('real.txt/../../outside/secret.txt')");

    assertThat(result.lines())
        .hasSize(3)
        .allSatisfy(
            line ->
                assertThat(line)
                    .startsWith("PermissionError: Access denied: '")
                    .contains("is outside the workspace"));
    assertThat(outside.resolve("planted.txt")).doesNotExist();
  }

  @Test
  void absolutePathsOutsideAreRefused() {
    String result =
        attempts(
            "read_file('" + outside.resolve("secret.txt") + "')",
            "write_file('/tmp/codepilot-planted.txt')");

    assertThat(result.lines())
        .hasSize(2)
        .allSatisfy(line -> assertThat(line).startsWith("PermissionError: Access denied"));
    assertThat(Path.of("/tmp/codepilot-planted.txt")).doesNotExist();
  }

  @Test
  void aLinkToAFileOutsideCannotBeReadOrWritten() throws Exception {
    String result =
        attempts(
            "read_file('link-file')",
            "write_file('link-file')",
            "write_file('link-file', mode='a')");

    assertThat(result.lines())
        .hasSize(3)
        .allSatisfy(
            line -> assertThat(line).startsWith("PermissionError: Access denied: 'link-file'"));
    assertThat(Files.readString(outside.resolve("secret.txt"))).isEqualTo("top secret\n");
  }

  @Test
  void aLinkToAFolderOutsideCannotBeUsed() throws Exception {
    String result =
        attempts(
            "read_file('link-dir/secret.txt')",
            "write_file('link-dir/planted.txt')",
            "read_file('relative-link/secret.txt')",
            "write_file('relative-link/new/planted.txt')");

    assertThat(result.lines())
        .hasSize(4)
        .allSatisfy(line -> assertThat(line).startsWith("PermissionError: Access denied"));
    assertThat(outside.resolve("planted.txt")).doesNotExist();
    assertThat(outside.resolve("new")).doesNotExist();
  }

  @Test
  void aDanglingLinkCannotPlantAFileOutside() {
    String result = attempts("write_file('dangling')");

    assertThat(result).startsWith("PermissionError: Access denied: 'dangling'");
    assertThat(outside.resolve("planted.txt")).doesNotExist();
  }

  @Test
  void pathsThatStayInsideWork() throws Exception {
    String result =
        agent.step(
            """
        print(read_file('inner-link'))
        print(read_file('sub/../real.txt'))
        write_file('%s')"""
                .formatted(workDir.resolve("absolute-inside.txt")),
            "ok\n");

    assertThat(result)
        .startsWith(
            """
        'real.txt' (lines 1–1 of 1)
            1 | inside
        'real.txt' (lines 1–1 of 1)
            1 | inside""")
        .endsWith("Wrote 'absolute-inside.txt' (3 bytes, 1 lines)");
    assertThat(Files.readString(workDir.resolve("absolute-inside.txt"))).isEqualTo("ok\n");
  }

  @Test
  void anUncaughtPermissionErrorIsReportedAndTheRunGoesOn() {
    String result = agent.step("read_file('../outside/secret.txt')\nprint('not reached')");

    assertThat(result)
        .startsWith("EXECUTION ERROR:")
        .contains("PermissionError: Access denied")
        .doesNotContain("not reached");
  }

  @Test
  void unsafeModeAllowsPathsOutside() throws Exception {
    try (Agent unsafe = Agent.in(workDir, Agent::unsafe)) {
      String result =
          unsafe.step(
              "print(read_file('link-file'))\n" + "write_file('../outside/allowed.txt')",
              "written outside\n");

      assertThat(result)
          .startsWith(
              "'"
                  + outside.toRealPath().resolve("secret.txt")
                  + "' (lines 1–1 of 1)\n    1 | top secret");
      assertThat(Files.readString(outside.resolve("allowed.txt"))).isEqualTo("written outside\n");
    }
  }

  @Test
  void aFileWithMoreThanOneHardLinkIsReadButNotWritten() throws Exception {
    Path secret = Files.writeString(outside.resolve("linked.txt"), "linked secret\n");
    Files.createLink(workDir.resolve("hard.txt"), secret);

    String result =
        attempts(
            "write_file('hard.txt')",
            "write_file('hard.txt', mode='a')",
            "write_file('hard.txt', start_line=1, mode='edit')",
            "write_file('hard.txt', after_line=0, mode='insert')");

    assertThat(result.lines())
        .hasSize(4)
        .allSatisfy(
            line ->
                assertThat(line)
                    .startsWith(
                        "PermissionError: write_file(): refused 'hard.txt': it has 2 hard links"));
    assertThat(Files.readString(secret)).isEqualTo("linked secret\n");
    assertThat(agent.step("read_file('hard.txt')"))
        .isEqualTo("'hard.txt' (lines 1–1 of 1)\n    1 | linked secret");
  }

  @Test
  void errorsNameNoHostPathOfTheWorkspace() throws Exception {
    Files.createDirectories(workDir.resolve("folder"));
    Files.createSymbolicLink(workDir.resolve("loop-a"), Path.of("loop-b"));
    Files.createSymbolicLink(workDir.resolve("loop-b"), Path.of("loop-a"));
    new ProcessBuilder("mkfifo", workDir.resolve("fifo").toString()).start().waitFor();
    String absolute = workDir.toString();
    String real = workDir.toRealPath().toString();

    String result =
        attempts(
            "read_file('../outside/secret.txt')",
            "read_file('" + absolute + "/../outside/secret.txt')",
            "read_file('" + real + "/missing.txt')",
            "read_file('" + absolute + "')",
            "read_file('nope/x.txt')",
            "write_file('real.txt/x.txt')",
            "read_file('folder')",
            "write_file('folder')",
            "read_file('loop-a/x')",
            "read_file('fifo')",
            "write_file('" + absolute + "/real.txt/x', mode='edit', start_line=1)",
            "read_file('link-dir/secret.txt')",
            "read_file('" + absolute + "/link-file')");

    assertThat(result.lines())
        .hasSize(13)
        .allSatisfy(
            line ->
                assertThat(line)
                    .doesNotContain(absolute)
                    .doesNotContain(real)
                    .doesNotContain(temp.toString())
                    .matches("[A-Za-z]+Error: .*"));
    assertThat(result)
        .contains(
            "PermissionError: Access denied: '../outside/secret.txt' is" + " outside the workspace",
            "FileNotFoundError: No such file: 'missing.txt'",
            "IsADirectoryError: '.' is a directory",
            "PermissionError: Access denied: 'link-file' is outside the workspace");
  }

  @Test
  void anErrorOfAnyToolHasTheWorkspacePathMadeRelative() throws Exception {
    Workspace workspace = new Workspace(workDir, false);
    assertThat(
            workspace.scrub(
                "cannot run in "
                    + workDir
                    + " nor in "
                    + workDir.toRealPath()
                    + "/sub/x.txt, but "
                    + workDir
                    + "-other and /etc stay"))
        .isEqualTo("cannot run in . nor in sub/x.txt, but " + workDir + "-other and /etc stay");
  }

  @Test
  void aCommandThatCannotStartInTheWorkspaceDoesNotNameItsHostPath() throws Exception {
    Path gone = Files.createDirectories(temp.resolve("gone/ws"));
    Workspace workspace = new Workspace(gone, false);
    Files.delete(gone);
    ToolRegistry registry = new ToolRegistry();
    registry.register(BuiltinTools.runCommand());

    ToolReply reply =
        new ToolDispatcher(
                registry,
                new dev.codepilot.testing.FixedContext(workspace),
                java.util.Collections.emptyIterator())
            .dispatch("run_command", java.util.Map.of("command", "echo hi"));

    assertThat(reply)
        .isInstanceOfSatisfying(
            ToolReply.Raised.class,
            raised -> {
              assertThat(raised.pythonType()).isEqualTo("OSError");
              assertThat(raised.message())
                  .contains("cannot start the shell")
                  .doesNotContain(gone.toString())
                  .doesNotContain(temp.toString());
            });
  }
}
