package io.fleetpulse.agent.source.nvml;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Kubernetes pod UID in a process's cgroup file, for the kubelet's two cgroup drivers on
 * cgroup v1 and v2 (containerd and K3s's embedded containerd alike):
 *
 * <ul>
 *   <li>cgroupfs: {@code /kubepods/burstable/pod<uid>/<container id>}, {@code
 *       /kubepods/pod<uid>/<id>} (Guaranteed), {@code /kubepods/besteffort/pod<uid>/<id>};
 *   <li>systemd: {@code /kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod<uid with _
 *       for ->.slice/cri-containerd-<id>.scope}.
 * </ul>
 *
 * Pure; thread-safe.
 */
final class KubepodsCgroup {
  private static final String UID = "[0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12}";
  private static final Pattern CGROUPFS = Pattern.compile("/kubepods(?:/[a-z]+)?/pod(" + UID + ")(?:/|$)");
  private static final Pattern SYSTEMD = Pattern.compile("kubepods(?:-[a-z]+)?-pod(" + UID + ")\\.slice");

  private KubepodsCgroup() {}

  /** The pod UID (with dashes) of the unified line if any, else of a v1 line; null when none. */
  static String podUid(String cgroupFile) {
    String fromV1 = null;
    for (String line : cgroupFile.split("\n")) {
      int second = line.indexOf(':', line.indexOf(':') + 1);
      if (second < 0) {
        continue;
      }
      String uid = uid(line.substring(second + 1));
      if (uid == null) {
        continue;
      }
      if (line.startsWith("0::")) {
        return uid;
      }
      if (fromV1 == null) {
        fromV1 = uid;
      }
    }
    return fromV1;
  }

  private static String uid(String path) {
    Matcher m = SYSTEMD.matcher(path);
    if (m.find()) {
      return m.group(1).replace('_', '-');
    }
    m = CGROUPFS.matcher(path);
    return m.find() ? m.group(1).replace('_', '-') : null;
  }
}
