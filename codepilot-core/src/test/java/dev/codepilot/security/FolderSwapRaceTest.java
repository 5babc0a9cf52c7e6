package dev.codepilot.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.codepilot.testing.FixedContext;
import dev.codepilot.tools.BuiltinTools;
import dev.codepilot.tools.ToolDispatcher;
import dev.codepilot.tools.ToolRegistry;
import dev.codepilot.tools.ToolReply;
import dev.codepilot.tools.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A folder on the path swapped for a link to a folder outside, again and again, while {@code
 * write_file} and {@code read_file} use a file in it. Checking each name and then opening the path
 * would let some calls through the link; opening each name relative to the folder checked before it
 * lets none.
 */
class FolderSwapRaceTest {

  private static final int ROUNDS = 1500;

  @TempDir Path temp;

  @ParameterizedTest
  @ValueSource(strings = {"d/x.txt", "a/d/x.txt", "d/e/x.txt"})
  @Timeout(120)
  void nothingLandsOutsideAndNothingOutsideIsRead(String path) throws Exception {
    Path ws = Files.createDirectories(temp.resolve("ws"));
    Path outside = Files.createDirectories(temp.resolve("outside"));
    String folder =
        path.substring(0, path.indexOf("/d/") >= 0 ? path.indexOf("/d/") + 2 : path.indexOf('/'));
    String below = path.substring(folder.length() + 1);
    Path swapped = ws.resolve(folder);
    Files.createDirectories(swapped.resolve(below).getParent());
    Files.writeString(swapped.resolve(below), "inside\n");
    Files.createDirectories(outside.resolve(below).getParent());
    Files.writeString(outside.resolve(below), "OUTSIDE SECRET\n");
    Path aside = swapped.resolveSibling("d-aside");

    Workspace workspace = new Workspace(ws, false);
    ToolRegistry registry = new ToolRegistry();
    registry.register(BuiltinTools.writeFile());
    registry.register(BuiltinTools.readFile());

    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong swaps = new AtomicLong();
    Thread swapper =
        new Thread(
            () -> {
              while (!stop.get()) {
                try {
                  Files.move(swapped, aside, StandardCopyOption.ATOMIC_MOVE);
                  Files.createSymbolicLink(swapped, outside);
                  Thread.onSpinWait();
                  Files.delete(swapped);
                  Files.move(aside, swapped, StandardCopyOption.ATOMIC_MOVE);
                  swaps.incrementAndGet();
                } catch (Exception e) {
                  // A step failed halfway: put things back. write_file may have made the folder
                  // anew
                  // while the real one was aside (it creates missing parents); that copy goes, or
                  // the
                  // swapper would be stuck for the rest of the test.
                  try {
                    if (Files.isSymbolicLink(swapped)) {
                      Files.delete(swapped);
                    } else if (Files.isDirectory(swapped) && Files.exists(aside)) {
                      try (Stream<Path> made = Files.walk(swapped)) {
                        for (Path each :
                            made.sorted(java.util.Comparator.reverseOrder()).toList()) {
                          Files.deleteIfExists(each);
                        }
                      }
                    }
                    if (Files.exists(aside)) {
                      Files.move(aside, swapped, StandardCopyOption.ATOMIC_MOVE);
                    }
                  } catch (Exception ignored) {
                    // Tried.
                  }
                }
              }
            },
            "folder-swapper");
    List<String> leaks = Collections.synchronizedList(new ArrayList<>());
    int written = 0;
    int read = 0;
    swapper.start();
    try {
      // On a loaded machine the swapper may start late: go on until it has swapped enough.
      for (int i = 0; i < ROUNDS || swaps.get() <= 10 && i < ROUNDS * 50; i++) {
        String marker = "written-" + i + "\n";
        ToolReply write =
            new ToolDispatcher(registry, new FixedContext(workspace), List.of(marker).iterator())
                .dispatch("write_file", Map.of("path", path));
        if (write instanceof ToolReply.Returned) {
          written++;
        }
        ToolReply reply =
            new ToolDispatcher(registry, new FixedContext(workspace), List.<String>of().iterator())
                .dispatch("read_file", Map.of("path", path));
        if (reply instanceof ToolReply.Returned returned) {
          read++;
          if (String.valueOf(returned.value()).contains("OUTSIDE")) {
            leaks.add("read " + returned.value());
          }
        } else if (reply instanceof ToolReply.Raised raised
            && raised.message().contains("OUTSIDE")) {
          leaks.add("error " + raised.message());
        }
      }
    } finally {
      stop.set(true);
      swapper.join();
    }

    assertThat(swaps.get()).as("swaps made").isGreaterThan(10);
    assertThat(written).as("writes that went through").isGreaterThan(0);
    assertThat(read).as("reads that went through").isGreaterThan(0);
    assertThat(leaks).as("outside content returned").isEmpty();
    assertThat(Files.readString(outside.resolve(below))).isEqualTo("OUTSIDE SECRET\n");
    try (Stream<Path> files = Files.walk(outside)) {
      assertThat(files.filter(Files::isRegularFile))
          .as("files outside")
          .containsExactly(outside.resolve(below));
    }
  }

  @org.junit.jupiter.api.Test
  @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aFileSwappedForAFifoNeverBlocksAReadOrWrite() throws Exception {
    Path ws = Files.createDirectories(temp.resolve("ws"));
    Path file = Files.writeString(ws.resolve("f.txt"), "regular\n");
    Path fifo = temp.resolve("fifo");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assertThat(mkfifo.waitFor()).isZero();
    Path aside = temp.resolve("f-aside");

    Workspace workspace = new Workspace(ws, false);
    ToolRegistry registry = new ToolRegistry();
    registry.register(BuiltinTools.writeFile());
    registry.register(BuiltinTools.readFile());
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong swaps = new AtomicLong();
    Thread swapper =
        new Thread(
            () -> {
              while (!stop.get()) {
                try {
                  Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
                  Files.move(fifo, file, StandardCopyOption.ATOMIC_MOVE);
                  Thread.onSpinWait();
                  Files.move(file, fifo, StandardCopyOption.ATOMIC_MOVE);
                  Files.move(aside, file, StandardCopyOption.ATOMIC_MOVE);
                  swaps.incrementAndGet();
                } catch (Exception e) {
                  // write_file may have made f.txt anew while the real one was aside: put the real
                  // one back, or the swapper would be stuck for the rest of the test.
                  try {
                    if (Files.exists(aside) && Files.exists(fifo)) {
                      Files.deleteIfExists(file);
                      Files.move(aside, file, StandardCopyOption.ATOMIC_MOVE);
                    }
                  } catch (Exception ignored) {
                    // The next round tries again.
                  }
                }
              }
            },
            "fifo-swapper");
    List<String> unexpected = new ArrayList<>();
    swapper.start();
    try {
      for (int i = 0; i < ROUNDS / 3 || swaps.get() <= 10 && i < ROUNDS * 50; i++) {
        for (String tool : List.of("read_file", "write_file")) {
          ToolReply reply =
              new ToolDispatcher(
                      registry, new FixedContext(workspace), List.of("regular\n").iterator())
                  .dispatch(tool, Map.of("path", "f.txt"));
          if (reply instanceof ToolReply.Raised raised
              && !raised.pythonType().equals("PermissionError")
              && !raised.pythonType().equals("FileNotFoundError")) {
            unexpected.add(raised.toString());
          }
        }
      }
    } finally {
      stop.set(true);
      swapper.join();
    }

    assertThat(swaps.get()).as("swaps made").isGreaterThan(10);
    assertThat(unexpected).isEmpty();
  }
}
