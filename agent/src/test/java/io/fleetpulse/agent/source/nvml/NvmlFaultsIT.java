package io.fleetpulse.agent.source.nvml;

import static io.fleetpulse.agent.source.nvml.NvmlSamples.CLOCK;
import static io.fleetpulse.agent.source.nvml.NvmlSamples.gpu;
import static io.fleetpulse.agent.source.nvml.NvmlSamples.gpus;
import static io.fleetpulse.agent.source.nvml.NvmlSamples.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetpulse.agent.source.ContainerInventory;
import io.fleetpulse.protocol.GpuHealth;
import io.fleetpulse.protocol.GpuSample;
import io.fleetpulse.protocol.Sample;
import io.fleetpulse.protocol.SourceState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every scripted fault: the source reports it, keeps the other GPUs, and recovers in-process. */
class NvmlFaultsIT {
  @TempDir Path proc;
  final FakeNvml fake = FakeNvml.full();
  NvmlSource source;

  @BeforeEach
  void resetFake() {
    fake.reset().set("gpus", 2);
  }

  @AfterEach
  void close() {
    if (source != null) {
      source.close();
    }
  }

  void open(NvmlConfig config) {
    source = new NvmlSource(config, CLOCK, ContainerInventory.EMPTY);
    source.open();
  }

  void open() {
    open(NvmlSamples.config(fake.path(), proc.toString()));
  }

  /** Samples until {@code gpu}'s health is {@code wanted}; bounded by the re-init backoff. */
  List<Sample> sampleUntil(int gpu, GpuHealth wanted) {
    for (int cycle = 0; cycle < 10; cycle++) {
      List<Sample> samples = source.sample();
      if (gpus(samples).stream().anyMatch(g -> g.index() == gpu && g.health() == wanted)) {
        return samples;
      }
    }
    throw new AssertionError("gpu " + gpu + " never became " + wanted);
  }

  @Test
  void aGpuLostMidRunIsReportedLostWhileTheOtherKeepsReportingAndRecoversAfterReinit() {
    open();
    assertThat(gpus(source.sample())).extracting(GpuSample::health).containsOnly(GpuHealth.OK);
    long initsBefore = fake.stat("init_calls");

    fake.set("gpu1.lost", 1);
    List<Sample> lost = source.sample();
    List<Sample> stillLost = source.sample();

    GpuSample g1 = gpu(lost, 1);
    assertThat(g1.health()).isEqualTo(GpuHealth.LOST);
    assertThat(g1.uuid()).isEqualTo("GPU-fa4e0000-0000-4000-8000-000000000001");
    assertThat(g1.error()).contains("GPU_IS_LOST(15)");
    assertThat(g1.utilizationRatio()).as("no stale values for a lost GPU").isNull();
    assertThat(gpu(lost, 0).health()).isEqualTo(GpuHealth.OK);
    assertThat(gpu(lost, 0).utilizationRatio()).isEqualTo(0.87);
    assertThat(status(lost).state()).isEqualTo(SourceState.OK);
    assertThat(gpu(stillLost, 1).health()).isEqualTo(GpuHealth.LOST);
    assertThat(gpu(stillLost, 1).uuid()).as("identity kept across re-init").isEqualTo(g1.uuid());
    assertThat(fake.stat("init_calls")).as("re-initialised in-process").isGreaterThan(initsBefore);

    fake.set("gpu1.lost", 0);
    List<Sample> recovered = sampleUntil(1, GpuHealth.OK);
    assertThat(gpu(recovered, 1).utilizationRatio()).isEqualTo(0.87);
    assertThat(fake.stat("refcount")).as("every re-init balanced by a shutdown").isEqualTo(1);
  }

  @Test
  void aDriverLibraryMismatchBecomesAnExplicitHealthStateAndTheSourceRecoversWhenItClears() {
    open();
    source.sample();

    fake.set("fail.nvmlDeviceGetUtilizationRates", 18).set("init.rc", 18);
    List<Sample> mismatch = source.sample();
    List<Sample> initFails = source.sample();

    assertThat(gpus(mismatch)).extracting(GpuSample::health).containsOnly(GpuHealth.RM_VERSION_MISMATCH);
    assertThat(status(mismatch).state()).isEqualTo(SourceState.FAILED);
    assertThat(gpus(initFails)).hasSize(2).extracting(GpuSample::health)
        .containsOnly(GpuHealth.RM_VERSION_MISMATCH);
    assertThat(gpu(initFails, 0).error()).contains("nvmlInit_v2").contains("LIB_RM_VERSION_MISMATCH(18)");
    assertThat(status(initFails).state()).isEqualTo(SourceState.FAILED);
    assertThat(status(initFails).reason()).contains("LIB_RM_VERSION_MISMATCH");

    fake.set("fail.nvmlDeviceGetUtilizationRates", 0).set("init.rc", 0);
    sampleUntil(0, GpuHealth.OK);
    assertThat(fake.stat("refcount")).isEqualTo(1);
  }

  @Test
  void noDriverAtStartIsUnavailableUntilTheDriverAppearsWithoutRestartingTheSource() {
    fake.set("init.rc", 9);
    open();

    List<Sample> noDriver = source.sample();

    assertThat(gpus(noDriver)).isEmpty();
    assertThat(status(noDriver).state()).isEqualTo(SourceState.UNAVAILABLE);
    assertThat(status(noDriver).reason()).isEqualTo("nvmlInit_v2: DRIVER_NOT_LOADED(9)");

    fake.set("init.rc", 0);
    List<Sample> back = sampleUntil(1, GpuHealth.OK);
    assertThat(status(back).state()).isEqualTo(SourceState.OK);
  }

  @Test
  void anUnknownErrorOnOneReadingMarksThatGpuErroredButKeepsItsOtherFieldsAndTheOtherGpu() {
    fake.set("gpu0.fail.nvmlDeviceGetPowerUsage", 999);
    open();

    List<Sample> samples = source.sample();
    List<Sample> next = source.sample();

    GpuSample g0 = gpu(samples, 0);
    assertThat(g0.health()).isEqualTo(GpuHealth.ERROR);
    assertThat(g0.error()).isEqualTo("power: UNKNOWN(999)");
    assertThat(g0.powerWatts()).isNull();
    assertThat(g0.memoryTotalBytes()).isEqualTo(102_005_473_280L);
    assertThat(gpu(samples, 1).health()).isEqualTo(GpuHealth.OK);
    assertThat(status(samples).unsupported()).as("an error is not a capability").isNull();
    assertThat(gpu(next, 0).health()).as("not marked unsupported: asked again").isEqualTo(GpuHealth.ERROR);
  }

  @Test
  void aSlowCallEndsTheCycleAtTheTimeoutWithTheRestReportedAndTheNextCycleIsWhole() {
    fake.set("gpus", 4).set("slow.nvmlDeviceGetPowerUsage", 150);
    open(NvmlSamples.config(fake.path(), proc.toString())
        .withTiming(Duration.ofSeconds(10), Duration.ofMillis(200), Duration.ofMillis(50)));

    List<Sample> slow = source.sample();
    fake.set("slow.nvmlDeviceGetPowerUsage", 0);
    List<Sample> normal = source.sample();

    assertThat(gpus(slow)).hasSizeLessThan(4).isNotEmpty();
    assertThat(status(slow).state()).isEqualTo(SourceState.TIMEOUT);
    assertThat(status(slow).reason()).contains("GPUs not sampled");
    assertThat(gpus(normal)).hasSize(4);
    assertThat(status(normal).state()).isEqualTo(SourceState.OK);
  }

  @Test
  void theEventThreadRegistersAgainAfterAWaitErrorAndKeepsDeliveringXids() {
    open();
    source.sample();
    XidWatcher watcher = source.xidWatcher();
    await().atMost(Duration.ofSeconds(5)).until(() -> watcher.registrations() == 1);

    fake.set("events.fail_once", 999);
    await().atMost(Duration.ofSeconds(5)).until(() -> watcher.registrations() == 2);
    fake.set("gpu0.xid", 119);
    NvmlSamples.awaitXids(source, "GPU-fa4e0000-0000-4000-8000-000000000000", 1);

    assertThat(gpu(source.sample(), 0).xidEvents()).extracting(GpuSample.XidEvent::xid).containsExactly(119);
    assertThat(fake.stat("event_sets")).as("the failed set was freed").isEqualTo(1);
  }

  @Test
  void closeShutsNvmlDownStopsTheEventThreadAndIsIdempotent() {
    open();
    source.sample();

    source.close();
    source.close();

    assertThat(fake.stat("refcount")).isZero();
    assertThat(fake.stat("event_sets")).isZero();
    assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(t -> t.getName().equals("fleet-nvml-xid") && t.isAlive());
    org.assertj.core.api.Assertions.assertThatThrownBy(source::sample)
        .isInstanceOf(IllegalStateException.class);
  }
}
