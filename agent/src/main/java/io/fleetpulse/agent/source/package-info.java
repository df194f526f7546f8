/**
 * The source SPI and the one runner that schedules every source with its own thread, interval,
 * timeout and single-flight guard, turning failures into source-status samples.
 */
package io.fleetpulse.agent.source;
