package dev.codepilot.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps the code blocks of a Markdown file equal to tagged regions of source files.
 *
 * <p>A block to keep in sync is preceded by a marker naming a file (relative to the repository
 * root) and a tag:
 *
 * <pre>
 * &lt;!-- snippet: codepilot-examples/src/main/java/dev/codepilot/examples/BasicUsage.java#basic --&gt;
 * ```java
 * ...
 * ```
 * </pre>
 *
 * The region is the lines between {@code tag::basic[]} and {@code end::basic[]} in that file (in
 * any comment syntax), without lines that mark other regions or blank lines at its end, and with
 * the common indentation removed. {@code @project.version@} (the invoker's placeholder in the
 * consumer project) is shown as the build's version, which surefire passes as {@code
 * codepilot.version}.
 */
final class Snippets {

  private static final Pattern MARKER = Pattern.compile("^<!-- snippet: (\\S+)#([\\w-]+) -->$");

  private final Path root;

  Snippets(Path root) {
    this.root = root;
  }

  /** One marked block: where it is, and what it holds versus what its region holds. */
  record Block(Path markdown, int line, String source, String tag, String actual, String expected) {

    boolean matches() {
      return actual.equals(expected);
    }
  }

  /** Every marked block of a Markdown file. */
  List<Block> blocks(Path markdown) throws IOException {
    List<String> lines = Files.readAllLines(markdown, StandardCharsets.UTF_8);
    List<Block> blocks = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher marker = MARKER.matcher(lines.get(i).strip());
      if (!marker.matches()) {
        continue;
      }
      int open = i + 1;
      if (open >= lines.size() || !lines.get(open).startsWith("```")) {
        throw new IllegalStateException(
            markdown
                + ":"
                + (i + 1)
                + ": a snippet marker must be followed directly by a fenced code block");
      }
      int close = open + 1;
      while (close < lines.size() && !lines.get(close).equals("```")) {
        close++;
      }
      if (close >= lines.size()) {
        throw new IllegalStateException(markdown + ":" + (open + 1) + ": unclosed code block");
      }
      String actual = String.join("\n", lines.subList(open + 1, close));
      blocks.add(
          new Block(
              markdown,
              open + 1,
              marker.group(1),
              marker.group(2),
              actual,
              region(marker.group(1), marker.group(2))));
      i = close;
    }
    return blocks;
  }

  /** Rewrites the Markdown file so that every marked block holds its region. */
  void update(Path markdown) throws IOException {
    List<String> lines = new ArrayList<>(Files.readAllLines(markdown, StandardCharsets.UTF_8));
    List<Block> blocks = blocks(markdown);
    for (int b = blocks.size() - 1; b >= 0; b--) {
      Block block = blocks.get(b);
      int open = block.line() - 1;
      int close = open + 1;
      while (!lines.get(close).equals("```")) {
        close++;
      }
      lines.subList(open + 1, close).clear();
      lines.addAll(open + 1, block.expected().lines().toList());
    }
    Files.writeString(markdown, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
  }

  /** The region between {@code tag::name[]} and {@code end::name[]}, dedented. */
  String region(String source, String tag) throws IOException {
    Path file = root.resolve(source);
    if (!Files.exists(file)) {
      throw new IllegalStateException("snippet source " + source + " does not exist");
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    int start = indexOf(lines, "tag::" + tag + "[]", 0);
    int end = start < 0 ? -1 : indexOf(lines, "end::" + tag + "[]", start);
    if (start < 0 || end < 0) {
      throw new IllegalStateException(
          source + " has no region tag::" + tag + "[] ... end::" + tag + "[]");
    }
    List<String> region =
        new ArrayList<>(
            lines.subList(start + 1, end).stream()
                .filter(line -> !line.contains("tag::") && !line.contains("end::"))
                .toList());
    // The formatter puts a blank line between a closing brace and the end marker; the block
    // shows the code alone.
    while (!region.isEmpty() && region.get(region.size() - 1).isBlank()) {
      region.remove(region.size() - 1);
    }
    int indent =
        region.stream()
            .filter(line -> !line.isBlank())
            .mapToInt(line -> line.length() - line.stripLeading().length())
            .min()
            .orElse(0);
    String version = System.getProperty("codepilot.version");
    if (version == null) {
      throw new IllegalStateException("the system property codepilot.version is not set");
    }
    return String.join(
        "\n",
        region.stream()
            .map(line -> line.isBlank() ? "" : line.substring(indent))
            .map(line -> line.replace("@project.version@", version))
            .toList());
  }

  private static int indexOf(List<String> lines, String text, int from) {
    for (int i = from; i < lines.size(); i++) {
      if (lines.get(i).contains(text)) {
        return i;
      }
    }
    return -1;
  }
}
