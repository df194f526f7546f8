/** Network plumbing shared by the push client and the probes. */
package io.fleetpulse.agent.net;
