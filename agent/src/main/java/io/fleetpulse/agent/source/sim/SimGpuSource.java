package io.fleetpulse.agent.source.sim;

import io.fleetpulse.agent.source.Source;
import io.fleetpulse.protocol.GpuHealth;
import io.fleetpulse.protocol.GpuSample;
import io.fleetpulse.protocol.Sample;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One simulated "NVIDIA GH200 480GB" (GPU index 0). Per sample:
 *
 * <ul>
 *   <li>utilization u: AR(1) around the mean m, {@code u' = clamp01(u + 0.15 (m - u) + 0.06 N(0,1))}
 *       (stationary sd about 0.11, so the long-run mean stays within about 0.01 of m for m in
 *       0.2..0.8);
 *   <li>smActiveRatio = u x U(0.90, 0.94) (GPM SM activity, slightly below utilization);
 *   <li>memory total 97,871 MiB; used = total x (0.25 + 0.55 u);
 *   <li>power = clamp(95 + 560 u + 8 N(0,1), 60, 700) W, limit 700 W; module power = power + 180
 *       + 40 u; "sw_power_cap" throttle when power &gt;= 679 W;
 *   <li>temperature = 32 + 40 u + 0.8 N(0,1) °C; SM/graphics clock 1980 MHz when u &gt; 0.05 else
 *       345 MHz; memory clock 2619 MHz; energy accumulates power x elapsed time.
 * </ul>
 *
 * Not thread-safe; called only from its runner thread.
 */
public final class SimGpuSource implements Source {
  public static final String MODEL = "NVIDIA GH200 480GB";
  public static final long MEMORY_TOTAL_BYTES = 97_871L << 20;
  public static final double POWER_LIMIT_WATTS = 700.0;

  private final SimulationConfig cfg;
  private final Clock clock;
  private final SimRandom random;
  private final String uuid;
  private double utilization;
  private double energyJoules;
  private long lastMillis = -1;

  public SimGpuSource(SimulationConfig cfg, Clock clock) {
    this.cfg = cfg;
    this.clock = clock;
    this.random = new SimRandom(cfg.seed(), cfg.nodeIndex(), "gpu");
    this.uuid =
        "GPU-"
            + UUID.nameUUIDFromBytes(
                ("sim-gh200-" + cfg.seed() + "-" + cfg.nodeIndex()).getBytes(StandardCharsets.UTF_8));
    this.utilization = cfg.meanUtilization();
    this.energyJoules = 1.0e8 * (1 + random.uniform());
  }

  @Override
  public String name() {
    return "sim-gpu";
  }

  @Override
  public Duration interval() {
    return cfg.interval();
  }

  @Override
  public Duration timeout() {
    return cfg.timeout();
  }

  /** Advances the utilization walk one step; exposed for statistical tests. */
  double step() {
    double m = cfg.meanUtilization();
    utilization = clamp(utilization + 0.15 * (m - utilization) + 0.06 * random.gaussian(), 0, 1);
    return utilization;
  }

  @Override
  public List<Sample> sample() {
    long now = clock.millis();
    double u = step();
    double power = clamp(95 + 560 * u + 8 * random.gaussian(), 60, POWER_LIMIT_WATTS);
    double elapsed = lastMillis < 0 ? cfg.interval().toMillis() / 1000.0 : (now - lastMillis) / 1000.0;
    lastMillis = now;
    energyJoules += power * Math.max(0, elapsed);
    double smClock = u > 0.05 ? 1.98e9 : 3.45e8;
    long used = (long) (MEMORY_TOTAL_BYTES * (0.25 + 0.55 * u));
    GpuSample gpu =
        new GpuSample(
            now,
            0,
            uuid,
            MODEL,
            "00000009:01:00.0",
            GpuHealth.OK,
            null,
            round(u),
            round(0.5 * u),
            round(u * random.uniform(0.90, 0.94)),
            round(u * 0.7),
            used,
            512L << 20,
            MEMORY_TOTAL_BYTES,
            round(power),
            POWER_LIMIT_WATTS,
            round(power + 180 + 40 * u),
            round(energyJoules),
            round(32 + 40 * u + 0.8 * random.gaussian()),
            Map.of("sm", smClock, "graphics", smClock, "memory", 2.619e9),
            power >= 0.97 * POWER_LIMIT_WATTS ? List.of("sw_power_cap") : List.of(),
            new GpuSample.EccCounters(0L, 0L, 0L, 0L),
            new GpuSample.RemappedRows(0L, 0L, false, false),
            List.of(),
            u > 0.05
                ? List.of(new GpuSample.GpuProcess(4000L + cfg.nodeIndex(), used - (512L << 20), null, null))
                : List.of(),
            "570.148.08",
            "12.570.148.08");
    return List.of(gpu);
  }

  @Override
  public void close() {}

  private static double clamp(double v, double lo, double hi) {
    return Math.max(lo, Math.min(hi, v));
  }

  private static double round(double v) {
    return Math.round(v * 10_000.0) / 10_000.0;
  }
}
