/** The agent's command line (picocli): run, check-config, sample. */
package io.fleetpulse.agent.cli;
