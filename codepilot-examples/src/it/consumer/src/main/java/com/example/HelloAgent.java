package com.example;

// tag::minimal[]
import dev.codepilot.AgentRuntime;
import dev.codepilot.RunResult;
import java.nio.file.Path;

public class HelloAgent {

  public static void main(String[] args) throws Exception {
    try (AgentRuntime runtime =
        AgentRuntime.builder(Path.of("agent.yaml"))
            .consoleOutput(true) // print the agent's progress as it works
            .build()) {
      RunResult result = runtime.run("Write a greeting script and run it");
      System.out.println(result.summary().orElse("The run ended with " + result.outcome()));
    }
  }
}
// end::minimal[]
