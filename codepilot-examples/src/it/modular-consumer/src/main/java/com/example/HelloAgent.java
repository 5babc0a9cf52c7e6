package com.example;

import dev.codepilot.AgentRuntime;
import dev.codepilot.RunResult;
import dev.codepilot.model.ChatModelProvider;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Path;
import java.util.ServiceLoader;
import java.util.TreeSet;

/**
 * The consumer program on the module path: it says which module the runtime came from, what that
 * module exports to everyone, which providers were bound as services, and then runs an agent whose
 * block imports from Python's standard library and calls tools.
 */
public class HelloAgent {

  public static void main(String[] args) throws Exception {
    Module core = AgentRuntime.class.getModule();
    System.out.println("module: " + core.getName());
    TreeSet<String> exported = new TreeSet<>();
    for (ModuleDescriptor.Exports exports : core.getDescriptor().exports()) {
      if (!exports.isQualified()) {
        exported.add(exports.source());
      }
    }
    System.out.println("exports: " + exported);
    ServiceLoader.load(ChatModelProvider.class).stream()
        .map(
            provider ->
                provider.type().getModule().getName() + "/" + provider.type().getSimpleName())
        .sorted()
        .forEach(provider -> System.out.println("provider: " + provider));

    try (AgentRuntime runtime =
        AgentRuntime.builder(Path.of("agent.yaml")).consoleOutput(true).build()) {
      RunResult result = runtime.run("Write a greeting script and run it");
      System.out.println(result.summary().orElse("The run ended with " + result.outcome()));
    }
  }
}
