package dev.codepilot.examples;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The examples are what users copy, so they use only the public API: nothing of the core's loop,
 * sandbox or internal helpers.
 */
@AnalyzeClasses(
    packages = "dev.codepilot.examples",
    importOptions = ImportOption.DoNotIncludeTests.class)
class PublicApiOnlyTest {

  @ArchTest
  static final ArchRule examplesUseOnlyThePublicApi =
      noClasses()
          .that()
          .resideInAPackage("dev.codepilot.examples..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.codepilot.loop..", "dev.codepilot.sandbox..", "dev.codepilot.internal..");
}
