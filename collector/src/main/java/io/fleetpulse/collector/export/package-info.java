/**
 * Which collector exports the shared fleet series when several share one store: a lease in the
 * database elects one, the others export only their own series (docs/scaling.md).
 */
package io.fleetpulse.collector.export;
