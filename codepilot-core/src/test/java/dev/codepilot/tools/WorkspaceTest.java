package dev.codepilot.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one path check, and the write that must not follow a link planted after it. */
class WorkspaceTest {

  @TempDir Path temp;

  private Path root;
  private Path outside;
  private Workspace workspace;

  @BeforeEach
  void setUp() throws Exception {
    root = Files.createDirectories(temp.resolve("ws"));
    outside = Files.createDirectories(temp.resolve("outside"));
    workspace = new Workspace(root, false);
  }

  @Test
  void resolvesRelativePathsInsideTheRealWorkspace() throws Exception {
    assertThat(workspace.resolve("a/b/../c.txt")).isEqualTo(root.toRealPath().resolve("a/c.txt"));
    assertThat(workspace.resolve(".")).isEqualTo(root.toRealPath());
    assertThat(workspace.display(workspace.resolve("a/c.txt")))
        .isEqualTo("a" + java.io.File.separator + "c.txt");
  }

  @Test
  void followsChainsOfLinksToWhereTheyReallyEnd() throws Exception {
    Files.createSymbolicLink(root.resolve("first"), Path.of("second"));
    Files.createSymbolicLink(root.resolve("second"), outside);

    assertThatThrownBy(() -> workspace.resolve("first/file.txt"))
        .isInstanceOfSatisfying(
            ToolException.class, e -> assertThat(e.pythonType()).isEqualTo("PermissionError"));
  }

  @Test
  void aLinkLoopIsAnOsError() throws Exception {
    Files.createSymbolicLink(root.resolve("loop-a"), Path.of("loop-b"));
    Files.createSymbolicLink(root.resolve("loop-b"), Path.of("loop-a"));

    assertThatThrownBy(() -> workspace.resolve("loop-a/x"))
        .isInstanceOfSatisfying(
            ToolException.class,
            e -> {
              assertThat(e.pythonType()).isEqualTo("OSError");
              assertThat(e.getMessage()).contains("too many levels of symbolic links");
            });
  }

  @Test
  void emptyAndNulPathsAreValueErrors() {
    assertThatThrownBy(() -> workspace.resolve(" "))
        .isInstanceOfSatisfying(
            ToolException.class, e -> assertThat(e.pythonType()).isEqualTo("ValueError"));
    assertThatThrownBy(() -> workspace.resolve("a\0b"))
        .isInstanceOfSatisfying(
            ToolException.class, e -> assertThat(e.pythonType()).isEqualTo("ValueError"));
  }

  @Test
  void specialFilesInsideResolveInPlace() throws Exception {
    Process mkfifo = new ProcessBuilder("mkfifo", root.resolve("pipe").toString()).start();
    assertThat(mkfifo.waitFor()).isZero();

    assertThat(workspace.resolve("pipe")).isEqualTo(root.toRealPath().resolve("pipe"));
  }

  @Test
  void aLinkPlantedAfterTheCheckIsNotFollowedByTheWrite() throws Exception {
    Path target = outside.resolve("victim.txt");
    Files.writeString(target, "untouched\n");
    try (Workspace.Located checked = workspace.locate("race.txt", false)) {
      Files.createSymbolicLink(root.resolve("race.txt"), target);

      assertThatThrownBy(
              () ->
                  TextFiles.write(
                      checked, "write_file", "planted\n".getBytes(StandardCharsets.UTF_8), false))
          .isInstanceOfSatisfying(
              ToolException.class,
              e -> {
                assertThat(e.pythonType()).isEqualTo("PermissionError");
                assertThat(e.getMessage()).contains("a symbolic link appeared");
              });
      assertThatThrownBy(
              () ->
                  TextFiles.append(
                      checked, "write_file", "planted\n".getBytes(StandardCharsets.UTF_8)))
          .isInstanceOf(ToolException.class);
    }
    assertThat(Files.readString(target)).isEqualTo("untouched\n");
  }

  @Test
  void aFolderSwappedForALinkAfterTheWalkCannotRedirectTheWriteOrRead() throws Exception {
    Files.createDirectories(root.resolve("d"));
    Files.writeString(root.resolve("d/x.txt"), "inside\n");
    Files.writeString(outside.resolve("x.txt"), "outside\n");
    try (Workspace.Located reading = workspace.locate("d/x.txt", false);
        Workspace.Located writing = workspace.locate("d/x.txt", false)) {
      Files.move(root.resolve("d"), root.resolve("d-aside"));
      Files.createSymbolicLink(root.resolve("d"), outside);

      assertThat(TextFiles.readStrict(reading, "read_file")).isEqualTo("inside\n");
      // The write is opened in the real folder too; its link count, which Java reads by path
      // only, is then found on another file, so the write is refused rather than risked.
      assertThatThrownBy(
              () ->
                  TextFiles.write(
                      writing, "write_file", "planted\n".getBytes(StandardCharsets.UTF_8), false))
          .isInstanceOfSatisfying(
              ToolException.class,
              e -> {
                assertThat(e.pythonType()).isEqualTo("PermissionError");
                assertThat(e.getMessage()).contains("the path changed");
              });
    }
    assertThat(Files.readString(outside.resolve("x.txt"))).isEqualTo("outside\n");
    assertThat(Files.readString(root.resolve("d-aside/x.txt"))).isEqualTo("inside\n");
  }

  @Test
  void theWorkspaceFolderReplacedByALinkIsRefused() throws Exception {
    Files.move(root, temp.resolve("moved"));
    Files.createSymbolicLink(root, outside);

    assertThatThrownBy(() -> workspace.resolve("x.txt"))
        .isInstanceOfSatisfying(
            ToolException.class,
            e -> {
              assertThat(e.pythonType()).isEqualTo("OSError");
              assertThat(e.getMessage()).contains("workspace folder was moved or replaced");
            });
  }

  @Test
  void unsafeModeResolvesOutsidePaths() throws Exception {
    Workspace unsafe = new Workspace(root, true);
    assertThat(unsafe.resolve("../outside/x")).isEqualTo(outside.toRealPath().resolve("x"));
  }
}
