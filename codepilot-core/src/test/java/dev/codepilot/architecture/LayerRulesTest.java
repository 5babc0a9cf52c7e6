package dev.codepilot.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The layers of {@code codepilot-core} (DESIGN §2, CONTRIBUTING "Layers"): the public runtime
 * ({@code dev.codepilot}) → the loop → the sandbox → tools → the ground (hooks, sessions, the agent
 * file, the model SPI); {@code internal} helpers and the exception family ({@code exception}) may
 * be used by all. Each layer depends only on those below it, and the core knows no face, provider
 * or vendor SDK.
 */
@AnalyzeClasses(packages = "dev.codepilot", importOptions = ImportOption.DoNotIncludeTests.class)
class LayerRulesTest {

  private static final String[] GROUND = {
    "dev.codepilot.hooks", "dev.codepilot.session", "dev.codepilot.config", "dev.codepilot.model"
  };

  @ArchTest
  static final ArchRule layersDependOnlyDownwards =
      layeredArchitecture()
          .consideringOnlyDependenciesInLayers()
          .layer("Runtime")
          .definedBy("dev.codepilot")
          .layer("Loop")
          .definedBy("dev.codepilot.loop")
          .layer("Sandbox")
          .definedBy("dev.codepilot.sandbox")
          .layer("Tools")
          .definedBy("dev.codepilot.tools")
          .layer("Ground")
          .definedBy(GROUND)
          .layer("Internal")
          .definedBy("dev.codepilot.internal")
          .layer("Exceptions")
          .definedBy("dev.codepilot.exception")
          .whereLayer("Runtime")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("Loop")
          .mayOnlyBeAccessedByLayers("Runtime")
          .whereLayer("Sandbox")
          .mayOnlyBeAccessedByLayers("Runtime", "Loop")
          .whereLayer("Tools")
          .mayOnlyBeAccessedByLayers("Runtime", "Loop", "Sandbox")
          .whereLayer("Ground")
          .mayOnlyBeAccessedByLayers("Runtime", "Loop", "Sandbox", "Tools")
          .whereLayer("Internal")
          .mayOnlyBeAccessedByLayers("Runtime", "Loop", "Sandbox", "Tools", "Ground")
          .whereLayer("Exceptions")
          .mayOnlyBeAccessedByLayers("Runtime", "Loop", "Sandbox", "Tools", "Ground");

  /** The exception family is the floor: it knows no other CodePilot package. */
  @ArchTest
  static final ArchRule exceptionsKnowNoOtherPackage =
      noClasses()
          .that()
          .resideInAPackage("dev.codepilot.exception")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.codepilot",
              "dev.codepilot.loop",
              "dev.codepilot.sandbox",
              "dev.codepilot.tools",
              "dev.codepilot.hooks",
              "dev.codepilot.session",
              "dev.codepilot.config",
              "dev.codepilot.model..",
              "dev.codepilot.internal");

  /** The ground packages are one layer; internal helpers below them know none of them. */
  @ArchTest
  static final ArchRule internalKnowsNoOtherPackage =
      noClasses()
          .that()
          .resideInAPackage("dev.codepilot.internal")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.codepilot",
              "dev.codepilot.loop",
              "dev.codepilot.sandbox",
              "dev.codepilot.tools",
              "dev.codepilot.hooks",
              "dev.codepilot.session",
              "dev.codepilot.config",
              "dev.codepilot.model..");

  @ArchTest
  static final ArchRule coreKnowsNoFaceProviderOrVendorSdk =
      noClasses()
          .that()
          .resideInAnyPackage(
              "dev.codepilot",
              "dev.codepilot.config",
              "dev.codepilot.hooks",
              "dev.codepilot.exception",
              "dev.codepilot.internal",
              "dev.codepilot.loop",
              "dev.codepilot.model",
              "dev.codepilot.sandbox",
              "dev.codepilot.session",
              "dev.codepilot.tools")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.codepilot.cli..",
              "dev.codepilot.server..",
              "dev.codepilot.model.openai..",
              "dev.codepilot.model.anthropic..",
              "dev.codepilot.model.http..",
              "picocli..",
              "org.jline..",
              "io.javalin..",
              "com.anthropic..",
              "com.openai..");
}
