package dev.codepilot.architecture;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;

/**
 * No package of {@code codepilot-core} depends, directly or through others, on a package that
 * depends back on it. Each package is its own slice, the root {@code dev.codepilot} included, so a
 * cycle between the runtime and the loop fails here as much as one between two ground packages; the
 * layer rules say which way the arrows may point, this says they never meet.
 */
@AnalyzeClasses(packages = "dev.codepilot", importOptions = ImportOption.DoNotIncludeTests.class)
class PackageCyclesTest {

  /** Every class of the core in the slice of its own package; everything else in none. */
  private static final SliceAssignment EACH_PACKAGE =
      new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
          String name = javaClass.getPackageName();
          return name.equals("dev.codepilot") || name.startsWith("dev.codepilot.")
              ? SliceIdentifier.of(name)
              : SliceIdentifier.ignore();
        }

        @Override
        public String getDescription() {
          return "each package of dev.codepilot";
        }
      };

  @ArchTest
  static final ArchRule noPackageCycles =
      slices().assignedFrom(EACH_PACKAGE).should().beFreeOfCycles();
}
