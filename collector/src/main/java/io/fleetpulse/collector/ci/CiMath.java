package io.fleetpulse.collector.ci;

import io.fleetpulse.collector.ci.CiSnapshot.Count;
import io.fleetpulse.collector.ci.CiSnapshot.Key;
import io.fleetpulse.collector.ci.CiSnapshot.Ratio;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * CI and deployment SLIs as pure functions of stored runs and deployments (docs/slo.md, "CI and
 * deployments"). A run is counted once whatever its attempts: its first attempt decides the
 * first-attempt ratio, its newest attempt the final one. Results: {@code success}; {@code
 * failure} (failure, timed_out, startup_failure); {@code cancelled}; {@code skipped} (skipped,
 * neutral, stale, action_required); {@code in_progress}. Only success and failure count in
 * ratios. A run belongs to a window by its creation time. Thread-safe (stateless).
 */
public final class CiMath {
  static final Map<String, Duration> WINDOW = Map.of(
      "1h", Duration.ofHours(1), "6h", Duration.ofHours(6), "1d", Duration.ofDays(1),
      "3d", Duration.ofDays(3), "7d", Duration.ofDays(7), "30d", Duration.ofDays(30));
  public static final String OTHER = "other";

  private CiMath() {}

  /** The result class of a run attempt (see the class comment). */
  static String result(CiRun a) {
    if (!a.completed()) {
      return "in_progress";
    }
    return switch (a.conclusion()) {
      case "success" -> "success";
      case "failure", "timed_out", "startup_failure" -> "failure";
      case "cancelled" -> "cancelled";
      default -> "skipped";
    };
  }

  /** One run: its first attempt (null when not read) and its newest attempt. */
  record Run(CiRun first, CiRun last) {}

  static List<Run> runs(List<CiRun> attempts) {
    Map<String, CiRun[]> byRun = new LinkedHashMap<>();
    for (CiRun a : attempts) {
      CiRun[] r = byRun.computeIfAbsent(a.repository() + "#" + a.runId(), k -> new CiRun[2]);
      if (a.attempt() == 1) {
        r[0] = a;
      }
      if (r[1] == null || a.attempt() > r[1].attempt()) {
        r[1] = a;
      }
    }
    return byRun.values().stream().map(r -> new Run(r[0], r[1])).collect(Collectors.toList());
  }

  /**
   * The workflow label of each (repository, workflow name): the configured names when {@code
   * allow} is not empty, else the {@code max} names with most runs per repository (ties by name);
   * every other name maps to {@link #OTHER}.
   */
  static Map<Key, String> labels(List<Run> runs, List<String> allow, int max) {
    Map<String, Map<String, Long>> counts = new TreeMap<>();
    for (Run r : runs) {
      counts.computeIfAbsent(r.last().repository(), k -> new TreeMap<>()).merge(r.last().workflow(), 1L, Long::sum);
    }
    Set<String> allowed = Set.copyOf(allow);
    Map<Key, String> out = new HashMap<>();
    counts.forEach((repo, byName) -> {
      List<String> ranked = byName.entrySet().stream()
          .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
          .map(Map.Entry::getKey).collect(Collectors.toList());
      for (int i = 0; i < ranked.size(); i++) {
        String name = ranked.get(i);
        boolean own = allowed.isEmpty() ? i < max : allowed.contains(name);
        out.put(new Key(repo, name), own ? name : OTHER);
      }
    });
    return out;
  }

  /** Every CI and deployment SLI at {@code now} (epoch ms). */
  public static CiSnapshot compute(
      List<CiRun> attempts, List<CiDeployment> deployments, CiConfig config, long now) {
    List<Run> runs = runs(attempts);
    Map<Key, String> labels = labels(runs, config.workflows(), config.maxWorkflowsPerRepository());
    Map<String, long[]> ratioCells = new TreeMap<>();
    Map<String, Long> runCells = new TreeMap<>();
    Map<String, Long> flakyCells = new TreeMap<>();
    for (Run r : runs) {
      CiRun last = r.last();
      String workflow = labels.get(new Key(last.repository(), last.workflow()));
      long age = now - last.createdMillis();
      for (String window : CiSnapshot.WINDOWS) {
        if (age < 0 || age > WINDOW.get(window).toMillis()) {
          continue;
        }
        String finalResult = result(last);
        String firstResult = r.first() == null ? null : result(r.first());
        String cell = last.repository() + "\u0000" + workflow + "\u0000" + window;
        runCells.merge(cell + "\u0000" + finalResult, 1L, Long::sum);
        if ("failure".equals(firstResult) && "success".equals(finalResult)) {
          flakyCells.merge(cell, 1L, Long::sum);
        }
        for (String scope : List.of("fleet", "repository", "workflow")) {
          String k = scope + "\u0000" + switch (scope) {
            case "fleet" -> "\u0000";
            case "repository" -> last.repository() + "\u0000";
            default -> last.repository() + "\u0000" + workflow;
          } + "\u0000" + window;
          tally(ratioCells, k + "\u0000first", firstResult);
          tally(ratioCells, k + "\u0000final", finalResult);
        }
      }
    }
    List<Ratio> ratios = new ArrayList<>();
    ratioCells.forEach((k, gb) -> {
      String[] p = k.split("\u0000", -1);
      ratios.add(new Ratio(p[0], new Key(p[1], p[2]), p[3], p[4], gb[0], gb[1]));
    });
    List<Count> runCounts = new ArrayList<>();
    runCells.forEach((k, n) -> {
      String[] p = k.split("\u0000", -1);
      runCounts.add(new Count(new Key(p[0], p[1]), p[2], p[3], n));
    });
    List<Count> flaky = new ArrayList<>();
    flakyCells.forEach((k, n) -> {
      String[] p = k.split("\u0000", -1);
      flaky.add(new Count(new Key(p[0], p[1]), p[2], "flaky", n));
    });
    Map<String, Double> burn = new LinkedHashMap<>();
    double budget = 1 - config.successTarget();
    for (String window : CiSnapshot.BURN_WINDOWS) {
      long[] gb = fleetFirst(runs, now, WINDOW.get(window));
      if (gb[0] + gb[1] > 0) {
        burn.put(window, ((double) gb[1] / (gb[0] + gb[1])) / budget);
      }
    }
    long[] month = fleetFirst(runs, now, WINDOW.get("30d"));
    Double remaining = month[0] + month[1] == 0 ? null : 1 - ((double) month[1] / (month[0] + month[1])) / budget;
    return new CiSnapshot(now, ratios, runCounts, flaky, consecutiveFailures(runs, labels, now),
        durations(attempts, labels, now), burn, remaining, deployRatios(deployments, now),
        deployAttempts(deployments, now), deployConsecutive(deployments, now), recentFailures(runs), attempts.size());
  }

  private static void tally(Map<String, long[]> cells, String key, String result) {
    if ("success".equals(result) || "failure".equals(result)) {
      cells.computeIfAbsent(key, k -> new long[2])["success".equals(result) ? 0 : 1]++;
    }
  }

  private static long[] fleetFirst(List<Run> runs, long now, Duration window) {
    long[] gb = new long[2];
    for (Run r : runs) {
      long age = now - r.last().createdMillis();
      if (r.first() != null && age >= 0 && age <= window.toMillis()) {
        String res = result(r.first());
        if ("success".equals(res)) {
          gb[0]++;
        } else if ("failure".equals(res)) {
          gb[1]++;
        }
      }
    }
    return gb;
  }

  /** Failed final attempts on the default branch since the last success, within 30d. */
  static Map<Key, Integer> consecutiveFailures(List<Run> runs, Map<Key, String> labels, long now) {
    Map<Key, List<Run>> byWorkflow = new HashMap<>();
    for (Run r : runs) {
      if (r.last().defaultBranch() && now - r.last().createdMillis() <= WINDOW.get("30d").toMillis()) {
        byWorkflow.computeIfAbsent(new Key(r.last().repository(), r.last().workflow()), k -> new ArrayList<>()).add(r);
      }
    }
    Map<Key, Integer> out = new TreeMap<>(Comparator.comparing(Key::first).thenComparing(Key::second));
    byWorkflow.forEach((k, list) -> {
      list.sort(Comparator.comparingLong((Run r) -> r.last().createdMillis()).reversed()
          .thenComparing(Comparator.comparingLong((Run r) -> r.last().runId()).reversed()));
      int streak = 0;
      for (Run r : list) {
        String res = result(r.last());
        if ("success".equals(res)) {
          break;
        }
        if ("failure".equals(res)) {
          streak++;
        }
      }
      out.merge(new Key(k.first(), labels.get(k)), streak, Math::max);
    });
    return out;
  }

  static List<CiRun> recentFailures(List<Run> runs) {
    return runs.stream().map(Run::last).filter(r -> "failure".equals(result(r)))
        .sorted(Comparator.comparingLong(CiRun::updatedMillis).reversed()).limit(10).collect(Collectors.toList());
  }

  /** p50 and p90 (nearest rank) of completed attempts' durations over 7d, seconds. */
  static Map<Key, double[]> durations(List<CiRun> attempts, Map<Key, String> labels, long now) {
    Map<Key, List<Double>> byWorkflow = new TreeMap<>(Comparator.comparing(Key::first).thenComparing(Key::second));
    for (CiRun a : attempts) {
      Double d = a.durationSeconds();
      String label = labels.get(new Key(a.repository(), a.workflow()));
      if (d != null && label != null && now - a.createdMillis() <= WINDOW.get("7d").toMillis()) {
        byWorkflow.computeIfAbsent(new Key(a.repository(), label), k -> new ArrayList<>()).add(d);
      }
    }
    Map<Key, double[]> out = new LinkedHashMap<>();
    byWorkflow.forEach((k, list) -> {
      double[] sorted = list.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      out.put(k, new double[] {rank(sorted, 0.5), rank(sorted, 0.9)});
    });
    return out;
  }

  static double rank(double[] sorted, double q) {
    int i = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  private static String deployResult(CiDeployment d) {
    if (d.succeeded()) {
      return "success";
    }
    if (d.failed()) {
      return "failure";
    }
    return "inactive".equals(d.state()) ? null : "in_progress";
  }

  static List<Ratio> deployRatios(List<CiDeployment> deployments, long now) {
    Map<String, long[]> cells = new TreeMap<>();
    for (CiDeployment d : deployments) {
      for (String window : CiSnapshot.WINDOWS) {
        long age = now - d.createdMillis();
        if (age >= 0 && age <= WINDOW.get(window).toMillis()) {
          tally(cells, d.source() + "\u0000" + d.environment() + "\u0000" + window, deployResult(d));
        }
      }
    }
    List<Ratio> out = new ArrayList<>();
    cells.forEach((k, gb) -> {
      String[] p = k.split("\u0000", -1);
      out.add(new Ratio("environment", new Key(p[0], p[1]), p[2], "final", gb[0], gb[1]));
    });
    return out;
  }

  static List<Count> deployAttempts(List<CiDeployment> deployments, long now) {
    Map<String, Long> cells = new TreeMap<>();
    for (CiDeployment d : deployments) {
      String res = deployResult(d);
      for (String window : CiSnapshot.WINDOWS) {
        long age = now - d.createdMillis();
        if (res != null && age >= 0 && age <= WINDOW.get(window).toMillis()) {
          cells.merge(d.source() + "\u0000" + d.environment() + "\u0000" + window + "\u0000" + res, 1L, Long::sum);
        }
      }
    }
    List<Count> out = new ArrayList<>();
    cells.forEach((k, n) -> {
      String[] p = k.split("\u0000", -1);
      out.add(new Count(new Key(p[0], p[1]), p[2], p[3], n));
    });
    return out;
  }

  static Map<Key, Integer> deployConsecutive(List<CiDeployment> deployments, long now) {
    Map<Key, List<CiDeployment>> byEnv = new TreeMap<>(Comparator.comparing(Key::first).thenComparing(Key::second));
    for (CiDeployment d : deployments) {
      if (d.finished() && now - d.createdMillis() <= WINDOW.get("30d").toMillis()) {
        byEnv.computeIfAbsent(new Key(d.source(), d.environment()), k -> new ArrayList<>()).add(d);
      }
    }
    Map<Key, Integer> out = new LinkedHashMap<>();
    byEnv.forEach((k, list) -> {
      CiDeployment[] sorted = list.toArray(CiDeployment[]::new);
      Arrays.sort(sorted, Comparator.comparingLong(CiDeployment::createdMillis).reversed());
      int streak = 0;
      for (CiDeployment d : sorted) {
        if (d.succeeded()) {
          break;
        }
        streak++;
      }
      out.put(k, streak);
    });
    return out;
  }
}
