package dev.codepilot.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.TimeZone;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The wall alone: code that got past every Python-level layer (the policy, the shadows, the import
 * guard, the module views) runs in a context built exactly as the sandbox builds one, after the
 * bootstrap, with the interpreter's own import ({@code I}), real {@code eval} ({@code ev}), {@code
 * sys} and the host function ({@code host}) in hand. It must still reach no file, process, signal,
 * thread, socket, host class or other language, and change nothing of the JVM.
 */
class WallTest {

  private static final String SECRET = "CANARY-wall-3c9d-do-not-leak";
  @TempDir static Path root;
  private static Path outside;
  private static Map<String, String> before;
  private static final String TIME_ZONE = TimeZone.getDefault().getID();

  private PastThePolicy context;

  @BeforeAll
  static void plantCanaries() throws IOException {
    outside = Files.createDirectories(root.resolve("outside"));
    Files.writeString(outside.resolve("secret.txt"), SECRET + "\n");
    before = snapshot();
  }

  @AfterEach
  void closeContext() {
    if (context != null) {
      context.close();
    }
  }

  static Stream<Arguments> attacks() {
    return Stream.of(
        Arguments.of("os.system", "I('os').system('touch $OUT/MARK')"),
        Arguments.of("subprocess", "I('subprocess').run(['touch', '$OUT/MARK'])"),
        Arguments.of("open() under real eval", "print(ev(\"open('$OUT/secret.txt').read()\"))"),
        Arguments.of(
            "import hook under real eval", "ev(\"__import__('os')\").system('touch $OUT/MARK')"),
        Arguments.of("java.type for Runtime", "print(I('java').type('java.lang.Runtime'))"),
        Arguments.of("java.type for File", "print(I('java').type('java.io.File'))"),
        Arguments.of("java.add_to_classpath", "I('java').add_to_classpath('$OUT')"),
        Arguments.of(
            "polyglot.eval of another language",
            "print(I('polyglot').eval(language='js', string='1'))"),
        Arguments.of("polyglot.import_value", "print(I('polyglot').import_value('x'))"),
        Arguments.of("members of the host function", "print(host.getClass())"),
        Arguments.of(
            "__graalpython__.read_file",
            "print(I('__graalpython__').read_file('$OUT/secret.txt'))"),
        Arguments.of("raise SIGTERM in the JVM", "I('signal').raise_signal(15)"),
        Arguments.of("install a JVM signal handler", "I('_signal').signal(2, print)"),
        Arguments.of("alarm thread", "I('signal').alarm(1)"),
        Arguments.of(
            "change the JVM time zone", "I('posix').putenv('TZ', 'Asia/Tokyo')\nI('time').tzset()"),
        Arguments.of("change the JVM locale", "I('locale').setlocale(I('locale').LC_ALL, 'C')"),
        Arguments.of("start a thread", "I('_thread').start_new_thread(print, ('x',))"),
        Arguments.of("exit the JVM", "I('os')._exit(3)"),
        Arguments.of("kill by pid", "I('os').kill(I('os').getpid(), 9)"),
        Arguments.of("ctypes", "I('ctypes').CDLL('libc.so.6')"),
        Arguments.of("socket", "I('socket').create_connection(('127.0.0.1', 9))"),
        Arguments.of("os.listdir", "print(I('os').listdir('$OUT'))"),
        Arguments.of("io.open", "print(I('io').open('$OUT/secret.txt').read())"),
        Arguments.of("_io.FileIO for writing", "I('_io').FileIO('$OUT/new.txt', 'w')"),
        Arguments.of("os.symlink", "I('os').symlink('/', '$OUT/rootlink')"),
        Arguments.of("os.chdir", "I('os').chdir('$OUT')"),
        Arguments.of("posix.open", "print(I('posix').open('$OUT/secret.txt', 0))"),
        Arguments.of("user database", "print(I('pwd').getpwuid(0))"),
        Arguments.of(
            "machine name and kernel",
            "u = I('os').uname()\nassert u.nodename or u.release or u.version, 'none shown'"),
        Arguments.of("working folder", "print(I('os').getcwd())"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("attacks")
  void theWallHoldsAgainstCodePastThePolicy(String name, String code) throws IOException {
    context = new PastThePolicy(module -> true);
    String outcome = context.run(code.replace("$OUT", outside.toString()));

    assertThat(outcome)
        .as(name)
        .doesNotStartWith("ran")
        .doesNotContain(SECRET)
        .doesNotContain("'/root")
        .doesNotContain("Linux");
    assertThat(snapshot()).as("files outside").isEqualTo(before);
    assertThat(TimeZone.getDefault().getID()).as("the JVM's time zone").isEqualTo(TIME_ZONE);
  }

  @Test
  void refusalsOfTheWallArePythonExceptionsABlockCanCatch() {
    context = new PastThePolicy(module -> true);
    String outcome =
        context.run(
            """
        import pathlib
        caught = []
        for attempt in (pathlib.Path.cwd, lambda: pathlib.Path('a').resolve(),
                        pathlib.Path.home, lambda: pathlib.Path('/etc/passwd').read_text(),
                        lambda: I('os').getcwd(), lambda: I('os').access('/etc', 0) or 1/0,
                        lambda: I('os').system('true'), lambda: I('os').getppid()):
            try:
                attempt()
            except (PermissionError, ZeroDivisionError) as error:
                caught.append(type(error).__name__)
        print(caught)
        """
                .replace("import pathlib", "pathlib = I('pathlib')"));

    assertThat(outcome)
        .startsWith("ran")
        .contains(
            "['PermissionError', 'PermissionError',"
                + " 'PermissionError', 'PermissionError', 'PermissionError', 'ZeroDivisionError',"
                + " 'PermissionError', 'PermissionError']");
  }

  private static Map<String, String> snapshot() throws IOException {
    Map<String, String> entries = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.toList()) {
        String key = root.relativize(path).toString();
        if (Files.isSymbolicLink(path)) {
          entries.put(key, "link " + Files.readSymbolicLink(path));
        } else if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
          entries.put(key, "dir");
        } else {
          entries.put(key, "file " + Files.readString(path, StandardCharsets.UTF_8));
        }
      }
    }
    return entries;
  }
}
