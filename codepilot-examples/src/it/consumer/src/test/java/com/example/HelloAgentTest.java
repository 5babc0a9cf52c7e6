package com.example;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class HelloAgentTest {

  @Test
  void theAgentWritesItsScriptAndReportsTheSummary() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      HelloAgent.main(new String[0]);
    } finally {
      System.setOut(original);
    }
    String printed = bytes.toString(StandardCharsets.UTF_8);
    original.print(printed);

    assertTrue(printed.contains("⚙️ [write_file]({\"path\":\"hello.sh\"})"), printed);
    assertTrue(printed.endsWith("Created hello.sh in the workspace; running it prints a greeting."
        + System.lineSeparator()), printed);
    assertTrue(Files.readString(Path.of("workspace", "hello.sh")).contains("Hello from CodePilot"));
  }
}
