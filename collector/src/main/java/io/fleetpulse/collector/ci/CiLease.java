package io.fleetpulse.collector.ci;

/**
 * Who holds a named lease in the store, and until when. Immutable.
 *
 * @param name e.g. {@code github-poller}
 * @param holder the holding collector's instance id
 * @param expiresMillis epoch ms after which anyone may take it
 */
public record CiLease(String name, String holder, long expiresMillis) {

  /** Whether {@code instance} holds it. */
  public boolean heldBy(String instance) {
    return holder.equals(instance);
  }
}
