package io.fleetpulse.collector.store;

import io.fleetpulse.collector.slo.Fact;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Which facts a store writer must write: a fact is written when its value differs from the one
 * this writer last wrote for the same kind and key — compared without the time stamps that every
 * sample carries — or when the written one is {@link #REFRESH} or more older, so that the stored
 * {@code t} (the report's "last seen") lags the newest batch by less than that. A batch that
 * repeats what the node said before costs no fact write. What counts as "last written" moves
 * only on {@link #committed()}; after a rollback call {@link #abandoned()}.
 *
 * <p>With two collectors sharing a database, a fleet-wide fact that the other collector changed
 * meanwhile can be skipped here too: the stored value is then at most {@link #REFRESH} old.
 *
 * <p>Used by one writer thread; not thread-safe.
 */
final class FactFilter {
  /** Longest a stored fact's {@code t} lags behind the newest one received. */
  static final long REFRESH = 60_000;

  /** Record components that only say when a value was read, not what it is. */
  private static final Set<String> TIME_COMPONENTS = Set.of("timestampMillis", "lastReceivedMillis", "inspectedAtMillis");

  private static final ClassValue<Method[]> VALUE_ACCESSORS =
      new ClassValue<>() {
        @Override
        protected Method[] computeValue(Class<?> type) {
          List<Method> out = new ArrayList<>();
          for (RecordComponent c : type.getRecordComponents()) {
            if (!TIME_COMPONENTS.contains(c.getName())) {
              out.add(c.getAccessor());
            }
          }
          return out.toArray(Method[]::new);
        }
      };

  private final Map<String, Fact> written = new HashMap<>();
  private final Map<String, Fact> pending = new HashMap<>();

  /**
   * Of the group's newest facts, those to write; remembered as pending until committed.
   *
   * @param newest by the key {@link SqliteBatchStore#keepNewest} files them under
   */
  List<Fact> toWrite(Map<String, Fact> newest) {
    List<Fact> out = new ArrayList<>();
    for (Map.Entry<String, Fact> e : newest.entrySet()) {
      Fact f = e.getValue();
      Fact last = written.get(e.getKey());
      if (last == null || f.t() - last.t() >= REFRESH || f.t() < last.t() || !sameValue(f, last)) {
        out.add(f);
        pending.put(e.getKey(), f);
      }
    }
    return out;
  }

  /** The pending facts are in the database now. */
  void committed() {
    written.putAll(pending);
    pending.clear();
  }

  /** The transaction was rolled back: forget the pending facts and what is known to be stored. */
  void abandoned() {
    pending.clear();
    written.clear();
  }

  static boolean sameValue(Fact a, Fact b) {
    return a.node().equals(b.node()) && sameIgnoringTime(a.value(), b.value());
  }

  /**
   * Structural equality that skips the time components of records (at any depth, lists
   * element-wise); {@link Object#equals} for everything else.
   */
  static boolean sameIgnoringTime(Object a, Object b) {
    if (a == b) {
      return true;
    }
    if (a == null || b == null || a.getClass() != b.getClass()) {
      return false;
    }
    if (a instanceof List<?> la) {
      List<?> lb = (List<?>) b;
      if (la.size() != lb.size()) {
        return false;
      }
      for (int i = 0; i < la.size(); i++) {
        if (!sameIgnoringTime(la.get(i), lb.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (a.equals(b)) { // the same sample sent again: the common case, and cheap
      return true;
    }
    if (!a.getClass().isRecord()) {
      return false;
    }
    for (Method m : VALUE_ACCESSORS.get(a.getClass())) {
      try {
        Object va = m.invoke(a);
        Object vb = m.invoke(b);
        boolean same = va != null && va.getClass().isRecord() || va instanceof List<?>
            ? sameIgnoringTime(va, vb)
            : Objects.equals(va, vb);
        if (!same) {
          return false;
        }
      } catch (IllegalAccessException | InvocationTargetException e) {
        return false; // cannot tell: write it
      }
    }
    return true;
  }
}
