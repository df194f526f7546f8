/** The agent's own health: the AgentSample in every batch and the optional loopback /metrics. */
package io.fleetpulse.agent.self;
