/**
 * What people and Prometheus see of the SLO engine: the SLO meters, the fleet report (JSON and
 * text), the status page, their thin Vert.x handlers (memory only, safe on the event loop) and the
 * {@code report} subcommand.
 */
package io.fleetpulse.collector.report;
