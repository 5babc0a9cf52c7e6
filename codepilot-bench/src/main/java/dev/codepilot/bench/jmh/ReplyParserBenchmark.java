package dev.codepilot.bench.jmh;

import dev.codepilot.bench.Workload;
import dev.codepilot.loop.ParsedReply;
import dev.codepilot.loop.ReplyParser;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** {@link ReplyParser#parse} of a reply with a control block and a 2 KB payload. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ReplyParserBenchmark {

  private final String reply =
      Workload.REPLY + "```\n" + "print('hello, world')\n".repeat(90) + "```\n";

  @Benchmark
  public ParsedReply parse() {
    return ReplyParser.parse(reply);
  }
}
