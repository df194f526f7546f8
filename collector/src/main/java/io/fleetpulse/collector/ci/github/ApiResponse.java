package io.fleetpulse.collector.ci.github;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;

/**
 * A usable answer to one GET: 2xx with a JSON body, or 304. Immutable.
 *
 * @param status the HTTP status
 * @param path the request path relative to the API base, without the query (for messages)
 * @param body the parsed body; null for 304
 * @param etag the {@code ETag} header; null when absent
 * @param next the {@code rel="next"} page, already checked to lie under the API base; null when
 *     this is the last page
 */
record ApiResponse(int status, String path, JsonNode body, String etag, URI next) {

  boolean notModified() {
    return status == 304;
  }
}
