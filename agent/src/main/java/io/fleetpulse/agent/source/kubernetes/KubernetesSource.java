package io.fleetpulse.agent.source.kubernetes;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fleetpulse.agent.source.ContainerInventory;
import io.fleetpulse.agent.source.SampleSink;
import io.fleetpulse.agent.source.Source;
import io.fleetpulse.protocol.Backend;
import io.fleetpulse.protocol.HealthStatus;
import io.fleetpulse.protocol.ReplicaSample;
import io.fleetpulse.protocol.ReplicaState;
import io.fleetpulse.protocol.Sample;
import io.fleetpulse.protocol.SourceState;
import io.fleetpulse.protocol.SourceStatusSample;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pods, workloads and nodes from the Kubernetes API through shared informers (list once, then
 * watch; no polling of the API server).
 *
 * <p><b>Every node</b>: the pods with {@code spec.nodeName} = this node, each as a {@code replica}
 * (backend {@code kubernetes}) and a {@code pod} sample. <b>Control-plane role</b> (one agent per
 * cluster): also every Deployment, StatefulSet and DaemonSet as a {@code workload} sample (HA
 * facts from all pods' placement and the PodDisruptionBudgets), and every Node as a {@code
 * k8s_node} sample; the pod informer then watches the whole cluster and the node's pods are
 * filtered from it.
 *
 * <p><b>Sampling</b> ({@link #sample()}) reads the informers' caches and never blocks on the API
 * server. When any informer is not trustworthy ({@link Watched#problem}: stopped, not listed yet,
 * not watching, or stalled) the cycle yields only a {@code failed} status naming the informer and
 * the reason, never the cached (possibly stale) objects.
 *
 * <p><b>Events</b>: every change of a pod on this node hands the complete current set of its
 * service's replicas on this node (plus their pod samples) to {@code outOfCycle} at once, from the
 * informer's thread; when the service's last pod leaves the node a {@code missing} replica says
 * so once (in that update and the next cycle), then the service is no longer reported here. OOM
 * kills are counted on every event ({@link OomKills}).
 *
 * <p>Also a {@link ContainerInventory} of this node's pod containers (from the informer cache,
 * never blocking), labelled like containerd labels them ({@code io.kubernetes.pod.namespace},
 * {@code .name}, {@code .uid}, {@code io.kubernetes.container.name}): GPU processes are attributed
 * to their pod and service through it.
 *
 * <p>Threading: {@link #sample()} runs on the runner's thread; informer callbacks on fabric8's
 * informer thread. Shared state: the informers' stores (thread-safe), {@link OomKills}
 * (synchronized) and the vacated-services set (concurrent).
 */
public final class KubernetesSource implements Source, ContainerInventory {
  public static final String NAME = "kubernetes";

  /**
   * What the source reads, as {@code apiGroup/resource} ({@code ""} = the core group), verbs get,
   * list and watch only: the RBAC in deploy/k8s/rbac.yaml must grant exactly this (tests check
   * both the manifests and the requests the source makes).
   */
  public static final java.util.Set<String> RESOURCES_NODE = java.util.Set.of("/pods");

  public static final java.util.Set<String> RESOURCES_CONTROL_PLANE =
      java.util.Set.of("/pods", "/nodes", "apps/deployments", "apps/statefulsets", "apps/daemonsets",
          "policy/poddisruptionbudgets");

  private static final Logger log = LoggerFactory.getLogger(KubernetesSource.class);

  private final KubernetesConfig config;
  private final Clock clock;
  private final SampleSink outOfCycle;
  private final Map<String, String> env;
  private final ServiceIdentity identity;
  private final WorkloadMapper workloads;
  private final OomKills oom = new OomKills();
  /** Services whose last pod left this node, to be reported as missing once more. */
  private final Set<String> vacated = ConcurrentHashMap.newKeySet();

  private KubernetesClient client;
  private Watched<Pod> pods;
  private Watched<Deployment> deployments;
  private Watched<StatefulSet> statefulSets;
  private Watched<DaemonSet> daemonSets;
  private Watched<PodDisruptionBudget> budgets;
  private Watched<Node> nodes;
  private final List<Watched<?>> all = new ArrayList<>();
  private volatile boolean closed;

  /**
   * @param config validated configuration with {@code nodeName} set
   * @param clock timestamps of every sample and the informers' event ages
   * @param outOfCycle receives event-driven samples; thread-safe, must not block
   * @param env the process environment (read only in-cluster: {@code KUBERNETES_SERVICE_HOST})
   */
  public KubernetesSource(
      KubernetesConfig config, Clock clock, SampleSink outOfCycle, Map<String, String> env) {
    this.config = Objects.requireNonNull(config);
    Objects.requireNonNull(config.nodeName(), "nodeName");
    this.clock = clock;
    this.outOfCycle = outOfCycle;
    this.env = Map.copyOf(env);
    this.identity = new ServiceIdentity(config.serviceMapping());
    this.workloads = new WorkloadMapper(identity);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Duration interval() {
    return config.interval();
  }

  @Override
  public Duration timeout() {
    return config.timeout();
  }

  /** Creates the client and starts the informers; does not wait for their first list. */
  @Override
  public synchronized void open() {
    if (closed) {
      throw new IllegalStateException("kubernetes source is closed");
    }
    if (client != null) {
      return;
    }
    client = KubeClients.create(config, env);
    long resync = config.resync().toMillis();
    var podOps = client.pods().inAnyNamespace();
    pods = watch("pods",
        config.controlPlane()
            ? podOps.runnableInformer(resync)
            : podOps.withField("spec.nodeName", config.nodeName()).runnableInformer(resync),
        this::onPod);
    if (config.controlPlane()) {
      deployments = watch("deployments", client.apps().deployments().inAnyNamespace().runnableInformer(resync), null);
      statefulSets = watch("statefulsets", client.apps().statefulSets().inAnyNamespace().runnableInformer(resync), null);
      daemonSets = watch("daemonsets", client.apps().daemonSets().inAnyNamespace().runnableInformer(resync), null);
      budgets = watch("poddisruptionbudgets",
          client.policy().v1().podDisruptionBudget().inAnyNamespace().runnableInformer(resync), null);
      nodes = watch("nodes", client.nodes().runnableInformer(resync), null);
    }
    for (Watched<?> w : all) {
      w.start(t -> log.debug("kubernetes informer {} start failed", w.name(), t));
    }
  }

  private <T> Watched<T> watch(
      String name,
      io.fabric8.kubernetes.client.informers.SharedIndexInformer<T> informer,
      Watched.ChangeListener<T> listener) {
    Watched<T> w = new Watched<>(name, informer, clock, config.resync(), listener == null ? (o, d) -> {} : listener);
    all.add(w);
    return w;
  }

  @Override
  public List<Sample> sample() {
    if (closed || client == null) {
      throw new IllegalStateException("kubernetes source is " + (closed ? "closed" : "not open"));
    }
    Instant start = clock.instant();
    Duration staleAfter = config.resync().plus(config.interval());
    List<String> problems = new ArrayList<>();
    for (Watched<?> w : all) {
      String p = w.problem(staleAfter);
      if (p != null) {
        problems.add(p);
      }
    }
    if (!problems.isEmpty()) {
      return new ArrayList<>(List.of(status(start, SourceState.FAILED, String.join("; ", problems))));
    }
    long now = clock.millis();
    List<Sample> out = new ArrayList<>();
    Set<String> present = new TreeSet<>();
    for (Pod p : localPods()) {
      String service = identity.ofPod(p);
      present.add(service);
      addPod(out, p, service, now);
    }
    for (String service : Set.copyOf(vacated)) {
      vacated.remove(service);
      if (!present.contains(service)) {
        out.add(missing(service, now));
      }
    }
    if (config.controlPlane()) {
      WorkloadMapper.Cluster cluster = new WorkloadMapper.Cluster(pods.list(), budgets.list());
      deployments.list().forEach(d -> out.add(workloads.deployment(d, cluster, now)));
      statefulSets.list().forEach(s -> out.add(workloads.statefulSet(s, cluster, now)));
      daemonSets.list().forEach(d -> out.add(workloads.daemonSet(d, cluster, now)));
      nodes.list().forEach(n -> out.add(NodeMapper.map(n, now)));
    }
    out.add(status(start, SourceState.OK, null));
    return out;
  }

  /** Informer thread: one pod changed; hands its service's complete set on this node out. */
  private void onPod(Pod pod, boolean deleted) {
    if (!config.nodeName().equals(pod.getSpec() == null ? null : pod.getSpec().getNodeName())) {
      return; // another node's pod (control-plane informer): its own agent reports it
    }
    if (!deleted) {
      oom.record(pod);
    }
    String service = identity.ofPod(pod);
    long now = clock.millis();
    List<Sample> out = new ArrayList<>();
    for (Pod p : localPods()) {
      if (service.equals(identity.ofPod(p))) {
        addPod(out, p, service, now);
      }
    }
    if (deleted) {
      oom.forget(pod.getMetadata().getUid());
    }
    if (out.isEmpty()) {
      vacated.add(service);
      out.add(missing(service, now));
    } else {
      vacated.remove(service);
    }
    try {
      outOfCycle.accept(out);
    } catch (RuntimeException e) {
      log.warn("kubernetes: could not hand out pod update of {}: {}", service, e.toString());
    }
  }

  @Override
  public List<ContainerInventory.Container> containers() {
    Watched<Pod> p = pods;
    if (p == null) {
      return List.of();
    }
    List<ContainerInventory.Container> out = new ArrayList<>();
    for (Pod pod : localPods()) {
      if (pod.getStatus() == null) {
        continue;
      }
      String service = identity.ofPod(pod);
      var meta = pod.getMetadata();
      for (var cs : pod.getStatus().getContainerStatuses()) {
        String id = cs.getContainerID();
        if (id == null || id.indexOf("://") < 0) {
          continue;
        }
        Map<String, String> labels = new java.util.HashMap<>();
        labels.put("io.kubernetes.pod.namespace", meta.getNamespace());
        labels.put("io.kubernetes.pod.name", meta.getName());
        if (meta.getUid() != null) {
          labels.put("io.kubernetes.pod.uid", meta.getUid());
        }
        labels.put("io.kubernetes.container.name", cs.getName());
        out.add(new ContainerInventory.Container(id.substring(id.indexOf("://") + 3),
            meta.getNamespace() + "/" + meta.getName() + "/" + cs.getName(), service,
            cs.getState() != null && cs.getState().getRunning() != null, labels));
      }
    }
    return out;
  }

  private List<Pod> localPods() {
    String node = config.nodeName();
    return pods.list().stream()
        .filter(p -> p.getSpec() != null && node.equals(p.getSpec().getNodeName()))
        .collect(Collectors.toList());
  }

  private void addPod(List<Sample> out, Pod p, String service, long now) {
    PodMapper.Mapped m = PodMapper.map(p, service, oom.record(p), now);
    out.add(m.replica());
    out.add(m.pod());
  }

  private static ReplicaSample missing(String service, long now) {
    return new ReplicaSample(
        now, service, null, service, null, ReplicaState.MISSING, HealthStatus.NONE, false, null,
        null, null, null, null, null, null, Backend.KUBERNETES);
  }

  private SourceStatusSample status(Instant start, SourceState state, String reason) {
    double seconds = Duration.between(start, clock.instant()).toNanos() / 1e9;
    return new SourceStatusSample(clock.millis(), NAME, state, reason, Math.max(0, seconds), null);
  }

  @Override
  public synchronized void close() {
    closed = true;
    for (Watched<?> w : all) {
      try {
        w.stop();
      } catch (RuntimeException e) {
        log.debug("kubernetes informer {} stop failed", w.name(), e);
      }
    }
    if (client != null) {
      client.close();
    }
  }
}
