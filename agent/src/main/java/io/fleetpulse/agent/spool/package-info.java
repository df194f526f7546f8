/** The agent's durable outbound buffer: batches on disk until the collector acknowledges them. */
package io.fleetpulse.agent.spool;
