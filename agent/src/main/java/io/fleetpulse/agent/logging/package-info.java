/** The agent's logging setup, made in code so that no XML configuration is parsed at start. */
package io.fleetpulse.agent.logging;
