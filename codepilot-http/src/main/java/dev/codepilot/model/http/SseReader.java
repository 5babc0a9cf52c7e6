package dev.codepilot.model.http;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Reads server-sent events: {@code event:} and {@code data:} lines up to a blank line. Comment
 * lines ({@code :keep-alive}) and unknown fields are skipped; several {@code data:} lines join with
 * a newline. A last event cut off without its blank line is still returned.
 */
public final class SseReader {

  /** One event; {@code name} is empty when the server sent no {@code event:} line. */
  public record Event(String name, String data) {}

  private final BufferedReader lines;

  public SseReader(InputStream body) {
    this.lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
  }

  /** The next event, or empty at the end of the stream. */
  public Optional<Event> next() throws IOException {
    String name = "";
    StringBuilder data = null;
    String line;
    while ((line = lines.readLine()) != null) {
      if (line.isEmpty()) {
        if (data != null) {
          return Optional.of(new Event(name, data.toString()));
        }
        name = "";
        continue;
      }
      if (line.startsWith(":")) {
        continue;
      }
      int colon = line.indexOf(':');
      String field = colon < 0 ? line : line.substring(0, colon);
      String value = colon < 0 ? "" : line.substring(colon + 1);
      if (value.startsWith(" ")) {
        value = value.substring(1);
      }
      if (field.equals("event")) {
        name = value;
      } else if (field.equals("data")) {
        if (data == null) {
          data = new StringBuilder();
        } else {
          data.append('\n');
        }
        data.append(value);
      }
    }
    return data == null ? Optional.empty() : Optional.of(new Event(name, data.toString()));
  }
}
