package io.fleetpulse.collector.ci;

/**
 * Where a poller stands in one stream, kept in the store so that a restarted collector resumes
 * instead of reading {@code lookback} again. Immutable.
 *
 * @param scope what the position is in, e.g. {@code github:runs:acme/platform}
 * @param cursorMillis lower bound of the next read, epoch ms; null when the stream has none
 * @param etag the {@code ETag} of the last complete answer, sent as {@code If-None-Match}; null
 *     when the next read must be in full
 * @param updatedMillis when it was saved, epoch ms
 */
public record CiCursor(String scope, Long cursorMillis, String etag, long updatedMillis) {}
