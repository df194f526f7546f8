/**
 * The collector's durable store: {@link io.fleetpulse.collector.store.BatchStore} (the ingest
 * seam) and its SQLite implementation with group commit, de-duplication, sequence gaps,
 * observations for the SLO windows, latest facts for the report, and retention.
 */
package io.fleetpulse.collector.store;
