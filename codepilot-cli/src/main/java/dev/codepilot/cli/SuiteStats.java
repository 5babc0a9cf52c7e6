package dev.codepilot.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures of a finished suite run: how many attempts passed and, with {@code --repeat}, how
 * stable the agent is across rounds.
 *
 * @param cases distinct cases run
 * @param repeat attempts per case
 * @param passed attempts that passed
 * @param failed attempts that failed
 * @param passAtK share of cases that passed at least once in their attempts (pass@k)
 * @param passAllK share of cases that passed every attempt
 * @param roundRates the pass rate of each round (attempt number), in order
 * @param perCase passes of each case, in suite order
 * @param seconds wall time of the whole suite
 */
record SuiteStats(
    int cases,
    int repeat,
    int passed,
    int failed,
    double passAtK,
    double passAllK,
    List<Double> roundRates,
    Map<String, Integer> perCase,
    double seconds) {

  /** The figures of these results, sorted in suite order. */
  public static SuiteStats of(List<CaseResult> results, int repeat, double seconds) {
    Map<String, Integer> perCase = new LinkedHashMap<>();
    Map<String, Integer> runs = new LinkedHashMap<>();
    int passed = 0;
    int[] roundPasses = new int[repeat];
    for (CaseResult result : results) {
      perCase.merge(result.name(), result.passed() ? 1 : 0, Integer::sum);
      runs.merge(result.name(), 1, Integer::sum);
      if (result.passed()) {
        passed++;
        roundPasses[result.attempt() - 1]++;
      }
    }
    int cases = perCase.size();
    long atLeastOnce = perCase.values().stream().filter(n -> n > 0).count();
    long always =
        perCase.entrySet().stream().filter(e -> e.getValue().equals(runs.get(e.getKey()))).count();
    List<Double> rates = new ArrayList<>();
    for (int round = 0; round < repeat; round++) {
      rates.add(cases == 0 ? 0 : (double) roundPasses[round] / cases);
    }
    return new SuiteStats(
        cases,
        repeat,
        passed,
        results.size() - passed,
        cases == 0 ? 0 : (double) atLeastOnce / cases,
        cases == 0 ? 0 : (double) always / cases,
        List.copyOf(rates),
        perCase,
        seconds);
  }

  /** Share of attempts that passed. */
  public double passRate() {
    int runs = passed + failed;
    return runs == 0 ? 0 : (double) passed / runs;
  }

  /** The lowest round pass rate. */
  public double minRate() {
    return roundRates.stream().mapToDouble(Double::doubleValue).min().orElse(0);
  }

  /** The highest round pass rate. */
  public double maxRate() {
    return roundRates.stream().mapToDouble(Double::doubleValue).max().orElse(0);
  }

  /** The standard deviation of the round pass rates (population). */
  public double stddev() {
    double mean = roundRates.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    double variance =
        roundRates.stream().mapToDouble(r -> (r - mean) * (r - mean)).average().orElse(0);
    return Math.sqrt(variance);
  }
}
