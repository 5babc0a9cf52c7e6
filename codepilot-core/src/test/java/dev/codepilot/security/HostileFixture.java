package dev.codepilot.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.codepilot.AgentRuntime;
import dev.codepilot.RunResult;
import dev.codepilot.hooks.Event;
import dev.codepilot.hooks.EventType;
import dev.codepilot.model.ChatModel;
import dev.codepilot.model.ModelException;
import dev.codepilot.model.ModelReply;
import dev.codepilot.model.ModelRequest;
import dev.codepilot.model.Role;
import dev.codepilot.testing.EventLog;
import dev.codepilot.testing.TestAgents;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;

/**
 * A real runtime (real GraalPy, real temporary folders) that hostile control blocks are run
 * through, with canaries outside its workspace: a folder {@code outside/} holding secret files, and
 * links inside the workspace, made before the run, that lead there (to a file, to a folder,
 * dangling, in a chain, in a loop, absolute, to the root).
 *
 * <p>After each attack, {@link #assertNothingEscaped} checks that nothing outside the workspace was
 * read into the model's view, changed or created, and that the JVM's global state (default time
 * zone) is as it was.
 */
final class HostileFixture implements AutoCloseable {

  static final String SECRET = "CANARY-5f1b7c2e-do-not-leak";

  /** The summary of the {@code done()} that follows every attack. */
  static final String SURVIVED = "survived the attack";

  /**
   * Python that used to get around the AST policy: it has a standard-library function
   * (typing.get_type_hints) evaluate a string, then walks to the interpreter's {@code sys}, its
   * unguarded import ({@code I}) and the host function behind the tools ({@code host}). Strings
   * compiled at run time now pass the same policy, so every use of it must fail; it is kept to show
   * that this route stays closed.
   */
  static final String ESCAPE =
      """
      import typing
      def ev(src, ns=None):
          def f(x: "lambda: (" + src + ")"): pass
          return typing.get_type_hints(f, ns if ns is not None else {})['x']()
      for c in ev("().__class__.__base__.__subclasses__()"):
          try:
              gl = ev("c.__init__.__globals__", {'c': c})
          except Exception:
              continue
          if 'sys' in gl:
              break
      sys = gl['sys']
      M = sys.modules['__main__']
      I = ev("vars(m)['_original_import']", {'m': M})
      host = ev("vars(m)['_State'].host", {'m': M})
      """;

  final Path root;
  final Path workDir;
  final Path outside;
  final AgentRuntime runtime;
  final EventLog log;
  private final ScriptedModel model = new ScriptedModel();
  private final Map<String, String> outsideBefore;
  private final String timeZoneBefore = TimeZone.getDefault().getID();

  HostileFixture(Path root, Duration execTimeout, int maxOutputChars) throws Exception {
    this.root = root;
    this.outside = Files.createDirectories(root.resolve("outside"));
    this.workDir = Files.createDirectories(root.resolve("ws"));
    Files.writeString(outside.resolve("secret.txt"), SECRET + "\n");
    Files.createDirectories(outside.resolve("sub"));
    Files.writeString(outside.resolve("sub/deep.txt"), SECRET + " deep\n");
    Files.writeString(workDir.resolve("inside.txt"), "an ordinary file\n");
    link("link_file", Path.of("../outside/secret.txt"));
    link("link_dir", Path.of("../outside"));
    link("abs_link", outside);
    link("dangling", Path.of("../outside/new.txt"));
    link("chain_a", Path.of("chain_b"));
    link("chain_b", Path.of("../outside"));
    link("loop_a", Path.of("loop_b"));
    link("loop_b", Path.of("loop_a"));
    link("link_to_root", Path.of("/"));
    Files.createDirectories(workDir.resolve("sub"));
    this.outsideBefore = snapshot();
    this.runtime =
        AgentRuntime.builder(TestAgents.config(workDir, 5, execTimeout, maxOutputChars, List.of()))
            .model(model)
            .consoleOutput(false)
            .build();
    this.log = EventLog.attach(runtime.hooks());
  }

  private void link(String name, Path target) throws IOException {
    Files.createSymbolicLink(workDir.resolve(name), target);
  }

  /** Replaces {@code $OUT} with the absolute path of the outside folder. */
  String expand(String text) {
    return text.replace("$OUT", outside.toString());
  }

  /**
   * Runs one task whose first reply is {@code reply} and whose second reply calls {@code
   * done(SURVIVED)}; returns what happened.
   */
  Attack attack(String reply) {
    model.clear();
    log.clear();
    model.reply(expand(reply), TestAgents.block("done('" + SURVIVED + "')"));
    int before = runtime.messages().size();
    RunResult result = runtime.run("attack");
    // What the model is shown back: the task and execution results, not its own replies.
    List<String> added =
        runtime.messages().subList(before, runtime.messages().size()).stream()
            .map(m -> m.role() == Role.USER ? m.content() : "(reply)")
            .toList();
    String feedback = added.size() > 2 ? added.get(2) : "";
    return new Attack(result, feedback, log.types(), log.events(), added);
  }

  /** What one attack left behind. */
  record Attack(
      RunResult result,
      String feedback,
      List<EventType> types,
      List<Event> events,
      List<String> messages) {

    /** The events of the attack's own step (before the second STEP). */
    List<EventType> firstStep() {
      int second = types.subList(2, types.size()).indexOf(EventType.STEP);
      return second < 0 ? types : types.subList(0, second + 2);
    }
  }

  /** Nothing outside the workspace changed or appeared, no secret reached the model. */
  void assertNothingEscaped(Attack attack) throws IOException {
    assertThat(snapshot()).as("files outside the workspace").isEqualTo(outsideBefore);
    for (String message : attack.messages()) {
      assertThat(message).doesNotContain(SECRET).doesNotContain("ESCAPED");
    }
    assertThat(TimeZone.getDefault().getID())
        .as("the JVM's default time zone")
        .isEqualTo(timeZoneBefore);
  }

  /** Every file, folder and link under the root, except the workspace, with its content. */
  private Map<String, String> snapshot() throws IOException {
    Map<String, String> entries = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.filter(p -> !p.startsWith(workDir)).toList()) {
        String key = root.relativize(path).toString();
        if (Files.isSymbolicLink(path)) {
          entries.put(key, "link " + Files.readSymbolicLink(path));
        } else if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
          entries.put(key, "dir");
        } else {
          entries.put(
              key,
              "file "
                  + new String(Files.readAllBytes(path), StandardCharsets.UTF_8)
                  + " mode "
                  + Files.getPosixFilePermissions(path));
        }
      }
    }
    return entries;
  }

  @Override
  public void close() {
    runtime.close();
  }

  /** Replies from a queue the fixture empties before each attack. */
  private static final class ScriptedModel implements ChatModel {

    private final ConcurrentLinkedQueue<String> replies = new ConcurrentLinkedQueue<>();

    void reply(String... texts) {
      replies.addAll(List.of(texts));
    }

    void clear() {
      replies.clear();
    }

    @Override
    public ModelReply complete(ModelRequest request) throws ModelException {
      String next = replies.poll();
      if (next == null) {
        throw new ModelException("no scripted reply left");
      }
      return ModelReply.of(next);
    }
  }
}
