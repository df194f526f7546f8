/**
 * Push protocol v1: the wire types the agent sends and the collector accepts, and their JSON codec.
 *
 * <p>Compatibility rules: unknown fields and unknown sample kinds are ignored (a newer minor version
 * may add them); a newer major schema version is rejected. Every optional value is absent (JSON
 * field omitted, Java {@code null}) when the source could not read it — never 0. Timestamps are
 * milliseconds since the epoch, UTC. See {@code protocol/README.md} for the field-by-field
 * description.
 */
package io.fleetpulse.protocol;
