package dev.codepilot.cli;

import static dev.codepilot.cli.EvalFixtures.block;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * {@code codepilot eval --report DIR}: report.json, junit.xml read by an XML parser, and
 * report.html opened in headless Chromium (skipped when Chromium is not installed, unless {@code
 * CODEPILOT_REQUIRE_BROWSER=1}).
 */
class EvalReportTest {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  @TempDir Path dir;

  private Path report;
  private Cli.Result result;

  @BeforeEach
  void runSuite() throws Exception {
    EvalFixtures.agent(
        dir,
        Map.of(
            "greets.json",
            List.of(
                block(
                    "think('Writing <b>bold</b> & more')\nwrite_file('hello.sh')\n"
                        + "print(run_command('sh hello.sh'))",
                    "echo 'Hello <i>there</i>'\n"),
                block("done('Wrote hello.sh & ran it.')"))));
    Files.writeString(
        dir.resolve("suite.yaml"),
        """
        name: "report demo"
        agent: "./agent.yaml"
        cases:
          - name: "greets"
            task: "Greet"
            cassette: "./greets.json"
            expect: {summary_contains: "hello.sh"}
          - name: "greets <loudly>"
            task: "Greet loudly"
            cassette: "./greets.json"
            expect:
              summary_contains: "HELLO"
              files: {"shout.txt": {}}
        """);
    report = dir.resolve("out/report");
    result =
        Cli.run(dir, "eval", dir.resolve("suite.yaml").toString(), "--report", report.toString());
    assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isEqualTo(1);
  }

  @Test
  void writesJunitXmlThatAParserReadsAndAJsonReportWithTranscripts() throws Exception {
    assertThat(result.stdout()).contains("report written to " + report.resolve("report.html"));

    Document junit =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(report.resolve("junit.xml").toFile());
    Element suite = (Element) junit.getElementsByTagName("testsuite").item(0);
    assertThat(suite.getAttribute("name")).isEqualTo("report demo");
    assertThat(suite.getAttribute("tests")).isEqualTo("2");
    assertThat(suite.getAttribute("failures")).isEqualTo("1");
    assertThat(Double.parseDouble(suite.getAttribute("time"))).isPositive();
    NodeList cases = junit.getElementsByTagName("testcase");
    assertThat(cases.getLength()).isEqualTo(2);
    Element passing = (Element) cases.item(0);
    assertThat(passing.getAttribute("name")).isEqualTo("greets");
    assertThat(passing.getAttribute("classname")).isEqualTo("report demo");
    assertThat(passing.getElementsByTagName("failure").getLength()).isZero();
    assertThat(passing.getElementsByTagName("system-out").item(0).getTextContent())
        .contains("--- assistant ---")
        .contains("think('Writing <b>bold</b> & more')");
    Element failing = (Element) cases.item(1);
    assertThat(failing.getAttribute("name")).isEqualTo("greets <loudly>");
    Element failure = (Element) failing.getElementsByTagName("failure").item(0);
    assertThat(failure.getAttribute("message"))
        .startsWith("2 expectations failed; first: summary_contains \"HELLO\"");
    assertThat(failure.getTextContent()).contains("files.shout.txt: does not exist");

    JsonNode json = EvalFixtures.JSON.readTree(report.resolve("report.json").toFile());
    assertThat(json.get("suite").asText()).isEqualTo("report demo");
    assertThat(json.get("agent_files").get(0).asText())
        .isEqualTo(dir.resolve("agent.yaml").toAbsolutePath().toString());
    assertThat(json.get("cases")).hasSize(2);
    JsonNode first = json.get("cases").get(0);
    assertThat(first.get("case").asText()).isEqualTo("greets");
    assertThat(first.get("passed").asBoolean()).isTrue();
    assertThat(first.get("transcript").get(0).get("role").asText()).isEqualTo("user");
    assertThat(first.get("transcript").get(0).get("content").asText()).contains("Greet");
    assertThat(json.get("cases").get(1).get("failures")).hasSize(2);
    assertThat(json.get("summary").get("passed").asInt()).isEqualTo(1);
    assertThat(json.get("summary").get("failed").asInt()).isEqualTo(1);

    String html = Files.readString(report.resolve("report.html"));
    assertThat(html)
        .startsWith("<!DOCTYPE html>")
        .doesNotContain("http://")
        .doesNotContain("https://")
        .doesNotContain(" src=")
        .doesNotContain("<link")
        .doesNotContain("<b>bold</b>")
        .contains("&lt;b&gt;bold&lt;/b&gt;");
  }

  @Test
  void theHtmlReportShowsEveryCaseWithCollapsibleTranscriptsInChromium() throws Exception {
    WebDriver driver = startBrowser();
    try {
      driver.get(report.resolve("report.html").toUri().toString());
      assertThat(driver.getTitle()).isEqualTo("Eval: report demo");
      assertThat(driver.findElement(By.id("totals")).getText())
          .contains("1\npassed")
          .contains("1\nfailed")
          .contains("50%\npass rate");
      List<WebElement> rows = driver.findElements(By.cssSelector("#results tbody tr"));
      assertThat(rows).hasSize(2);
      assertThat(rows.get(0).getText()).startsWith("✔ greets finished 2");
      assertThat(rows.get(1).getText()).startsWith("✘ greets <loudly> finished 2");

      WebElement passed = driver.findElement(By.id("case-1-1"));
      WebElement failed = driver.findElement(By.id("case-2-1"));
      assertThat(passed.getDomAttribute("open")).isNull();
      assertThat(failed.getDomAttribute("open")).isNotNull();
      assertThat(failed.findElement(By.cssSelector("ul.failures")).getText())
          .contains("summary_contains \"HELLO\"")
          .contains("files.shout.txt: does not exist");

      // A passing case is collapsed; opening it shows its transcript, one message per line,
      // each of which opens to its full text, shown as text (no markup of the agent's).
      WebElement message = passed.findElement(By.cssSelector("details.message.assistant"));
      assertThat(message.isDisplayed()).isFalse();
      passed.findElement(By.tagName("summary")).click();
      assertThat(message.isDisplayed()).isTrue();
      assertThat(passed.findElements(By.cssSelector("details.message > summary")))
          .extracting(WebElement::getText)
          .containsExactly(
              "user: [USER INPUT] Greet",
              "assistant: think('Writing <b>bold</b> & more')",
              "user: [EXECUTION RESULT] $ sh hello.sh",
              "assistant: done('Wrote hello.sh & ran it.')",
              "user: [EXECUTION RESULT] [Control block executed with no output.]");
      WebElement text = message.findElement(By.tagName("pre"));
      assertThat(text.isDisplayed()).isFalse();
      message.findElement(By.tagName("summary")).click();
      assertThat(text.isDisplayed()).isTrue();
      assertThat(text.getText()).contains("think('Writing <b>bold</b> & more')");
      assertThat(text.findElements(By.tagName("b"))).isEmpty();

      Path screenshot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
      Path target = Files.createDirectories(Path.of("target")).resolve("eval-report.png");
      Files.copy(screenshot, target, StandardCopyOption.REPLACE_EXISTING);
      assertThat(Files.size(target)).isPositive();

      // Self-contained: the page loaded nothing besides itself.
      Object loaded =
          ((JavascriptExecutor) driver)
              .executeScript("return performance.getEntriesByType('resource').length");
      assertThat(((Number) loaded).intValue()).isZero();
    } finally {
      driver.quit();
    }
  }

  private Path profile() throws Exception {
    return Files.createDirectories(dir.resolve("chromium-profile"));
  }

  private WebDriver startBrowser() throws Exception {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      String why =
          "headless Chromium is not installed ("
              + CHROMIUM
              + " and "
              + CHROMEDRIVER
              + "; Debian packages chromium and chromium-driver)";
      if ("1".equals(System.getenv("CODEPILOT_REQUIRE_BROWSER"))) {
        fail(why + ", and CODEPILOT_REQUIRE_BROWSER=1 requires the browser test to run");
      }
      Assumptions.abort("skipping the browser test: " + why);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1280,900",
        "--user-data-dir=" + profile());
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .withTimeout(Duration.ofSeconds(60))
            .build();
    return new ChromeDriver(service, options);
  }
}
