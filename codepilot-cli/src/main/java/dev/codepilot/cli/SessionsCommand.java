package dev.codepilot.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codepilot.internal.Json;
import dev.codepilot.internal.TerminalText;
import dev.codepilot.internal.Terminals;
import dev.codepilot.model.Message;
import dev.codepilot.session.FileSession;
import dev.codepilot.session.SessionException;
import dev.codepilot.session.SessionInfo;
import dev.codepilot.session.SessionListing;
import dev.codepilot.session.SessionStore;
import dev.codepilot.session.SessionStores;
import dev.codepilot.session.Sessions;
import dev.codepilot.session.Transcript;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code codepilot sessions list|show ID|delete ID}: the saved sessions, in files or a store. */
@Command(
    name = "sessions",
    mixinStandardHelpOptions = true,
    description = {
      "List, show and delete saved sessions.",
      "These are the conversations of run --session file and chat --session-id."
    },
    subcommands = {
      SessionsCommand.ListSessions.class,
      SessionsCommand.Show.class,
      SessionsCommand.Delete.class
    })
final class SessionsCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "a subcommand is required: list, show ID or delete ID");
  }

  /** Where the sessions are, as every subcommand's options say: a folder or a store. */
  static final class Directory implements AutoCloseable {
    @Option(
        names = "--session-dir",
        paramLabel = "DIR",
        description = "Where session files are kept (default: ~/.codepilot/sessions).")
    Path sessionDir;

    @Option(
        names = "--session-store",
        paramLabel = "URL",
        description =
            "A session database instead of files, e.g."
                + " jdbc:postgresql://host/db?user=u&password=p.")
    String sessionStore;

    private SessionStore store;

    boolean inStore() {
      if (sessionStore != null && sessionDir != null) {
        throw new UsageException("give either --session-dir or --session-store, not both");
      }
      return sessionStore != null;
    }

    /** The store, opened on first use; a usage error when it cannot be reached. */
    SessionStore store() {
      if (store == null) {
        try {
          store = SessionStores.open(sessionStore, null, null);
        } catch (SessionException | IllegalArgumentException e) {
          throw new UsageException(e.getMessage());
        }
      }
      return store;
    }

    Path resolved() {
      return (sessionDir != null ? sessionDir : Sessions.defaultDirectory())
          .toAbsolutePath()
          .normalize();
    }

    /** The folder or the store as printed. */
    String shown() {
      return TerminalText.line(inStore() ? store().location() : resolved().toString());
    }

    SessionListing listing() {
      return inStore()
          ? new SessionListing(store().list(), List.of())
          : FileSession.list(sessionDir);
    }

    Optional<List<Message>> messages(String id) {
      return inStore() ? store().readMessages(id) : FileSession.readMessages(sessionDir, id);
    }

    /** The session's metadata; a usage error naming the directory when there is none. */
    SessionInfo require(String id) {
      try {
        return (inStore() ? store().metadata(id) : FileSession.metadata(sessionDir, id))
            .orElseThrow(() -> unknown(id));
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
    }

    /** Where one session is kept, as printed: its file, or the store. */
    String where(SessionInfo info) {
      return info.path() != null ? TerminalText.line(info.path().toString()) : shown();
    }

    UsageException unknown(String id) {
      return new UsageException(
          "no session '"
              + TerminalText.line(id)
              + "' in "
              + shown()
              + "; 'codepilot sessions list' shows the saved ones");
    }

    @Override
    public void close() {
      if (store != null) {
        store.close();
      }
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description =
          "List the saved sessions, most recently updated first. Files that are not"
              + " readable sessions are reported on stderr.")
  static final class ListSessions implements Callable<Integer> {

    @CommandLine.Mixin Directory directory;

    @Option(names = "--json", description = "Print one JSON object per session (JSON Lines).")
    boolean json;

    @Override
    public Integer call() {
      try (Directory where = directory) {
        return list();
      }
    }

    private Integer list() {
      SessionListing listing;
      try {
        listing = directory.listing();
      } catch (SessionException e) {
        throw new UsageException(e.getMessage());
      }
      PrintStream out = Console.stdout();
      for (SessionListing.Skipped skipped : listing.skipped()) {
        Console.stderr()
            .println(
                "codepilot: skipped "
                    + TerminalText.line(skipped.path() + ": " + skipped.reason()));
      }
      if (json) {
        for (SessionInfo info : listing.sessions()) {
          out.println(toJson(info, directory));
        }
        return ExitCodes.DONE;
      }
      Style style = Style.forOutput(Terminals.interactiveConsole().isPresent());
      if (listing.sessions().isEmpty()) {
        out.println("No saved sessions in " + directory.shown() + ".");
        return ExitCodes.DONE;
      }
      Instant now = Instant.now();
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"ID", "AGENT", "MESSAGES", "UPDATED"});
      for (SessionInfo info : listing.sessions()) {
        rows.add(
            new String[] {
              TerminalText.line(info.sessionId()),
              LiveView.cut(TerminalText.line(info.agentName()), 32),
              String.valueOf(info.messageCount()),
              RelativeTime.since(info.updatedAt(), now)
            });
      }
      int[] widths = new int[4];
      for (String[] row : rows) {
        for (int i = 0; i < row.length; i++) {
          widths[i] = Math.max(widths[i], row[i].length());
        }
      }
      for (int r = 0; r < rows.size(); r++) {
        String[] row = rows.get(r);
        String line =
            pad(row[0], widths[0])
                + "  "
                + pad(row[1], widths[1])
                + "  "
                + " ".repeat(widths[2] - row[2].length())
                + row[2]
                + "  "
                + row[3];
        out.println(r == 0 ? style.bold(line) : line);
      }
      int count = listing.sessions().size();
      out.println(
          style.dim(count + (count == 1 ? " session in " : " sessions in ") + directory.shown()));
      return ExitCodes.DONE;
    }

    private static String pad(String text, int width) {
      return text + " ".repeat(Math.max(0, width - text.length()));
    }

    private static String toJson(SessionInfo info, Directory directory) {
      ObjectNode node = Json.mapper().createObjectNode();
      node.put("session_id", info.sessionId());
      node.put("agent_name", info.agentName());
      node.put("messages", info.messageCount());
      node.put("created_at", info.createdAt().toString());
      node.put("updated_at", info.updatedAt().toString());
      if (info.path() != null) {
        node.put("path", info.path().toString());
      } else {
        node.put("store", directory.store().location());
      }
      return TerminalText.json(node);
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description =
          "Print a session's conversation: each task, the model's replies with their"
              + " code blocks, and what the runtime fed back.")
  static final class Show implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "ID", description = "The session's id.")
    String id;

    @CommandLine.Mixin Directory directory;

    @Override
    public Integer call() {
      try (Directory where = directory) {
        return show();
      }
    }

    private Integer show() {
      SessionInfo info = directory.require(id);
      List<Message> messages;
      try {
        messages = directory.messages(id).orElseThrow(() -> directory.unknown(id));
      } catch (SessionException e) {
        Console.stderr().println("codepilot: " + TerminalText.block(e.getMessage(), "  "));
        return ExitCodes.FAILED;
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
      Style style = Style.forOutput(Terminals.interactiveConsole().isPresent());
      PrintStream out = Console.stdout();
      out.println(
          style.bold("Session '" + TerminalText.line(info.sessionId()) + "'")
              + " · "
              + TerminalText.line(info.agentName())
              + " · "
              + messages.size()
              + (messages.size() == 1 ? " message" : " messages"));
      out.println(
          style.dim(
              "created "
                  + RelativeTime.local(info.createdAt())
                  + " · updated "
                  + RelativeTime.since(info.updatedAt(), Instant.now())
                  + " · "
                  + directory.where(info)));
      int number = 0;
      for (Transcript.Entry entry : Transcript.of(messages).entries()) {
        number++;
        out.println();
        String heading = "── " + entry.kind().heading() + " " + style.dim("(" + number + ")") + " ";
        String colored =
            switch (entry.kind()) {
              case TASK, USER_MESSAGE -> style.bold(style.cyan(heading));
              case REPLY -> style.bold(style.magenta(heading));
              default -> style.bold(heading);
            };
        out.println(colored + style.dim("─".repeat(Math.max(3, 40 - heading.length()))));
        // The stored text is the model's, a command's output or a user's: its lines stay lines,
        // but nothing in them reaches the terminal as a control.
        out.println(TerminalText.block(entry.text()).stripTrailing());
      }
      Path children = directory.resolved().resolve(id + ".agents");
      if (Files.isDirectory(children)) {
        out.println();
        out.println(
            style.bold("Sub-agents")
                + style.dim(
                    " (their sessions, in " + TerminalText.line(children.toString()) + ")"));
        showChildren(out, children, "  ");
      }
      return ExitCodes.DONE;
    }

    /** The sub-agents' sessions kept under a session, and theirs, indented as a tree. */
    private static void showChildren(PrintStream out, Path dir, String indent) {
      for (SessionInfo child : FileSession.list(dir).sessions()) {
        out.println(
            indent
                + TerminalText.line(child.sessionId())
                + " · "
                + TerminalText.line(child.agentName())
                + " · "
                + child.messageCount()
                + (child.messageCount() == 1 ? " message" : " messages"));
        Path deeper = dir.resolve(child.sessionId() + ".agents");
        if (Files.isDirectory(deeper)) {
          showChildren(out, deeper, indent + "  ");
        }
      }
    }
  }

  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "Delete a saved session. A session in use by a running agent is refused.")
  static final class Delete implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "ID", description = "The session's id.")
    String id;

    @CommandLine.Mixin Directory directory;

    @Override
    public Integer call() {
      try (Directory where = directory) {
        return directory.inStore() ? deleteFromStore() : deleteFile();
      }
    }

    private Integer deleteFromStore() {
      boolean deleted;
      try {
        deleted = directory.store().delete(id);
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      } catch (SessionException e) {
        Console.stderr()
            .println(
                "codepilot: cannot delete session '"
                    + TerminalText.line(id)
                    + "': "
                    + TerminalText.line(e.getMessage()));
        return ExitCodes.FAILED;
      }
      if (!deleted) {
        throw directory.unknown(id);
      }
      Console.stdout()
          .println("Deleted session '" + TerminalText.line(id) + "' (" + directory.shown() + ").");
      return ExitCodes.DONE;
    }

    private Integer deleteFile() {
      FileSession session;
      try {
        session = new FileSession(id, "", directory.sessionDir);
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
      if (!Files.exists(session.path())) {
        throw directory.unknown(id);
      }
      try (session) {
        session.reset();
      } catch (SessionException e) {
        Console.stderr()
            .println(
                "codepilot: cannot delete session '"
                    + TerminalText.line(id)
                    + "': "
                    + TerminalText.line(e.getMessage()));
        return ExitCodes.FAILED;
      }
      Path children = directory.resolved().resolve(id + ".agents");
      if (Files.isDirectory(children)) {
        try (var walk = Files.walk(children)) {
          for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
            Files.delete(path);
          }
        } catch (java.io.IOException e) {
          Console.stderr()
              .println(
                  "codepilot: deleted session '"
                      + TerminalText.line(id)
                      + "' but not its sub-agents' sessions in "
                      + TerminalText.line(children.toString())
                      + ": "
                      + TerminalText.line(String.valueOf(e.getMessage())));
          return ExitCodes.FAILED;
        }
      }
      Console.stdout()
          .println(TerminalText.line("Deleted session '" + id + "' (" + session.path() + ")."));
      return ExitCodes.DONE;
    }
  }
}
