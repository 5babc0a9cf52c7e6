package dev.codepilot.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.codepilot.AgentRuntime;
import dev.codepilot.config.AgentFileException;
import dev.codepilot.exception.CodePilotException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exception rule (CONTRIBUTING.md, "Exceptions"): every public exception of the core is an
 * unchecked {@link CodePilotException}, so one catch handles them all and none forces a {@code
 * throws} clause on the caller; helpers in {@code internal} are not API and are exempt.
 */
@AnalyzeClasses(packages = "dev.codepilot", importOptions = ImportOption.DoNotIncludeTests.class)
class ExceptionFamilyTest {

  @TempDir Path dir;

  @ArchTest
  static final ArchRule everyPublicExceptionIsACodePilotException =
      classes()
          .that()
          .areAssignableTo(Throwable.class)
          .and()
          .arePublic()
          .and()
          .resideOutsideOfPackage("dev.codepilot.internal..")
          .should()
          .beAssignableTo(CodePilotException.class);

  @Test
  void aBadAgentFileIsCaughtAsACodePilotExceptionWithItsFile() {
    Path missing = dir.resolve("missing.yaml");

    // No throws clause is needed: the family is unchecked.
    Throwable thrown = catchThrowable(() -> AgentRuntime.load(missing));

    assertThat(thrown)
        .isInstanceOf(CodePilotException.class)
        .isInstanceOf(AgentFileException.class);
    assertThat(((AgentFileException) thrown).file()).isEqualTo(missing);
  }
}
