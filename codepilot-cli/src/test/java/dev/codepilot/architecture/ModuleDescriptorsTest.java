package dev.codepilot.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module descriptors of the project's artifacts say what CONTRIBUTING's module rules say, and
 * agree with the {@code META-INF/services} files the class path uses. The command line's test class
 * path holds every library module, so their descriptors are read here from the compiled {@code
 * module-info.class} files, the way the module system reads them.
 */
class ModuleDescriptorsTest {

  /** The project's modules: each artifact's descriptor, by module name. */
  private static final Map<String, Found> MODULES = new TreeMap<>();

  /** A module descriptor and where it was found (the folder or jar holding it). */
  private record Found(ModuleDescriptor descriptor, String base) {}

  @BeforeAll
  static void readDescriptors() throws IOException {
    Enumeration<URL> urls =
        ModuleDescriptorsTest.class.getClassLoader().getResources("module-info.class");
    while (urls.hasMoreElements()) {
      URL url = urls.nextElement();
      String text = url.toString();
      String base = text.substring(0, text.length() - "module-info.class".length());
      String name;
      try (InputStream in = url.openStream()) {
        name = ModuleDescriptor.read(in).name();
      }
      if (!name.startsWith("dev.codepilot")) {
        continue;
      }
      try (InputStream in = url.openStream()) {
        // The compiler writes no package list into the descriptor; the module system takes
        // the packages from the jar or folder, and so does this.
        MODULES.put(name, new Found(ModuleDescriptor.read(in, () -> packagesAt(base)), base));
      }
    }
  }

  @Test
  void everyLibraryArtifactIsANamedModule() {
    assertThat(MODULES.keySet())
        .containsExactlyInAnyOrder(
            "dev.codepilot",
            "dev.codepilot.cli",
            "dev.codepilot.daemon",
            "dev.codepilot.mcp",
            "dev.codepilot.model.anthropic",
            "dev.codepilot.model.http",
            "dev.codepilot.model.openai",
            "dev.codepilot.opentelemetry",
            "dev.codepilot.postgres",
            "dev.codepilot.server");
  }

  @Test
  void theCoreExportsItsApiAndKeepsTheLoopAndTheSandbox() {
    ModuleDescriptor core = MODULES.get("dev.codepilot").descriptor();

    assertThat(exported(core, false))
        .containsExactlyInAnyOrder(
            "dev.codepilot",
            "dev.codepilot.config",
            "dev.codepilot.exception",
            "dev.codepilot.hooks",
            "dev.codepilot.model",
            "dev.codepilot.session",
            "dev.codepilot.tools");
    assertThat(exported(core, true)).containsExactly("dev.codepilot.internal");
    assertThat(core.packages()).contains("dev.codepilot.loop", "dev.codepilot.sandbox");
  }

  /**
   * javac only warns about a qualified export to a module it cannot see, so a misspelt target would
   * pass the build; every target must be one of the project's modules.
   */
  @Test
  void internalHelpersAreExportedOnlyToTheProjectsOwnModules() {
    for (Found found : MODULES.values()) {
      for (ModuleDescriptor.Exports exports : found.descriptor().exports()) {
        assertThat(exports.targets())
            .as("targets of %s's export of %s", found.descriptor().name(), exports.source())
            .isSubsetOf(MODULES.keySet());
      }
    }
    assertThat(exportTargets("dev.codepilot", "dev.codepilot.internal"))
        .containsExactlyInAnyOrderElementsOf(
            MODULES.keySet().stream()
                // The daemon client reads no CodePilot module: it must start like a script.
                .filter(
                    name -> !name.equals("dev.codepilot") && !name.equals("dev.codepilot.daemon"))
                .toList());
    assertThat(MODULES.get("dev.codepilot.daemon").descriptor().requires())
        .extracting(ModuleDescriptor.Requires::name)
        .noneMatch(name -> name.startsWith("dev.codepilot"));
  }

  @Test
  void noPackageIsSplitBetweenModules() {
    Map<String, String> owner = new TreeMap<>();
    for (Found found : MODULES.values()) {
      for (String pkg : found.descriptor().packages()) {
        String other = owner.put(pkg, found.descriptor().name());
        assertThat(other)
            .as("package %s is in %s and %s", pkg, other, found.descriptor().name())
            .isNull();
      }
    }
  }

  /**
   * A provider listed in META-INF/services is found only on the class path; on the module path only
   * {@code provides} counts. The two lists must name the same classes.
   */
  @Test
  void servicesAreProvidedOnBothPaths() throws IOException {
    int providing = 0;
    for (Found found : MODULES.values()) {
      Map<String, Set<String>> declared = new TreeMap<>();
      for (ModuleDescriptor.Provides provides : found.descriptor().provides()) {
        declared.put(provides.service(), new TreeSet<>(provides.providers()));
      }
      assertThat(servicesFiles(found.base(), declared.keySet()))
          .as("META-INF/services of %s", found.descriptor().name())
          .isEqualTo(declared);
      providing += declared.isEmpty() ? 0 : 1;
    }
    assertThat(providing).as("modules that provide services").isEqualTo(5);
  }

  @Test
  void theCoreDeclaresTheServicesItLoads() {
    assertThat(MODULES.get("dev.codepilot").descriptor().uses())
        .containsExactlyInAnyOrder(
            "dev.codepilot.model.ChatModelProvider",
            "dev.codepilot.session.SessionStoreProvider",
            "dev.codepilot.tools.ToolSourceProvider");
  }

  /** The packages holding classes or resources under a class-path entry: a folder or a jar. */
  private static Set<String> packagesAt(String base) {
    try {
      List<String> classes;
      if (base.startsWith("jar:")) {
        String jar = base.substring("jar:".length(), base.length() - "!/".length());
        try (JarFile file = new JarFile(Path.of(URI.create(jar)).toFile())) {
          classes = file.stream().filter(e -> !e.isDirectory()).map(JarEntry::getName).toList();
        }
      } else {
        Path root = Path.of(URI.create(base));
        try (Stream<Path> files = Files.walk(root)) {
          classes =
              files
                  .filter(Files::isRegularFile)
                  .map(f -> root.relativize(f).toString().replace('\\', '/'))
                  .toList();
        }
      }
      return classes.stream()
          // As the module system does: a folder holding a class or a resource is a package.
          .filter(
              name -> name.contains("/") && !name.endsWith("/") && !name.startsWith("META-INF/"))
          .map(name -> name.substring(0, name.lastIndexOf('/')).replace('/', '.'))
          .collect(Collectors.toCollection(TreeSet::new));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Set<String> exported(ModuleDescriptor descriptor, boolean qualified) {
    return descriptor.exports().stream()
        .filter(e -> e.isQualified() == qualified)
        .map(ModuleDescriptor.Exports::source)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static Set<String> exportTargets(String module, String pkg) {
    return MODULES.get(module).descriptor().exports().stream()
        .filter(e -> e.source().equals(pkg))
        .findFirst()
        .orElseThrow()
        .targets();
  }

  /**
   * The service files beside a descriptor, for the services it provides and for any other service
   * file that sits there (a provider listed only for the class path shows up so).
   */
  private static Map<String, Set<String>> servicesFiles(String base, Set<String> provided)
      throws IOException {
    Map<String, Set<String>> files = new TreeMap<>();
    Set<String> services = new TreeSet<>(provided);
    services.addAll(
        List.of(
            "dev.codepilot.model.ChatModelProvider",
            "dev.codepilot.session.SessionStoreProvider",
            "dev.codepilot.tools.ToolSourceProvider"));
    for (String service : services) {
      URL file;
      try {
        file = URI.create(base + "META-INF/services/" + service).toURL();
      } catch (IllegalArgumentException e) {
        throw new IOException(e);
      }
      try (InputStream in = file.openStream()) {
        Set<String> names =
            new String(in.readAllBytes(), StandardCharsets.UTF_8)
                .lines()
                .map(line -> line.replaceFirst("#.*", "").strip())
                .filter(line -> !line.isEmpty())
                .collect(Collectors.toCollection(TreeSet::new));
        files.put(service, names);
      } catch (IOException missing) {
        // No such file beside this descriptor.
      }
    }
    return files;
  }
}
