package io.fleetpulse.collector.http;

/**
 * A route on the main listener that authenticates its requests itself (the GitHub webhook checks
 * its HMAC signature) and is therefore exempt from read authentication.
 *
 * @param path the exact path, e.g. {@code /api/v1/github/webhook}
 * @param registration mounts the route's handlers; they run on the event loop and must not block
 */
public record OpenRoute(String path, RouteRegistration registration) {}
