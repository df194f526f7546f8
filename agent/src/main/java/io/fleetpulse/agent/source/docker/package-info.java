/**
 * The container and service health source: reads the Docker Engine API (containers, health
 * checks, events and, on a Swarm manager, services, tasks and nodes) through docker-java and turns
 * it into protocol samples. Every docker-java type stays inside this package; what leaves it is
 * {@link io.fleetpulse.protocol.Sample}s and {@link io.fleetpulse.agent.source.ContainerInventory}
 * snapshots.
 */
package io.fleetpulse.agent.source.docker;
