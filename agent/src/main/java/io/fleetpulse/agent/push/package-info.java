/**
 * The push path: batches cut from pending samples into the spool, and a sender that delivers them
 * in order to the collector with retries, pacing and dead-lettering.
 */
package io.fleetpulse.agent.push;
