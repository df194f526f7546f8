/** Retry timing shared by the source runner (open retries) and the pusher. */
package io.fleetpulse.agent.retry;
