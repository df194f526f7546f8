package io.fleetpulse.agent.spool;

import java.nio.file.Path;

/**
 * One spooled batch: file {@code <sequence, 20 digits>-<createdMillis>.json.gz}.
 *
 * @param bytes size of the file (the gzip body as sent)
 */
public record SpoolEntry(long sequence, long createdMillis, long bytes, Path path) {}
