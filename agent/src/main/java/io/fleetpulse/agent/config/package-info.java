/**
 * The agent's configuration: one YAML file bound to a record tree, three environment overrides,
 * and validation that reports every problem by path.
 */
package io.fleetpulse.agent.config;
