/**
 * The SLO engine: pure timeline math ({@link io.fleetpulse.collector.slo.Timeline}, {@link
 * io.fleetpulse.collector.slo.Coverage}, {@link io.fleetpulse.collector.slo.SloMath}, {@link
 * io.fleetpulse.collector.slo.SloCalculator}), the extraction of observations from batches, and
 * {@link io.fleetpulse.collector.slo.SloEngine}, which keeps exact per-minute coverage per target
 * and serves immutable {@link io.fleetpulse.collector.slo.SloSnapshot}s. No Vert.x here. Every
 * definition is in docs/slo.md.
 */
package io.fleetpulse.collector.slo;
