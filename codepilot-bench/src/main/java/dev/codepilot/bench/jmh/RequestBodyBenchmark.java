package dev.codepilot.bench.jmh;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codepilot.bench.Workload;
import dev.codepilot.internal.Json;
import dev.codepilot.model.Message;
import dev.codepilot.model.http.RequestBodyWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The JSON body of one Chat Completions request after a history of {@code history} steps (about 2
 * KB each) and a system prompt of about 6 KB; each call adds one step whose texts are new. {@code
 * jsonTree} builds the body as the providers did before: a Jackson tree, written to a String,
 * encoded to UTF-8. {@code bodyWriter} is {@link RequestBodyWriter}, as they do now: a streaming
 * generator straight to bytes, the recurring texts escaped once.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RequestBodyBenchmark {

  @Param({"10", "100", "500"})
  public int history;

  private final RequestBodyWriter writer = new RequestBodyWriter();
  private List<Message> messages;
  private String systemPrompt;
  private long step;

  @Setup
  public void setUp() {
    messages = new ArrayList<>(Workload.history(history, Workload.EXECUTION_RESULT));
    systemPrompt =
        "You are Bench Agent.\n\n" + "- `tool(arg: str) -> str`: does a thing.\n".repeat(150);
  }

  /** The history with one more step, whose texts no earlier request sent. */
  private List<Message> nextStep() {
    step++;
    messages.add(Message.assistant(Workload.REPLY + "# step " + step + "\n"));
    messages.add(Message.user(Workload.EXECUTION_RESULT + "\nstep " + step));
    List<Message> request = List.copyOf(messages);
    messages.subList(messages.size() - 2, messages.size()).clear();
    return request;
  }

  @Benchmark
  public byte[] jsonTree() {
    List<Message> request = nextStep();
    ObjectNode body = Json.mapper().createObjectNode();
    body.put("model", "bench-model");
    ArrayNode array = body.putArray("messages");
    array.addObject().put("role", "system").put("content", new String(systemPrompt));
    for (Message message : request) {
      array.addObject().put("role", message.role().wireName()).put("content", message.content());
    }
    body.put("temperature", 0.0);
    body.put("max_tokens", 1024);
    body.put("stream", true);
    body.putObject("stream_options").put("include_usage", true);
    return Json.write(body).getBytes(StandardCharsets.UTF_8);
  }

  @Benchmark
  public byte[] bodyWriter() {
    List<Message> request = nextStep();
    // The prompt is rendered anew every step: an equal text, not the same object.
    String prompt = new String(systemPrompt);
    return writer.write(
        (json, texts) -> {
          json.writeStartObject();
          json.writeStringField("model", "bench-model");
          json.writeArrayFieldStart("messages");
          texts.message(json, "system", prompt);
          for (Message message : request) {
            texts.message(json, message.role().wireName(), message.content());
          }
          json.writeEndArray();
          json.writeNumberField("temperature", 0.0);
          json.writeNumberField("max_tokens", 1024);
          json.writeBooleanField("stream", true);
          json.writeObjectFieldStart("stream_options");
          json.writeBooleanField("include_usage", true);
          json.writeEndObject();
          json.writeEndObject();
        });
  }
}
