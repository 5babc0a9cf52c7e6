package dev.codepilot.model.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codepilot.internal.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class RequestBodyWriterTest {

  private static final String LONG = "x".repeat(RequestBodyWriter.REMEMBERED_LENGTH);

  /** Texts that need escaping or more than one byte in UTF-8, each long enough to be remembered. */
  private static final List<String> TRICKY =
      List.of(
          LONG + " quotes \" and backslashes \\ and\nnew lines\tand tabs",
          LONG + " lines 1–42 of 42 (an en dash, wider than Latin-1)",
          LONG + " control \u0000\u0001\u001f and DEL \u007f",
          LONG + " emoji 🙂 (a surrogate pair) and ü é",
          LONG + " line separators \u2028\u2029 and a lone surrogate? no: \uD83D\uDE00",
          "short \"one\" – escaped each time");

  private final RequestBodyWriter writer = new RequestBodyWriter();

  /** The body the writer makes for these texts: {"messages":[{"content":...},...]}. */
  private byte[] body(List<String> texts) {
    return writer.write(
        (json, strings) -> {
          json.writeStartObject();
          json.writeArrayFieldStart("messages");
          for (String text : texts) {
            json.writeStartObject();
            json.writeFieldName("content");
            strings.string(json, text);
            json.writeEndObject();
          }
          json.writeEndArray();
          json.writeEndObject();
        });
  }

  /** The same body as Jackson writes it from a tree. */
  private static String expected(List<String> texts) {
    ObjectNode root = Json.mapper().createObjectNode();
    ArrayNode messages = root.putArray("messages");
    for (String text : texts) {
      messages.addObject().put("content", text);
    }
    return Json.write(root);
  }

  private static String utf8(byte[] bytes) {
    return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
  }

  @Test
  void writesWhatJacksonWritesFromATreeBothFreshAndFromRememberedTexts() {
    String first = utf8(body(TRICKY));
    String second = utf8(body(TRICKY));

    assertThat(first).isEqualTo(expected(TRICKY));
    assertThat(second).isEqualTo(first);
  }

  @Test
  void remembersLongTextsOnlyWhileConsecutiveRequestsSendThem() {
    String a = LONG + "a";
    String b = LONG + "b";
    String c = LONG + "c";

    body(List.of(a, b, "short"));
    assertThat(writer.remembered()).isEqualTo(2);

    // The history grows by c; b is no longer sent and is forgotten.
    assertThat(utf8(body(List.of(a, c, a)))).isEqualTo(expected(List.of(a, c, a)));
    assertThat(writer.remembered()).isEqualTo(2);

    assertThat(utf8(body(List.of(b)))).isEqualTo(expected(List.of(b)));
    assertThat(writer.remembered()).isEqualTo(1);
  }

  @Test
  void aTextEqualToARememberedOneButNotTheSameObjectIsFound() {
    String prompt = LONG + " the system prompt, rendered anew every step";
    body(List.of(prompt));

    String rendered = new String(prompt.toCharArray());
    assertThat(utf8(body(List.of(rendered)))).isEqualTo(expected(List.of(prompt)));
    assertThat(writer.remembered()).isEqualTo(1);
  }

  @Test
  void concurrentRequestsThroughOneWriterEachGetTheirOwnBody() throws Exception {
    List<List<String>> requests = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      List<String> texts = new ArrayList<>();
      for (int j = 0; j <= i % 7; j++) {
        texts.add(TRICKY.get((i + j) % TRICKY.size()) + (j % 2 == 0 ? "" : " " + i));
      }
      requests.add(texts);
    }
    List<Future<Boolean>> results = new ArrayList<>();
    try (ExecutorService threads = Executors.newFixedThreadPool(8)) {
      for (List<String> texts : requests) {
        results.add(threads.submit(() -> utf8(body(texts)).equals(expected(texts))));
      }
    }
    for (Future<Boolean> result : results) {
      assertThat(result.get()).isTrue();
    }
  }
}
