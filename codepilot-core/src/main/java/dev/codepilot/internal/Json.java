package dev.codepilot.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.UncheckedIOException;

/**
 * The project's one JSON mapper configuration: session files, cassettes, events, the tool boundary
 * with the sandbox and the providers' wire formats all go through it.
 */
public final class Json {

  /**
   * The longest string, in characters, that a stored document holds: every message the history
   * keeps is cut to it, the session writer refuses longer strings and the session reader refuses
   * files that have one. So whatever is saved can be read back.
   */
  public static final int MAX_STORED_STRING_LENGTH = 20_000_000;

  /**
   * The longest string the mapper reads. Input (a cassette, a provider's reply) may hold a text
   * longer than is stored; it is read whole so that the history can keep its head and say how much
   * was cut. Request bodies of the server are limited in bytes before they get here.
   */
  static final int MAX_READ_STRING_LENGTH = 5 * MAX_STORED_STRING_LENGTH;

  private static final ObjectMapper MAPPER =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxStringLength(MAX_READ_STRING_LENGTH)
                          .build())
                  .build())
          .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  private Json() {}

  /** The shared mapper. Do not reconfigure it. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** Serialises a value to compact JSON; values here are always serialisable. */
  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
