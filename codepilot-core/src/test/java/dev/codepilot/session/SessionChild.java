package dev.codepilot.session;

import dev.codepilot.model.Message;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A second process for the session tests, started by {@link ChildJvm}. Modes:
 *
 * <ul>
 *   <li>{@code hold DIR ID}: loads the session (taking its lock), prints {@code locked}, then
 *       closes it when stdin says {@code close} (printing {@code closed}) and exits at EOF;
 *   <li>{@code try DIR ID}: tries to load the session and prints {@code locked} or {@code refused
 *       <message>};
 *   <li>{@code save-loop DIR ID}: saves {@link #saveNumber save n} for n = 1, 2, ... and prints
 *       {@code saved n ok} after each, until killed;
 *   <li>{@code save-big DIR ID CHARS}: saves one message of CHARS characters and prints {@code
 *       saved} or {@code failed <message>}.
 * </ul>
 */
public final class SessionChild {

  private SessionChild() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[1]);
    String id = args[2];
    switch (args[0]) {
      case "hold" -> hold(dir, id);
      case "try" -> tryLock(dir, id);
      case "save-loop" -> saveLoop(dir, id);
      case "save-big" -> saveBig(dir, id, Integer.parseInt(args[3]));
      default -> throw new IllegalArgumentException(args[0]);
    }
  }

  private static void hold(Path dir, String id) throws Exception {
    FileSession session = new FileSession(id, "holder", dir);
    session.load();
    say("locked");
    BufferedReader stdin =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = stdin.readLine()) != null) {
      if (line.equals("close")) {
        session.close();
        say("closed");
      }
    }
  }

  private static void tryLock(Path dir, String id) {
    try (FileSession session = new FileSession(id, "trier", dir)) {
      session.load();
      say("locked");
    } catch (SessionException e) {
      say("refused " + e.getMessage().replace('\n', ' '));
    }
  }

  private static void saveLoop(Path dir, String id) {
    try (FileSession session = new FileSession(id, "saver", dir)) {
      for (int n = 1; ; n++) {
        session.save(saveNumber(n));
        say("saved " + n + " ok");
      }
    }
  }

  private static void saveBig(Path dir, String id, int chars) {
    try (FileSession session = new FileSession(id, "big", dir)) {
      session.save(List.of(Message.user("x".repeat(chars))));
      say("saved");
    } catch (SessionException e) {
      say("failed " + e.getMessage().replace('\n', ' '));
    }
  }

  /**
   * The history written by save number {@code n}: {@code 1 + n % 20} messages of about 2 KB, each
   * naming {@code n} and its own index, so that a reader can tell whether a file holds exactly one
   * complete save.
   */
  static List<Message> saveNumber(int n) {
    List<Message> messages = new ArrayList<>();
    String padding = "p".repeat(2000);
    for (int k = 0; k <= n % 20; k++) {
      String content = "save " + n + " message " + k + " " + padding;
      messages.add(k % 2 == 0 ? Message.user(content) : Message.assistant(content));
    }
    return messages;
  }

  private static void say(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
