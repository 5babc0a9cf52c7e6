package dev.codepilot.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.codepilot.testing.FixedContext;
import dev.codepilot.tools.BuiltinTools;
import dev.codepilot.tools.ToolDispatcher;
import dev.codepilot.tools.ToolException;
import dev.codepilot.tools.ToolRegistry;
import dev.codepilot.tools.ToolReply;
import dev.codepilot.tools.Workspace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * The one path check against generated paths and generated symbolic-link layouts on the real file
 * system. The oracle is independent of {@link Workspace}: each generated path is written through
 * the real {@code write_file} tool with a unique content, and the whole tree is then searched for
 * where that content really landed. It must have landed inside the workspace, or nowhere; and
 * whenever the operating system itself resolves the path to somewhere outside, the check must have
 * refused it.
 */
class PathCheckFuzzTest {

  private static final List<String> NAMES = List.of("a", "b", "dir", "file.txt", "l1", "l2", "l3");

  /** One link: its folder (inside the workspace or outside), its name and its target text. */
  record LinkSpec(boolean inWorkspace, String name, String target) {}

  @Provide
  Arbitrary<List<LinkSpec>> layouts() {
    Arbitrary<String> targets =
        Arbitraries.oneOf(
            Arbitraries.of(
                "..",
                "../..",
                "../outside",
                "../outside/secret.txt",
                "/",
                "dir",
                "a/b",
                ".",
                "l1",
                "l2",
                "l3",
                "../ws",
                "../ws/dir",
                "missing",
                "../outside/missing/x",
                "dir/../..",
                "OUT",
                "OUT/secret.txt",
                "WS/dir",
                "WS/../outside"),
            segmentPaths());
    Arbitrary<LinkSpec> link =
        Combinators.combine(
                Arbitraries.of(true, true, false),
                Arbitraries.of("l1", "l2", "l3", "dir/l1", "a/l2"),
                targets)
            .as(LinkSpec::new);
    return link.list().ofMaxSize(5);
  }

  @Provide
  Arbitrary<String> paths() {
    return Arbitraries.oneOf(
        segmentPaths(),
        segmentPaths().map(p -> "OUT/" + p),
        segmentPaths().map(p -> "WS/" + p),
        segmentPaths().map(p -> p + "/"));
  }

  private static Arbitrary<String> segmentPaths() {
    Arbitrary<String> segment =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(4, Arbitraries.of(NAMES)),
            net.jqwik.api.Tuple.of(3, Arbitraries.of("..", ".")),
            net.jqwik.api.Tuple.of(
                1, Arbitraries.of("", "outside", "ws", "new", "é", "x\u2215y", "...")));
    return segment.list().ofMinSize(1).ofMaxSize(6).map(list -> String.join("/", list));
  }

  @Property(tries = 400)
  void writesLandInsideTheWorkspaceOrNowhere(
      @ForAll("layouts") List<LinkSpec> layout, @ForAll("paths") String rawPath) throws Exception {
    Path root = Files.createTempDirectory("path-fuzz");
    try {
      Path ws = Files.createDirectories(root.resolve("ws"));
      Path outside = Files.createDirectories(root.resolve("outside"));
      Files.createDirectories(ws.resolve("dir"));
      Files.createDirectories(ws.resolve("a/b"));
      Files.writeString(ws.resolve("file.txt"), "x");
      Files.writeString(outside.resolve("secret.txt"), "secret");
      for (LinkSpec spec : layout) {
        Path link = (spec.inWorkspace() ? ws : outside).resolve(spec.name());
        if (Files.exists(link.getParent()) && !Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
          try {
            Files.createSymbolicLink(link, Path.of(expand(spec.target(), ws, outside)));
          } catch (IOException e) {
            // A target the OS refuses (an empty one): that link is just not part of the layout.
          }
        }
      }
      String path = expand(rawPath, ws, outside);
      Workspace workspace = new Workspace(ws, false);
      Path realWs = ws.toRealPath();

      Path checked = null;
      try {
        checked = workspace.resolve(path);
        assertThat(checked).startsWithRaw(realWs);
      } catch (ToolException e) {
        assertThat(e.pythonType()).isIn("PermissionError", "OSError", "ValueError");
      }

      // What the operating system makes of the path, where it can tell.
      Path byOs = osResolve(ws.resolve(path));
      if (byOs != null && !byOs.startsWith(realWs)) {
        assertThat(checked).as("the OS resolves %s to %s", path, byOs).isNull();
      }

      String marker = "written-" + UUID.randomUUID();
      ToolReply reply = write(workspace, path, marker);
      List<Path> landed = filesContaining(root, marker);
      Statistics.collect(reply instanceof ToolReply.Returned ? "written" : "refused");
      if (reply instanceof ToolReply.Returned) {
        assertThat(landed).as("written %s", path).hasSize(1);
        assertThat(landed.get(0).getParent().toRealPath()).startsWithRaw(realWs);
      } else {
        assertThat(landed).as("refused %s: %s", path, reply).isEmpty();
      }
    } finally {
      deleteTree(root);
    }
  }

  private static String expand(String text, Path ws, Path outside) {
    return text.replace("OUT", outside.toString()).replace("WS", ws.toString());
  }

  /** The real path of the deepest existing ancestor, with the rest appended; null if unknown. */
  private static Path osResolve(Path path) {
    Path existing = path.toAbsolutePath();
    List<String> rest = new ArrayList<>();
    while (existing != null && !Files.exists(existing)) {
      if (existing.getFileName() == null) {
        return null;
      }
      String name = existing.getFileName().toString();
      if (name.equals("..") || name.equals(".") || Files.isSymbolicLink(existing)) {
        return null;
      }
      rest.add(0, name);
      existing = existing.getParent();
    }
    if (existing == null) {
      return null;
    }
    try {
      Path real = existing.toRealPath();
      for (String name : rest) {
        real = real.resolve(name);
      }
      return real;
    } catch (IOException e) {
      return null;
    }
  }

  private static ToolReply write(Workspace workspace, String path, String content) {
    ToolRegistry registry = new ToolRegistry();
    registry.register(BuiltinTools.writeFile());
    ToolDispatcher dispatcher =
        new ToolDispatcher(registry, new FixedContext(workspace), List.of(content).iterator());
    return dispatcher.dispatch("write_file", Map.of("path", path));
  }

  private static List<Path> filesContaining(Path root, String marker) throws IOException {
    List<Path> found = new ArrayList<>();
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList()) {
        if (new String(Files.readAllBytes(p), StandardCharsets.UTF_8).equals(marker)) {
          found.add(p);
        }
      }
    }
    return found;
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
