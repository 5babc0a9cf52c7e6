package dev.codepilot.postgres;

import dev.codepilot.model.Message;
import java.util.ArrayList;
import java.util.List;

/**
 * A writer in a process of its own, for the cross-process tests: takes session {@code id}, appends
 * steps up to {@code steps} (two messages each, one save per step), printing {@code saved N} after
 * each, then {@code holding} and sleeps {@code holdMillis} with the lock held before it closes. A
 * refused lock prints {@code refused: <message>} and exits 3.
 *
 * <p>Arguments: url user password id steps holdMillis.
 */
public final class ChildWriter {

  private ChildWriter() {}

  public static void main(String[] args) throws InterruptedException {
    String url = args[0];
    String id = args[3];
    int steps = Integer.parseInt(args[4]);
    long holdMillis = Long.parseLong(args[5]);
    try (PostgresSessionStore store = PostgresSessionStore.open(url, args[1], args[2]);
        PostgresSession session = store.open(id, "Child Agent")) {
      List<Message> history;
      try {
        history = new ArrayList<>(session.load());
      } catch (RuntimeException e) {
        System.out.println("refused: " + e.getMessage());
        System.out.flush();
        System.exit(3);
        return;
      }
      for (int step = history.size() / 2 + 1; step <= steps; step++) {
        history.add(Message.assistant("step " + step));
        history.add(Message.user("result " + step));
        session.save(history);
        System.out.println("saved " + step);
        System.out.flush();
      }
      System.out.println("holding");
      System.out.flush();
      Thread.sleep(holdMillis);
    }
  }
}
