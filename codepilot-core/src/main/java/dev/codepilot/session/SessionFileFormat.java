package dev.codepilot.session;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import dev.codepilot.internal.Json;
import dev.codepilot.model.Message;
import dev.codepilot.model.Role;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The session file format, shared with the Python reference:
 *
 * <pre>{@code
 * {
 *   "session_id": "ecommerce-api",
 *   "agent_name": "BackendEngineer",
 *   "created_at": 1712345678.0,
 *   "updated_at": 1712349999.25,
 *   "messages": [{"role": "user", "content": "..."}]
 * }
 * }</pre>
 *
 * <p>Timestamps are epoch seconds as JSON numbers (written with a fraction, read in any number
 * form). Unknown fields are ignored so that files from newer writers still load. Reading is a
 * single streaming pass; when only the metadata is wanted the message texts are skipped, not
 * decoded.
 */
final class SessionFileFormat {

  /** What a session file holds; {@code messages} is empty when only metadata was read. */
  record Stored(
      String sessionId,
      String agentName,
      Instant createdAt,
      Instant updatedAt,
      int messageCount,
      List<Message> messages) {}

  /** The file is not a valid session file; the message says what is wrong and where. */
  static final class InvalidSessionFile extends Exception {

    private static final long serialVersionUID = 1L;

    InvalidSessionFile(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The file cannot be read for a reason that says nothing about its content (too large). */
  static final class UnreadableSessionFile extends Exception {

    private static final long serialVersionUID = 1L;

    UnreadableSessionFile(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private static final DefaultPrettyPrinter PRETTY =
      new DefaultPrettyPrinter(
              Separators.createDefaultInstance()
                  .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                  .withObjectEmptySeparator("")
                  .withArrayEmptySeparator(""))
          .withObjectIndenter(new DefaultIndenter("  ", "\n"))
          .withArrayIndenter(new DefaultIndenter("  ", "\n"));

  private SessionFileFormat() {}

  /** Writes one session document, pretty-printed UTF-8 with a final newline. */
  static void write(
      OutputStream out,
      String sessionId,
      String agentName,
      Instant createdAt,
      Instant updatedAt,
      List<Message> messages)
      throws IOException {
    JsonGenerator g = Json.mapper().createGenerator(out, JsonEncoding.UTF8);
    // The caller still has to flush and sync the stream after the document is complete.
    g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    g.setPrettyPrinter(new DefaultPrettyPrinter(PRETTY));
    try (g) {
      g.writeStartObject();
      g.writeStringField("session_id", storable(sessionId, "session_id"));
      g.writeStringField("agent_name", storable(agentName, "agent_name"));
      g.writeFieldName("created_at");
      g.writeNumber(epochSeconds(createdAt));
      g.writeFieldName("updated_at");
      g.writeNumber(epochSeconds(updatedAt));
      g.writeArrayFieldStart("messages");
      for (int i = 0; i < messages.size(); i++) {
        Message message = messages.get(i);
        g.writeStartObject();
        g.writeStringField("role", message.role().wireName());
        g.writeStringField("content", storable(message.content(), "messages[" + i + "].content"));
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
      g.writeRaw('\n');
    }
  }

  /**
   * {@code text}, when it is short enough to be read back; a longer one is refused rather than
   * written into a file that could not be loaded again.
   */
  private static String storable(String text, String field) throws IOException {
    if (text.length() > Json.MAX_STORED_STRING_LENGTH) {
      throw new IOException(
          field
              + " has "
              + text.length()
              + " characters, more than the "
              + Json.MAX_STORED_STRING_LENGTH
              + " a session file may hold");
    }
    return text;
  }

  /**
   * Reads a session file in one pass.
   *
   * @param withMessages false to count the messages without decoding their texts
   * @throws java.nio.file.NoSuchFileException when there is no file
   * @throws IOException when the file cannot be read at all (permissions, I/O error)
   * @throws InvalidSessionFile when the file is not a complete, valid session file
   * @throws UnreadableSessionFile when the file is valid as far as read but exceeds the JSON
   *     reader's limits
   */
  static Stored read(Path file, boolean withMessages)
      throws IOException, InvalidSessionFile, UnreadableSessionFile {
    try (InputStream in = Files.newInputStream(file);
        JsonParser p = Json.mapper().createParser(in)) {
      return read(p, withMessages);
    } catch (StreamConstraintsException e) {
      throw new UnreadableSessionFile(
          "it exceeds the JSON reader's limits (" + e.getOriginalMessage() + ")", e);
    } catch (JsonEOFException e) {
      throw new InvalidSessionFile(
          "the file ends in the middle of the JSON document"
              + " (truncated?)"
              + where(e.getLocation()),
          e);
    } catch (JsonProcessingException e) {
      throw new InvalidSessionFile(
          "it is not valid JSON: " + e.getOriginalMessage() + where(e.getLocation()), e);
    } catch (CharConversionException e) {
      throw new InvalidSessionFile("it is not text in a JSON encoding: " + e.getMessage(), e);
    }
  }

  private static Stored read(JsonParser p, boolean withMessages)
      throws IOException, InvalidSessionFile {
    JsonToken token = p.nextToken();
    if (token == null) {
      throw new InvalidSessionFile("the file is empty", null);
    }
    if (token != JsonToken.START_OBJECT) {
      throw invalid(p, "expected a JSON object at the top level, found " + describe(token));
    }
    String sessionId = null;
    String agentName = null;
    Instant createdAt = null;
    Instant updatedAt = null;
    int count = -1;
    List<Message> messages = new ArrayList<>();
    while ((token = p.nextToken()) == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      switch (field) {
        case "session_id" -> sessionId = string(p, field);
        case "agent_name" -> agentName = string(p, field);
        case "created_at" -> createdAt = timestamp(p, field);
        case "updated_at" -> updatedAt = timestamp(p, field);
        case "messages" -> {
          messages.clear();
          count = messages(p, withMessages ? messages : null);
        }
        default -> p.skipChildren();
      }
    }
    if (token != JsonToken.END_OBJECT) {
      throw invalid(p, "expected a field name or '}', found " + describe(token));
    }
    if (p.nextToken() != null) {
      throw invalid(p, "unexpected content after the session object");
    }
    requirePresent(p, sessionId, "session_id");
    requirePresent(p, agentName, "agent_name");
    requirePresent(p, createdAt, "created_at");
    requirePresent(p, updatedAt, "updated_at");
    if (count < 0) {
      throw invalid(p, "the field 'messages' is missing");
    }
    return new Stored(sessionId, agentName, createdAt, updatedAt, count, List.copyOf(messages));
  }

  /** Reads the messages array; adds the messages to {@code into} unless it is null. */
  private static int messages(JsonParser p, List<Message> into)
      throws IOException, InvalidSessionFile {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw invalid(p, "'messages' must be an array, found " + describe(p.currentToken()));
    }
    int index = 0;
    JsonToken token;
    while ((token = p.nextToken()) != JsonToken.END_ARRAY) {
      String at = "messages[" + index + "]";
      if (token != JsonToken.START_OBJECT) {
        throw invalid(p, at + " must be an object, found " + describe(token));
      }
      Role role = null;
      String content = null;
      boolean hasContent = false;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        switch (field) {
          case "role" -> {
            String name = string(p, at + ".role");
            try {
              role = Role.fromWireName(name);
            } catch (IllegalArgumentException e) {
              throw invalid(p, at + ": " + e.getMessage());
            }
          }
          case "content" -> {
            if (value != JsonToken.VALUE_STRING) {
              throw invalid(p, at + ".content must be a string, found " + describe(value));
            }
            hasContent = true;
            // Counting only: leave the text undecoded, the parser skips it on the next token.
            content = into == null ? null : storedText(p, at + ".content");
          }
          default -> p.skipChildren();
        }
      }
      if (role == null) {
        throw invalid(p, at + " has no 'role'");
      }
      if (!hasContent) {
        throw invalid(p, at + " has no 'content'");
      }
      if (into != null) {
        into.add(new Message(role, content));
      }
      index++;
    }
    return index;
  }

  private static String string(JsonParser p, String field) throws IOException, InvalidSessionFile {
    if (p.currentToken() != JsonToken.VALUE_STRING) {
      throw invalid(p, "'" + field + "' must be a string, found " + describe(p.currentToken()));
    }
    return storedText(p, field);
  }

  /** The current string, refused when it is longer than a session file may hold. */
  private static String storedText(JsonParser p, String field)
      throws IOException, InvalidSessionFile {
    String text = p.getText();
    if (text.length() > Json.MAX_STORED_STRING_LENGTH) {
      throw invalid(
          p,
          field
              + " has "
              + text.length()
              + " characters, more than the "
              + Json.MAX_STORED_STRING_LENGTH
              + " a session file may hold");
    }
    return text;
  }

  private static Instant timestamp(JsonParser p, String field)
      throws IOException, InvalidSessionFile {
    JsonToken token = p.currentToken();
    if (token != JsonToken.VALUE_NUMBER_FLOAT && token != JsonToken.VALUE_NUMBER_INT) {
      throw invalid(
          p, "'" + field + "' must be a number of epoch seconds, found " + describe(token));
    }
    try {
      return instant(p.getDecimalValue());
    } catch (ArithmeticException | java.time.DateTimeException e) {
      throw invalid(p, "'" + field + "' is out of range: " + p.getText());
    }
  }

  /** Epoch seconds with microsecond precision and at least one decimal, e.g. 1712345678.0. */
  static BigDecimal epochSeconds(Instant instant) {
    BigDecimal seconds =
        BigDecimal.valueOf(instant.getEpochSecond())
            .add(BigDecimal.valueOf(instant.getNano() / 1000, 6))
            .stripTrailingZeros();
    return seconds.scale() < 1 ? seconds.setScale(1) : seconds;
  }

  static Instant instant(BigDecimal epochSeconds) {
    BigDecimal nanos = epochSeconds.setScale(9, RoundingMode.HALF_UP);
    BigDecimal whole = nanos.setScale(0, RoundingMode.FLOOR);
    return Instant.ofEpochSecond(
        whole.longValueExact(), nanos.subtract(whole).movePointRight(9).longValueExact());
  }

  private static void requirePresent(JsonParser p, Object value, String field)
      throws InvalidSessionFile {
    if (value == null) {
      throw invalid(p, "the field '" + field + "' is missing");
    }
  }

  private static InvalidSessionFile invalid(JsonParser p, String problem) {
    return new InvalidSessionFile(problem + where(p.currentLocation()), null);
  }

  private static String where(JsonLocation location) {
    if (location == null || location.getLineNr() < 1) {
      return "";
    }
    return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
  }

  private static String describe(JsonToken token) {
    if (token == null) {
      return "the end of the file";
    }
    return switch (token) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> token.asString() == null ? token.name() : "'" + token.asString() + "'";
    };
  }
}
