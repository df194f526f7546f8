package io.fleetpulse.agent.source.nvml;

import io.fleetpulse.agent.source.ContainerInventory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Attributes a host pid to the container it runs in, from {@code <procRoot>/<pid>/cgroup}, and
 * that container to its service through the {@link ContainerInventory}. Handles cgroup v2 ({@code
 * 0::/system.slice/docker-<id>.scope}, {@code 0::/docker/<id>}) and v1 ({@code
 * 12:memory:/docker/<id>}), and the containerd/CRI-O/podman spellings ({@code
 * cri-containerd-<id>}, {@code crio-<id>}, {@code libpod-<id>}). Blocking (reads a small proc
 * file); stateless and thread-safe.
 */
final class CgroupContainers {
  private static final Pattern CONTAINER_ID = Pattern.compile("(?<![0-9a-f])([0-9a-f]{64})(?![0-9a-f])");

  private final Path procRoot;

  CgroupContainers(Path procRoot) {
    this.procRoot = procRoot;
  }

  /** The 64-hex container id of {@code pid}, or null for a host process or a vanished pid. */
  String containerId(long pid) {
    return origin(pid).containerId();
  }

  /**
   * Where a process runs: its container id and, in a Kubernetes pod, the pod's UID (both null for
   * a host process or a vanished pid). One read of {@code <procRoot>/<pid>/cgroup}; {@code
   * readable} is false when that file could not be read (a vanished pid, or an agent that does
   * not share the host's pid namespace), so "no container" is then unknown, not "host process".
   */
  record Origin(String containerId, String podUid, boolean readable) {}

  Origin origin(long pid) {
    Path file = procRoot.resolve(Long.toString(pid)).resolve("cgroup");
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      return new Origin(parse(text), KubepodsCgroup.podUid(text), true);
    } catch (IOException | SecurityException e) {
      return new Origin(null, null, false);
    }
  }

  /** Inventory label keys containerd and the kubernetes source put on a pod's containers. */
  static final String POD_NAMESPACE_LABEL = "io.kubernetes.pod.namespace";
  static final String POD_NAME_LABEL = "io.kubernetes.pod.name";
  static final String POD_UID_LABEL = "io.kubernetes.pod.uid";
  /** Attribution-table key prefixes (see {@link #services}). */
  static final String POD_BY_CONTAINER = "pod:";
  static final String POD_BY_UID = "pod-uid:";
  static final String SERVICE_BY_UID = "service-uid:";
  static final String SERVICE_BY_POD = "service-pod:";

  /**
   * The container id named in a cgroup file's paths: the innermost (last) 64-hex id of the
   * unified (v2) line when there is one, else of any v1 line; null when none.
   */
  static String parse(String cgroupFile) {
    String fromV1 = null;
    for (String line : cgroupFile.split("\n")) {
      int second = line.indexOf(':', line.indexOf(':') + 1);
      if (second < 0) {
        continue;
      }
      String id = lastId(line.substring(second + 1));
      if (id == null) {
        continue;
      }
      if (line.startsWith("0::")) {
        return id;
      }
      if (fromV1 == null) {
        fromV1 = id;
      }
    }
    return fromV1;
  }

  private static String lastId(String path) {
    Matcher m = CONTAINER_ID.matcher(path);
    String last = null;
    while (m.find()) {
      last = m.group(1);
    }
    return last;
  }

  /**
   * The attribution table of an inventory snapshot: container id (full, and its 12-character
   * short form) to service name; for a container of a Kubernetes pod (pod labels present) also
   * {@code "pod:" + id} and {@code "pod-uid:" + uid} to {@code namespace/name}, and {@code
   * "service-uid:" + uid} and {@code "service-pod:" + namespace/name} to the service. Containers without a resolved service are left out of
   * the service entries.
   */
  static Map<String, String> services(List<ContainerInventory.Container> containers) {
    Map<String, String> byId = new HashMap<>();
    for (ContainerInventory.Container c : containers) {
      String ns = c.labels().get(POD_NAMESPACE_LABEL);
      String podName = c.labels().get(POD_NAME_LABEL);
      String uid = c.labels().get(POD_UID_LABEL);
      if (ns != null && podName != null && c.id() != null) {
        byId.put(POD_BY_CONTAINER + c.id(), ns + "/" + podName);
        if (uid != null) {
          byId.put(POD_BY_UID + uid, ns + "/" + podName);
          if (c.service() != null) {
            byId.put(SERVICE_BY_UID + uid, c.service());
          }
        }
        if (c.service() != null) {
          byId.put(SERVICE_BY_POD + ns + "/" + podName, c.service());
        }
      }
      if (c.id() == null || c.service() == null || c.service().isBlank()) {
        continue;
      }
      byId.put(c.id(), c.service());
      if (c.id().length() > 12) {
        byId.put(c.id().substring(0, 12), c.service());
      }
    }
    return byId;
  }

  /** The service of {@code containerId} in {@code services}, matching the full or short id. */
  static String serviceOf(String containerId, Map<String, String> services) {
    if (containerId == null) {
      return null;
    }
    String s = services.get(containerId);
    return s != null ? s : services.get(containerId.substring(0, 12));
  }
}
