/**
 * Simulated sources: one GH200 node of the reference fleet (GPU, its share of the core services
 * and of the MCP servers), with seeded randomness and documented failure rates, so the collector's
 * SLO engine can be checked against known ratios.
 */
package io.fleetpulse.agent.source.sim;
