package dev.codepilot.server;

import static dev.codepilot.server.TestServer.block;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.codepilot.internal.TerminalText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Drives the page in headless Chromium through a whole task: log in with the URL's token, create a
 * session, run a task from the keyboard, approve a permission request, and see the summary. Skipped
 * when Chromium is not installed, unless {@code CODEPILOT_REQUIRE_BROWSER=1}.
 */
class BrowserUiTest {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  @TempDir Path root;

  private TestServer server;
  private WebDriver driver;

  @BeforeEach
  void startBrowser() throws Exception {
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
    server = TestServer.start(root);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1280,900",
        "--user-data-dir=" + Files.createDirectories(root.resolve("chromium-profile")));
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    driver = new ChromeDriver(service, options);
  }

  @AfterEach
  void stop() {
    if (driver != null) {
      driver.quit();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aWholeTaskWithOnePermissionApprovalRunsFromThePage() throws Exception {
    server
        .model("release")
        .reply(
            block("think('Planning <b>the</b> release & checks')\nprint(publish('demo'))"),
            block("done('Published demo.')"));
    WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));

    driver.get(server.server.browserUrl().toString());
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("app")));
    assertThat(driver.getCurrentUrl()).doesNotContain("token");
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("agent-name"), TestServer.AGENT_NAME));

    WebElement newId = driver.findElement(By.id("new-session-id"));
    newId.sendKeys("release", Keys.ENTER);
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(By.id("session-title"), "release"));
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("connection"), "live"));
    WebElement task = wait.until(ExpectedConditions.elementToBeClickable(By.id("task-input")));
    task.sendKeys("Publish the demo package");
    task.sendKeys(Keys.chord(Keys.CONTROL, Keys.ENTER));

    WebElement approve =
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("approve-button")));
    assertThat(driver.findElement(By.id("permission-description")).getText()).contains("demo");
    wait.until(d -> approve.equals(d.switchTo().activeElement()));
    driver.switchTo().activeElement().sendKeys(Keys.ENTER);

    WebElement finish =
        wait.until(
            ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#timeline .item.finish")));
    assertThat(finish.getText()).contains("Published demo.");
    wait.until(
        ExpectedConditions.visibilityOfElementLocated(
            By.cssSelector("#timeline .item.run-end.finished")));
    WebElement think = driver.findElement(By.cssSelector("#timeline .item.think"));
    assertThat(think.getText()).contains("Planning <b>the</b> release & checks");
    assertThat(think.findElements(By.tagName("b"))).isEmpty();
    List<WebElement> calls = driver.findElements(By.cssSelector("#timeline .item.call summary"));
    assertThat(calls).extracting(WebElement::getText).anyMatch(t -> t.contains("publish("));
    assertThat(driver.findElement(By.id("permission")).isDisplayed()).isFalse();
    assertThat(driver.findElement(By.id("run-state")).getText()).isEqualTo("idle");
    assertThat(server.published).containsExactly("demo");

    driver.findElement(By.cssSelector("#timeline .item.call summary")).click();
    Path screenshot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
    Path target = Files.createDirectories(Path.of("target")).resolve("ui-run.png");
    Files.copy(screenshot, target, StandardCopyOption.REPLACE_EXISTING);
    assertThat(Files.size(target)).isPositive();
  }

  @Test
  void thePermissionBoxShowsEveryPartOfAHostileCommandVisibly() throws Exception {
    String hostile = "'\\x1b]0;PWNED\\x07\\x1b[2J\\x9b2J\\u202eevil\\u2066\\u200b\\u2028\\x08end'";
    server
        .model("spoof")
        .reply(
            block(
                "think("
                    + hostile
                    + ")\n"
                    + "run_command('touch SPOOF1 #' + '\\n' * 60 + 'ls -la')\n"
                    + "run_command('touch SPOOF2 #\\r\\u202e' + ''.join('echo %d\\n' % i for i in"
                    + " range(400)) + 'ls -la')"),
            block("done(" + hostile + ")"));
    WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
    driver.get(server.server.browserUrl().toString());
    WebElement newId = wait.until(ExpectedConditions.elementToBeClickable(By.id("new-session-id")));
    newId.sendKeys("spoof", Keys.ENTER);
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("connection"), "live"));
    WebElement task = wait.until(ExpectedConditions.elementToBeClickable(By.id("task-input")));
    task.sendKeys("List the files");
    task.sendKeys(Keys.chord(Keys.CONTROL, Keys.ENTER));

    // The start of the command is in the box, next to its end: sixty line breaks are counted.
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("permission-description"), "SPOOF1"));
    assertThat(text("permission-description")).isEqualTo("Execute: touch SPOOF1 #⟨60 × ⏎⟩ls -la");
    assertThat(text("permission-size")).contains("61 lines");
    assertThat(driver.findElement(By.id("permission-description")).getText())
        .isEqualTo("Execute: touch SPOOF1 #⟨60 × ⏎⟩ls -la");
    driver.findElement(By.id("deny-button")).click();

    // A long one is there whole, its carriage return and override shown, the box scrolling.
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("permission-description"), "SPOOF2"));
    String second = text("permission-description");
    assertThat(second)
        .startsWith("Execute: touch SPOOF2 #␍⟨U+202E⟩echo 0⏎echo 1⏎")
        .endsWith("echo 399⏎ls -la");
    assertThat(text("permission-size")).contains("402 lines").contains("scroll");
    Object scrolls =
        ((JavascriptExecutor) driver)
            .executeScript(
                "const box = document.getElementById('permission-description');"
                    + " return box.scrollHeight > box.clientHeight;");
    assertThat(scrolls).isEqualTo(true);
    Path screenshot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(
        screenshot,
        Files.createDirectories(Path.of("target")).resolve("ui-permission.png"),
        StandardCopyOption.REPLACE_EXISTING);
    driver.findElement(By.id("deny-button")).click();

    wait.until(
        ExpectedConditions.visibilityOfElementLocated(
            By.cssSelector("#timeline .item.run-end.finished")));
    String timeline = text("timeline");
    assertThat(timeline)
        .contains("␛]0;PWNED␇␛[2J⟨U+009B⟩2J⟨U+202E⟩evil⟨U+2066⟩⟨U+200B⟩⟨U+2028⟩␈end")
        .contains("run_command: Execute: touch SPOOF1 #⟨60 × ⏎⟩ls -la");
    for (String id : List.of("timeline", "permission-description", "permission-size")) {
      String shown = text(id);
      assertThat(
              shown
                  .codePoints()
                  .filter(c -> c != '\n' && c != '\t')
                  .noneMatch(TerminalText::isHidden))
          .as(id + ": " + shown)
          .isTrue();
    }
    assertThat(server.workDir.resolve("SPOOF1")).doesNotExist();
  }

  /** The element's text as the page holds it (textContent), not as laid out. */
  private String text(String id) {
    return String.valueOf(
        ((JavascriptExecutor) driver)
            .executeScript("return document.getElementById(arguments[0]).textContent;", id));
  }

  @Test
  void aQuestionIsAnsweredFromThePageAndTheSavedConversationShowsOnReturn() throws Exception {
    server.model("earlier").reply(block("done('An earlier task.')"));
    server.run("earlier", "Do the earlier thing");
    server.awaitIdle("earlier");
    ScriptedModel model = server.model("earlier");
    model.reply(
        block("colour = ask_user('Which colour?')\nprint('chosen:', colour)"),
        block("done('Painted it ' + 'blue.')"));
    WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));

    driver.get(server.server.browserUrl().toString());
    WebElement entry =
        wait.until(
            ExpectedConditions.elementToBeClickable(
                By.cssSelector("button[data-session='earlier']")));
    entry.click();
    WebElement history =
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("history")));
    assertThat(history.getText()).contains("3 messages");
    history.findElement(By.tagName("summary")).click();
    assertThat(history.getText()).contains("Do the earlier thing");
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("connection"), "live"));

    WebElement task = driver.findElement(By.id("task-input"));
    task.sendKeys("Paint it");
    driver.findElement(By.id("task-button")).click();
    WebElement answer =
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("answer-input")));
    assertThat(driver.findElement(By.id("question-text")).getText()).isEqualTo("Which colour?");
    wait.until(d -> answer.equals(d.switchTo().activeElement()));
    answer.sendKeys("blue", Keys.ENTER);

    WebElement finish =
        wait.until(
            ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#timeline .item.finish")));
    assertThat(finish.getText()).contains("Painted it blue.");
    assertThat(driver.findElement(By.id("timeline")).getText()).contains("Answered: blue");
    assertThat(model.requests().get(model.requests().size() - 1).messages())
        .last()
        .satisfies(m -> assertThat(m.content()).contains("chosen: blue"));
    Path screenshot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(
        screenshot,
        Files.createDirectories(Path.of("target")).resolve("ui-question.png"),
        StandardCopyOption.REPLACE_EXISTING);
  }
}
