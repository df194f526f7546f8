/**
 * The GPU source: NVML called in-process through JNA. {@link
 * io.fleetpulse.agent.source.nvml.NvmlLibrary} binds the versioned NVML ABI, {@link
 * io.fleetpulse.agent.source.nvml.Nvml} loads it safely and probes optional symbols, {@link
 * io.fleetpulse.agent.source.nvml.NvmlSource} turns one sampling cycle into {@code GpuSample}s and
 * a {@code SourceStatusSample}, and {@link io.fleetpulse.agent.source.nvml.XidWatcher} collects XID
 * events on its own thread. Unsupported readings are absent, never 0.
 */
package io.fleetpulse.agent.source.nvml;
