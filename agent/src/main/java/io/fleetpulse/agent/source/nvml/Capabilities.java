package io.fleetpulse.agent.source.nvml;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Capabilities found missing (a symbol the library lacks, a reading answered NOT_SUPPORTED or
 * DEPRECATED). Each is handed out by {@link #drain()} once for the life of the source, so the
 * first status after start-up carries the full list and later ones only what is new (e.g. after
 * a re-initialisation revealed a change). Confined to the sampling thread.
 */
final class Capabilities {
  private final Set<String> seen = new HashSet<>();
  private final List<String> pending = new ArrayList<>();

  void missing(String capability) {
    if (seen.add(capability)) {
      pending.add(capability);
    }
  }

  /** What was found since the last drain; null when nothing new (the status field is optional). */
  List<String> drain() {
    if (pending.isEmpty()) {
      return null;
    }
    List<String> out = List.copyOf(pending);
    pending.clear();
    return out;
  }
}
