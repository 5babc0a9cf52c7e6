package dev.codepilot.config;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Creates the workspace an agent file names, once the whole file has been checked, so that a file
 * with mistakes leaves no folder behind.
 */
final class WorkDirs {

  private WorkDirs() {}

  /**
   * Creates {@code workDir} and its parents unless it exists; a failure is reported at {@code
   * field} on {@code line}, where the file set (or would set) {@code work_dir}.
   */
  static void create(YamlValues values, Path workDir, String field, int line)
      throws AgentFileException {
    if (Files.isDirectory(workDir)) {
      return;
    }
    try {
      Files.createDirectories(workDir);
    } catch (FileAlreadyExistsException e) {
      throw values.error(
          field,
          line,
          "cannot create "
              + workDir
              + ": "
              + e.getFile()
              + " is a file, not a folder; choose another work_dir");
    } catch (IOException e) {
      throw values.error(
          field,
          line,
          "cannot create "
              + workDir
              + " ("
              + AgentFilePaths.reason(e)
              + "); create it yourself or choose another work_dir");
    }
  }
}
