package io.fleetpulse.agent.cli;

import io.fleetpulse.agent.config.AgentConfig;
import io.fleetpulse.protocol.Batch;

/** What the CLI asks of the composition root. */
public interface AgentLauncher {

  /** Runs the agent until the process is asked to stop; blocking. Returns the exit code. */
  int run(AgentConfig cfg) throws Exception;

  /** Runs every configured source once and returns the batch a push would carry. Blocking. */
  Batch sampleOnce(AgentConfig cfg) throws Exception;
}
