package dev.codepilot.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.codepilot.exception.CodePilotException;
import dev.codepilot.model.http.ProviderFailure;

/**
 * What the modules outside {@code codepilot-core} may use of it (DESIGN §2, CONTRIBUTING "Layers").
 * The command line depends on every other module but the benchmarks and examples, so its test class
 * path holds the server, the providers and the shared HTTP transport too.
 */
@AnalyzeClasses(packages = "dev.codepilot", importOptions = ImportOption.DoNotIncludeTests.class)
class ModuleBoundaryTest {

  private static final String[] PROVIDERS = {
    "dev.codepilot.model.openai..", "dev.codepilot.model.anthropic..", "dev.codepilot.model.http.."
  };

  /**
   * Providers depend only on the model SPI (which holds {@code ModelConfig}, the type they are
   * created from), the exception family, the shared transport and the internal helpers.
   */
  @ArchTest
  static final ArchRule providersUseOnlyTheModelSpi =
      noClasses()
          .that()
          .resideInAnyPackage(PROVIDERS)
          .should()
          .dependOnClassesThat(
              resideInAPackage("dev.codepilot..")
                  .and(
                      not(
                          resideInAnyPackage(
                              "dev.codepilot.model",
                              "dev.codepilot.internal",
                              "dev.codepilot.exception")))
                  .and(not(resideInAnyPackage(PROVIDERS))));

  /** One provider does not use another; the shared transport uses none. */
  @ArchTest
  static final ArchRule nothingElseUsesTheAnthropicProvider =
      noClasses()
          .that()
          .resideInAnyPackage("dev.codepilot.model.openai..", "dev.codepilot.model.http..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.codepilot.model.anthropic..");

  @ArchTest
  static final ArchRule nothingElseUsesTheOpenAiProvider =
      noClasses()
          .that()
          .resideInAnyPackage("dev.codepilot.model.anthropic..", "dev.codepilot.model.http..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.codepilot.model.openai..");

  /** The loop and the sandbox are the core's own: other modules use the public runtime. */
  @ArchTest
  static final ArchRule nothingOutsideTheCoreUsesTheLoopOrTheSandbox =
      noClasses()
          .that()
          .resideInAnyPackage(
              "dev.codepilot.cli..",
              "dev.codepilot.server..",
              "dev.codepilot.model.openai..",
              "dev.codepilot.model.anthropic..",
              "dev.codepilot.model.http..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("dev.codepilot.loop..", "dev.codepilot.sandbox..");

  /**
   * Every public exception a library module throws is an unchecked {@link CodePilotException}
   * (CONTRIBUTING.md, "Exceptions"). Exempt: the command line, whose exceptions never leave it,
   * {@code internal}, and {@link ProviderFailure}, the transport's checked signal to retry, which
   * never leaves the providers ({@code HttpTransport} turns it into a {@code ModelException}).
   */
  @ArchTest
  static final ArchRule everyPublicExceptionIsACodePilotException =
      classes()
          .that()
          .areAssignableTo(Throwable.class)
          .and()
          .arePublic()
          .and()
          .resideOutsideOfPackages("dev.codepilot.cli..", "dev.codepilot.internal..")
          .and()
          .doNotBelongToAnyOf(ProviderFailure.class)
          .should()
          .beAssignableTo(CodePilotException.class);

  /** The server is a face below none: it knows nothing of the command line. */
  @ArchTest
  static final ArchRule theServerKnowsNoCommandLine =
      noClasses()
          .that()
          .resideInAPackage("dev.codepilot.server..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.codepilot.cli..");

  /** Providers are found through ServiceLoader, so the faces never name one. */
  @ArchTest
  static final ArchRule facesFindProvidersByName =
      noClasses()
          .that()
          .resideInAnyPackage("dev.codepilot.cli..", "dev.codepilot.server..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(PROVIDERS);
}
