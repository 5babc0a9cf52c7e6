package dev.codepilot.model.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.codepilot.internal.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.SoftReference;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes a provider's JSON request body straight to UTF-8 bytes with a streaming generator, and
 * escapes each long text only once while it recurs from one request to the next.
 *
 * <p>Every step sends the whole history again, so without this each step escapes and encodes every
 * earlier message anew (and builds a JSON tree of it). Here a text of {@value #REMEMBERED_LENGTH}
 * characters or more keeps its escaped, UTF-8 form (Jackson's {@link SerializedString}) for as long
 * as consecutive requests keep sending it; a text the last request did not send is dropped. The
 * remembered forms are held softly, so memory pressure clears them rather than failing. One writer
 * per model; safe for concurrent requests.
 */
public final class RequestBodyWriter {

  /** Texts shorter than this are escaped each time: cheaper than looking them up. */
  static final int REMEMBERED_LENGTH = 256;

  /** What a body is made of, written with {@code json} and {@link Texts#string}. */
  @FunctionalInterface
  public interface Content {

    void write(JsonGenerator json, Texts texts) throws IOException;
  }

  /** The texts of one request, each looked up among those the previous request sent. */
  public static final class Texts {

    private final Map<String, SerializedString> previous;
    private final Map<String, SerializedString> current;

    private Texts(Map<String, SerializedString> previous) {
      this.previous = previous;
      // The history grows by a step at a time: room for the last request's texts and a few more.
      this.current = HashMap.newHashMap(previous.size() + 4);
    }

    /** Writes {@code text} as a JSON string value. */
    public void string(JsonGenerator json, String text) throws IOException {
      if (text.length() < REMEMBERED_LENGTH) {
        json.writeString(text);
        return;
      }
      SerializedString encoded = current.get(text);
      if (encoded == null) {
        encoded = previous.get(text);
        if (encoded == null) {
          encoded = new SerializedString(text);
        }
        current.put(text, encoded);
      }
      json.writeString(encoded);
    }

    /** Writes a chat message as most APIs take it: {@code {"role": ..., "content": "..."}}. */
    public void message(JsonGenerator json, String role, String content) throws IOException {
      json.writeStartObject();
      json.writeStringField("role", role);
      json.writeFieldName("content");
      string(json, content);
      json.writeEndObject();
    }
  }

  private volatile SoftReference<Map<String, SerializedString>> remembered =
      new SoftReference<>(Map.of());

  /** The size of the last body: the next one is a little larger, and fits one buffer. */
  private volatile int lastSize = 16 * 1024;

  /** A writer that remembers nothing yet. */
  public RequestBodyWriter() {}

  /** The body, as compact JSON in UTF-8. */
  public byte[] write(Content content) {
    Map<String, SerializedString> previous = remembered.get();
    Texts texts = new Texts(previous == null ? Map.of() : previous);
    ByteArrayBuilder bytes = new ByteArrayBuilder(lastSize + lastSize / 8 + 1024);
    try (JsonGenerator json = Json.mapper().createGenerator(bytes)) {
      content.write(json, texts);
    } catch (IOException e) {
      // Writing to memory fails only on a broken Content.
      throw new UncheckedIOException(e);
    }
    remembered = new SoftReference<>(texts.current);
    byte[] body = bytes.toByteArray();
    lastSize = body.length;
    return body;
  }

  /** How many texts the writer remembers from its last request (for tests). */
  int remembered() {
    Map<String, SerializedString> texts = remembered.get();
    return texts == null ? 0 : texts.size();
  }
}
