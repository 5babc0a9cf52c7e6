package dev.codepilot.tools;

import dev.codepilot.internal.Text;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * {@code write_file(path, start_line=None, end_line=None, after_line=None, mode="w")}: writes the
 * next payload block to a file, whole ({@code w}), appended ({@code a}), in place of a line range
 * ({@code edit}) or after a line ({@code insert}).
 */
final class WriteFileTool implements ToolDefinition {

  static final String NAME = "write_file";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return """
        Write the next payload block to a file, exactly as it is. mode="w" writes the whole \
        file (folders are created), mode="a" appends, mode="edit" replaces lines \
        start_line..end_line (end_line defaults to start_line; an empty payload deletes them), \
        mode="insert" inserts after line after_line (0 = at the top). Returns what was done.

        Line numbers are those read_file shows. Each call takes the next payload block, in \
        call order.""";
  }

  @Override
  public List<ToolParameter> parameters() {
    return List.of(
        ToolParameter.required("path", PyType.STR),
        ToolParameter.optional("start_line", PyType.INT, null),
        ToolParameter.optional("end_line", PyType.INT, null),
        ToolParameter.optional("after_line", PyType.INT, null),
        ToolParameter.optional("mode", PyType.STR, "w"));
  }

  @Override
  public boolean consumesPayload() {
    return true;
  }

  @Override
  public String describe(ToolInvocation call) {
    Object rawPath = call.get("path");
    String path = rawPath instanceof String text ? displayOf(call, text) : String.valueOf(rawPath);
    Object mode = call.get("mode");
    if ("a".equals(mode)) {
      return "Append to '" + path + "'";
    }
    if ("edit".equals(mode)) {
      Object start = call.get("start_line");
      Object end = call.get("end_line") == null ? start : call.get("end_line");
      return "Write '" + path + "' (replace lines " + start + "–" + end + ")";
    }
    if ("insert".equals(mode)) {
      return "Write '" + path + "' (insert after line " + call.get("after_line") + ")";
    }
    if ("w".equals(mode)) {
      return "Write '" + path + "' (full file)";
    }
    return "Write '" + path + "' (mode=" + PythonNames.literal(mode) + ")";
  }

  @Override
  public Object invoke(ToolInvocation call) throws ToolException {
    String mode = call.string("mode");
    Optional<Long> start = call.optionalInteger("start_line");
    Optional<Long> end = call.optionalInteger("end_line");
    Optional<Long> after = call.optionalInteger("after_line");
    switch (mode) {
      case "w", "a" -> {
        if (start.isPresent() || end.isPresent() || after.isPresent()) {
          throw ToolException.valueError(
              "write_file(): start_line, end_line and after_line"
                  + " only apply to mode='edit' and mode='insert'; mode='"
                  + mode
                  + "' writes the"
                  + (mode.equals("w") ? " whole file" : " payload at the end of the file"));
        }
      }
      case "edit" -> {
        if (start.isEmpty()) {
          throw ToolException.valueError(
              "write_file(): mode='edit' needs start_line (and"
                  + " end_line, which defaults to start_line)");
        }
        if (after.isPresent()) {
          throw ToolException.valueError(
              "write_file(): after_line only applies to"
                  + " mode='insert'; mode='edit' replaces start_line..end_line");
        }
      }
      case "insert" -> {
        if (after.isEmpty()) {
          throw ToolException.valueError(
              "write_file(): mode='insert' needs after_line" + " (0 inserts at the top)");
        }
        if (start.isPresent() || end.isPresent()) {
          throw ToolException.valueError(
              "write_file(): start_line and end_line only apply to"
                  + " mode='edit'; mode='insert' inserts after after_line");
        }
      }
      default ->
          throw ToolException.valueError(
              "write_file(): mode must be 'w', 'a', 'edit' or" + " 'insert', not '" + mode + "'");
    }
    String payload =
        call.payload()
            .orElseThrow(
                () ->
                    ToolException.valueError(
                        "write_file(): no payload block left for this call. Put the content in a fenced block"
                            + " after the control block: one block per write_file call, in call order."));
    Workspace workspace = call.context().workspace();
    boolean creates = mode.equals("w") || mode.equals("a");
    try (Workspace.Located file = locate(workspace, call.string("path"), creates)) {
      return switch (mode) {
        case "w" -> writeWhole(file, payload);
        case "a" -> append(file, payload);
        case "edit" -> edit(file, payload, start.get(), end.orElse(start.get()));
        default -> insert(file, payload, after.get());
      };
    }
  }

  /**
   * Walks the path; for a new file the missing folders are then created by a second walk, so a path
   * that leads outside is refused before anything is created.
   */
  private static Workspace.Located locate(Workspace workspace, String path, boolean creates)
      throws ToolException {
    Workspace.Located file = workspace.locate(path, false);
    if (!creates || !file.parentMissing()) {
      return file;
    }
    file.close();
    file = workspace.locate(path, true);
    if (file.parentMissing()) {
      String display = file.display();
      file.close();
      throw new ToolException(
          "NotADirectoryError",
          "cannot create '"
              + display
              + "': a part of"
              + " its folder path is a file, not a folder");
    }
    return file;
  }

  private static String writeWhole(Workspace.Located file, String payload) throws ToolException {
    byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
    TextFiles.write(file, NAME, bytes, false);
    return "Wrote '"
        + file.display()
        + "' ("
        + bytes.length
        + " bytes, "
        + Text.lineCount(payload)
        + " lines)";
  }

  private static String append(Workspace.Located file, String payload) throws ToolException {
    byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
    long lines = TextFiles.append(file, NAME, bytes);
    return "Appended "
        + bytes.length
        + " bytes to '"
        + file.display()
        + "' (now "
        + (lines < 0 ? "more than " + (TextFiles.MAX_READ_BYTES >> 20) + " MiB" : lines + " lines")
        + ")";
  }

  private static String edit(Workspace.Located file, String payload, long start, long end)
      throws ToolException {
    String display = file.display();
    String content = existing(file, "edit");
    List<String> lines = TextFiles.splitLines(content);
    int total = lines.size();
    if (start < 1 || end < start || end > total) {
      throw ToolException.valueError(
          "write_file(): cannot replace lines "
              + start
              + "–"
              + end
              + " of '"
              + display
              + "': it has "
              + total
              + " line"
              + (total == 1 ? "" : "s")
              + (end < start ? ", and end_line must not be before start_line" : "")
              + " (valid: 1 <= start_line <= end_line <= "
              + total
              + ")");
    }
    int from = (int) start - 1;
    int to = (int) end;
    String inserted = payload;
    if (to < total && !inserted.isEmpty() && !inserted.endsWith("\n")) {
      inserted += TextFiles.separator(content);
    }
    String updated =
        String.join("", lines.subList(0, from))
            + inserted
            + String.join("", lines.subList(to, total));
    TextFiles.write(file, NAME, updated.getBytes(StandardCharsets.UTF_8), false);
    return "Edited '"
        + display
        + "': replaced lines "
        + start
        + "–"
        + end
        + " ("
        + (end - start + 1)
        + " → "
        + Text.lineCount(payload)
        + " lines). File now has "
        + Text.lineCount(updated)
        + " lines total.";
  }

  private static String insert(Workspace.Located file, String payload, long after)
      throws ToolException {
    String display = file.display();
    String content = existing(file, "insert");
    List<String> lines = TextFiles.splitLines(content);
    int total = lines.size();
    if (after < 0 || after > total) {
      throw ToolException.valueError(
          "write_file(): cannot insert after line "
              + after
              + " of '"
              + display
              + "': it has "
              + total
              + " line"
              + (total == 1 ? "" : "s")
              + " (valid: 0 <= after_line <= "
              + total
              + ")");
    }
    String separator = TextFiles.separator(content);
    StringBuilder updated = new StringBuilder(content.length() + payload.length() + 2);
    lines.subList(0, (int) after).forEach(updated::append);
    if (after == total && total > 0 && !content.endsWith("\n") && !payload.isEmpty()) {
      updated.append(separator);
    }
    updated.append(payload);
    if (after < total && !payload.isEmpty() && !payload.endsWith("\n")) {
      updated.append(separator);
    }
    lines.subList((int) after, total).forEach(updated::append);
    String text = updated.toString();
    TextFiles.write(file, NAME, text.getBytes(StandardCharsets.UTF_8), false);
    int added = Text.lineCount(payload);
    String moved =
        after < total
            ? "; former line " + (after + 1) + " is now line " + (after + 1 + added) + "."
            : " (at the end of the file).";
    return "Inserted "
        + added
        + " line"
        + (added == 1 ? "" : "s")
        + " after line "
        + after
        + " in '"
        + display
        + "'"
        + moved
        + " File now has "
        + Text.lineCount(text)
        + " lines total.";
  }

  private static String existing(Workspace.Located file, String mode) throws ToolException {
    if (file.isDirectory()) {
      throw new ToolException("IsADirectoryError", "Is a directory: '" + file.display() + "'");
    }
    if (!file.exists()) {
      throw ToolException.fileNotFound(
          "No such file: '"
              + file.display()
              + "' (mode='"
              + mode
              + "' changes an existing file; use mode='w' to create one)");
    }
    return TextFiles.readStrict(file, NAME);
  }

  private static String displayOf(ToolInvocation call, String path) {
    try {
      Workspace workspace = call.context().workspace();
      return workspace.display(workspace.resolve(path));
    } catch (ToolException e) {
      return path;
    }
  }
}
