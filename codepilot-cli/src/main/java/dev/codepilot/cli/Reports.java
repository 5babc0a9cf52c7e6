package dev.codepilot.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * The results of a suite in the forms people and machines read: JSON objects (a line per case for
 * {@code --json}, and {@code report.json}), JUnit XML for CI servers, and a self-contained HTML
 * page.
 */
final class Reports {

  private static final ObjectMapper JSON = new ObjectMapper();

  private Reports() {}

  /** One case's line for {@code --json}. */
  public static ObjectNode caseJson(CaseResult result) {
    ObjectNode node = JSON.createObjectNode();
    node.put("case", result.name());
    node.put("attempt", result.attempt());
    node.put("passed", result.passed());
    node.put("outcome", result.outcome());
    node.put("steps", result.steps());
    node.put("tokens", result.tokens());
    node.put("tokens_in", result.tokensIn());
    node.put("tokens_out", result.tokensOut());
    node.put("seconds", round(result.seconds()));
    ArrayNode failures = node.putArray("failures");
    result.failures().forEach(failures::add);
    result.summary().ifPresent(s -> node.put("summary", s));
    result.workDir().ifPresent(dir -> node.put("work_dir", dir));
    return node;
  }

  /** The final {@code {"summary": {...}}} object. */
  public static ObjectNode summaryJson(SuiteStats stats) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode summary = root.putObject("summary");
    summary.put("passed", stats.passed());
    summary.put("failed", stats.failed());
    summary.put("cases", stats.cases());
    summary.put("repeat", stats.repeat());
    summary.put("pass_rate", round(stats.passRate()));
    if (stats.repeat() > 1) {
      summary.put("pass_at_k", round(stats.passAtK()));
      summary.put("pass_all_k", round(stats.passAllK()));
      ArrayNode rounds = summary.putArray("round_pass_rates");
      stats.roundRates().forEach(r -> rounds.add(round(r)));
      ObjectNode spread = summary.putObject("spread");
      spread.put("min", round(stats.minRate()));
      spread.put("max", round(stats.maxRate()));
      spread.put("stddev", round(stats.stddev()));
      ObjectNode perCase = summary.putObject("per_case");
      stats.perCase().forEach(perCase::put);
    }
    summary.put("seconds", round(stats.seconds()));
    return root;
  }

  /** A compact JSON line. */
  public static String line(ObjectNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  /** Writes {@code report.json}, {@code junit.xml} and {@code report.html} into {@code dir}. */
  public static void write(
      Path dir, Suite suite, List<CaseResult> results, SuiteStats stats, Instant started)
      throws IOException {
    Files.createDirectories(dir);
    writeJson(dir.resolve("report.json"), suite, results, stats, started);
    writeJunit(dir.resolve("junit.xml"), suite, results, stats, started);
    Files.writeString(
        dir.resolve("report.html"), html(suite, results, stats, started), StandardCharsets.UTF_8);
  }

  private static void writeJson(
      Path file, Suite suite, List<CaseResult> results, SuiteStats stats, Instant started)
      throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("suite", suite.name());
    root.put("suite_file", suite.file().toAbsolutePath().toString());
    ArrayNode agents = root.putArray("agent_files");
    suite.agentFiles().forEach(a -> agents.add(a.toString()));
    root.put("started", started.truncatedTo(ChronoUnit.SECONDS).toString());
    ArrayNode cases = root.putArray("cases");
    for (CaseResult result : results) {
      ObjectNode node = caseJson(result);
      ArrayNode transcript = node.putArray("transcript");
      for (CaseResult.Entry entry : result.transcript()) {
        transcript.addObject().put("role", entry.role()).put("content", entry.content());
      }
      cases.add(node);
    }
    root.set("summary", summaryJson(stats).get("summary"));
    JSON.writer(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), root);
  }

  private static void writeJunit(
      Path file, Suite suite, List<CaseResult> results, SuiteStats stats, Instant started)
      throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      XMLStreamWriter xml =
          XMLOutputFactory.newFactory().createXMLStreamWriter(out, StandardCharsets.UTF_8.name());
      xml.writeStartDocument(StandardCharsets.UTF_8.name(), "1.0");
      xml.writeCharacters("\n");
      xml.writeStartElement("testsuites");
      xml.writeAttribute("name", xmlText(suite.name()));
      xml.writeAttribute("tests", String.valueOf(results.size()));
      xml.writeAttribute("failures", String.valueOf(stats.failed()));
      xml.writeAttribute("errors", "0");
      xml.writeAttribute("time", seconds(stats.seconds()));
      xml.writeCharacters("\n  ");
      xml.writeStartElement("testsuite");
      xml.writeAttribute("name", xmlText(suite.name()));
      xml.writeAttribute("tests", String.valueOf(results.size()));
      xml.writeAttribute("failures", String.valueOf(stats.failed()));
      xml.writeAttribute("errors", "0");
      xml.writeAttribute("skipped", "0");
      xml.writeAttribute("time", seconds(stats.seconds()));
      xml.writeAttribute(
          "timestamp",
          DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(
              started.truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC)));
      for (CaseResult result : results) {
        xml.writeCharacters("\n    ");
        xml.writeStartElement("testcase");
        xml.writeAttribute("classname", xmlText(suite.name()));
        xml.writeAttribute("name", xmlText(displayName(result, stats.repeat())));
        xml.writeAttribute("time", seconds(result.seconds()));
        if (!result.passed()) {
          xml.writeCharacters("\n      ");
          xml.writeStartElement("failure");
          xml.writeAttribute("type", "expectation");
          xml.writeAttribute(
              "message",
              xmlText(
                  result.failures().size() == 1
                      ? result.failures().get(0)
                      : result.failures().size()
                          + " expectations failed; first: "
                          + result.failures().get(0)));
          xml.writeCharacters(xmlText(String.join("\n", result.failures())));
          xml.writeEndElement();
        }
        xml.writeCharacters("\n      ");
        xml.writeStartElement("system-out");
        xml.writeCharacters(xmlText(caseText(result)));
        xml.writeEndElement();
        xml.writeCharacters("\n    ");
        xml.writeEndElement();
      }
      xml.writeCharacters("\n  ");
      xml.writeEndElement();
      xml.writeCharacters("\n");
      xml.writeEndElement();
      xml.writeCharacters("\n");
      xml.writeEndDocument();
      xml.close();
    } catch (XMLStreamException e) {
      throw new IOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** The case's figures and transcript as plain text, for a CI server's output pane. */
  private static String caseText(CaseResult result) {
    StringBuilder text =
        new StringBuilder()
            .append("outcome: ")
            .append(result.outcome())
            .append("\nsteps: ")
            .append(result.steps())
            .append("\ntokens: ")
            .append(result.tokensIn())
            .append(" in, ")
            .append(result.tokensOut())
            .append(" out\n");
    result.summary().ifPresent(s -> text.append("summary: ").append(s).append('\n'));
    for (CaseResult.Entry entry : result.transcript()) {
      text.append("\n--- ")
          .append(entry.role())
          .append(" ---\n")
          .append(entry.content())
          .append('\n');
    }
    return text.toString();
  }

  /** The case's name, with its attempt when cases ran more than once. */
  public static String displayName(CaseResult result, int repeat) {
    return repeat > 1 ? result.name() + " #" + result.attempt() : result.name();
  }

  // ---- HTML ----

  private static final String STYLE =
      """
      body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;
        max-width:70rem;padding:0 1rem;color:#1d2327;background:#fff}
      h1{font-size:1.5rem;margin:0 0 .25rem}
      .meta{color:#5f6b76;margin:0 0 1rem}
      .totals{display:flex;gap:1rem;flex-wrap:wrap;margin:0 0 1.5rem}
      .totals div{border:1px solid #d8dde2;border-radius:6px;padding:.5rem .9rem}
      .totals b{display:block;font-size:1.3rem}
      table{border-collapse:collapse;width:100%;margin:0 0 1.5rem}
      th,td{text-align:left;padding:.35rem .6rem;border-bottom:1px solid #e5e8eb}
      td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
      .pass{color:#1a7f37}.fail{color:#cf222e}
      details.case{border:1px solid #d8dde2;border-radius:6px;margin:0 0 .75rem;padding:.4rem .8rem}
      details.case.failed{border-color:#f0b4b8}
      details.case>summary{cursor:pointer;font-weight:600}
      ul.failures{color:#cf222e;margin:.5rem 0}
      ul.failures li{white-space:pre-wrap;word-break:break-word}
      details.message{margin:.3rem 0 .3rem 1rem;border-left:3px solid #d8dde2;padding-left:.6rem}
      details.message.assistant{border-left-color:#8250df}
      details.message>summary{cursor:pointer;color:#5f6b76}
      pre{white-space:pre-wrap;word-break:break-word;background:#f6f8fa;padding:.6rem;
        border-radius:4px;font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,monospace;margin:.3rem 0}
      """;

  static String html(Suite suite, List<CaseResult> results, SuiteStats stats, Instant started) {
    StringBuilder page = new StringBuilder(8192);
    page.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>")
        .append(escape("Eval: " + suite.name()))
        .append("</title>\n")
        .append("<style>\n")
        .append(STYLE)
        .append("</style>\n</head>\n<body>\n");
    page.append("<h1>")
        .append(escape("Eval: " + suite.name()))
        .append("</h1>\n")
        .append("<p class=\"meta\">")
        .append(
            escape(
                "Agent "
                    + String.join(", ", suite.agentFiles().stream().map(Path::toString).toList())
                    + " · started "
                    + started.truncatedTo(ChronoUnit.SECONDS)
                    + " · "
                    + seconds(stats.seconds())
                    + " s"))
        .append("</p>\n");
    page.append("<div class=\"totals\" id=\"totals\">")
        .append(total("passed", stats.passed(), "pass"))
        .append(total("failed", stats.failed(), stats.failed() > 0 ? "fail" : ""))
        .append(total("pass rate", percent(stats.passRate()), ""));
    if (stats.repeat() > 1) {
      page.append(total("pass@" + stats.repeat(), percent(stats.passAtK()), ""))
          .append(total("passed every attempt", percent(stats.passAllK()), ""))
          .append(
              total(
                  "spread of rounds",
                  percent(stats.minRate())
                      + " – "
                      + percent(stats.maxRate())
                      + " (sd "
                      + percent(stats.stddev())
                      + ")",
                  ""));
    }
    page.append("</div>\n");
    page.append("<table id=\"results\">\n<thead><tr><th></th><th>case</th><th>outcome</th>")
        .append("<th class=\"num\">steps</th><th class=\"num\">tokens in</th>")
        .append("<th class=\"num\">tokens out</th><th class=\"num\">seconds</th></tr></thead>\n")
        .append("<tbody>\n");
    for (CaseResult result : results) {
      page.append("<tr class=\"")
          .append(result.passed() ? "passed" : "failed")
          .append("\">")
          .append("<td class=\"")
          .append(result.passed() ? "pass\">✔" : "fail\">✘")
          .append("</td><td><a href=\"#")
          .append(anchor(result))
          .append("\">")
          .append(escape(displayName(result, stats.repeat())))
          .append("</a></td><td>")
          .append(escape(result.outcome()))
          .append("</td><td class=\"num\">")
          .append(result.steps())
          .append("</td><td class=\"num\">")
          .append(result.tokensIn())
          .append("</td><td class=\"num\">")
          .append(result.tokensOut())
          .append("</td><td class=\"num\">")
          .append(seconds(result.seconds()))
          .append("</td></tr>\n");
    }
    page.append("</tbody>\n</table>\n");
    for (CaseResult result : results) {
      page.append("<details class=\"case ")
          .append(result.passed() ? "passed" : "failed")
          .append("\" id=\"")
          .append(anchor(result))
          .append('"')
          .append(result.passed() ? "" : " open")
          .append(">\n<summary>")
          .append(result.passed() ? "✔ " : "✘ ")
          .append(
              escape(
                  displayName(result, stats.repeat())
                      + " — "
                      + result.outcome()
                      + ", "
                      + result.steps()
                      + (result.steps() == 1 ? " step" : " steps")
                      + ", "
                      + result.tokens()
                      + " tokens, "
                      + seconds(result.seconds())
                      + " s"))
          .append("</summary>\n");
      if (!result.passed()) {
        page.append("<ul class=\"failures\">\n");
        for (String failure : result.failures()) {
          page.append("<li>").append(escape(failure)).append("</li>\n");
        }
        page.append("</ul>\n");
      }
      result
          .summary()
          .ifPresent(
              s ->
                  page.append("<p class=\"summary\"><b>Summary:</b> ")
                      .append(escape(s))
                      .append("</p>\n"));
      result
          .workDir()
          .ifPresent(
              d ->
                  page.append("<p class=\"meta\">work_dir kept at ")
                      .append(escape(d))
                      .append("</p>\n"));
      page.append("<div class=\"transcript\">\n");
      for (CaseResult.Entry entry : result.transcript()) {
        page.append("<details class=\"message ")
            .append(escape(entry.role()))
            .append("\">")
            .append("<summary>")
            .append(escape(entry.role() + ": " + preview(entry.content())))
            .append("</summary><pre>")
            .append(escape(entry.content()))
            .append("</pre></details>\n");
      }
      page.append("</div>\n</details>\n");
    }
    page.append("</body>\n</html>\n");
    return page.toString();
  }

  private static String total(String label, Object value, String cssClass) {
    return "<div><b class=\""
        + cssClass
        + "\">"
        + escape(String.valueOf(value))
        + "</b>"
        + escape(label)
        + "</div>";
  }

  private static String anchor(CaseResult result) {
    return "case-" + (result.index() + 1) + "-" + result.attempt();
  }

  /**
   * A message's first line of substance, for its collapsed line: fences are skipped, and a tag line
   * such as {@code [USER INPUT]} is followed by the line after it.
   */
  static String preview(String text) {
    List<String> lines =
        text.lines()
            .map(String::strip)
            .filter(l -> !l.isEmpty() && !l.startsWith("```"))
            .limit(2)
            .toList();
    if (lines.isEmpty()) {
      return "";
    }
    String line = lines.get(0);
    if (line.startsWith("[") && line.endsWith("]") && lines.size() > 1) {
      line = line + " " + lines.get(1);
    }
    return line.length() > 100 ? line.substring(0, 100) + "…" : line;
  }

  /** Text made safe for HTML content and attribute values. */
  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (char c : xmlText(text).toCharArray()) {
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * The text without the characters XML 1.0 cannot carry (escape sequences of terminal output,
   * say), each shown as U+FFFD, and with unpaired surrogates replaced too.
   */
  static String xmlText(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints()
        .forEach(
            c -> {
              boolean allowed =
                  c == 0x9
                      || c == 0xA
                      || c == 0xD
                      || (c >= 0x20 && c <= 0xD7FF)
                      || (c >= 0xE000 && c <= 0xFFFD)
                      || (c >= 0x10000 && c <= 0x10FFFF);
              out.appendCodePoint(allowed ? c : 0xFFFD);
            });
    return out.toString();
  }

  private static String seconds(double value) {
    return String.format(Locale.ROOT, "%.3f", value);
  }

  static String percent(double share) {
    return String.format(Locale.ROOT, "%.0f%%", share * 100);
  }

  private static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
