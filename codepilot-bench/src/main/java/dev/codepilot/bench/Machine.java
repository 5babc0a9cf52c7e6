package dev.codepilot.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Locale;

/** The line every harness prints first: where and when the figures were taken. */
final class Machine {

  private Machine() {}

  static String describe() {
    Runtime runtime = Runtime.getRuntime();
    return String.format(
        Locale.ROOT,
        "%s · %d cores (%s) · %.0f GB RAM · JDK %s (%s) · max heap %d MB · load %.2f",
        LocalDate.now(),
        runtime.availableProcessors(),
        cpuModel(),
        totalMemoryGb(),
        System.getProperty("java.runtime.version"),
        System.getProperty("java.vm.name"),
        runtime.maxMemory() >> 20,
        load());
  }

  /** The one-minute load average, or -1 where the system does not report it. */
  static double load() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(line -> line.startsWith("model name"))
          .map(line -> line.substring(line.indexOf(':') + 1).strip())
          .findFirst()
          .orElse(System.getProperty("os.arch"));
    } catch (IOException | RuntimeException e) {
      return System.getProperty("os.arch");
    }
  }

  private static double totalMemoryGb() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getTotalMemorySize() / (1024.0 * 1024 * 1024);
    }
    return 0;
  }
}
