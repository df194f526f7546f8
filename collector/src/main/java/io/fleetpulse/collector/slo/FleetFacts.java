package io.fleetpulse.collector.slo;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetpulse.collector.slo.SloStoreReader.StoredFact;
import io.fleetpulse.protocol.GpuSample;
import io.fleetpulse.protocol.ProbeSample;
import io.fleetpulse.protocol.ReplicaSample;
import io.fleetpulse.protocol.Sample;
import io.fleetpulse.protocol.ServiceSample;
import io.fleetpulse.protocol.SwarmNodeSample;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The latest facts the report and status page show, decoded. Maps are sorted by key; immutable
 * after {@link #decode}.
 */
public record FleetFacts(
    Map<String, Fact.NodeFact> nodes,
    Map<String, Located<GpuSample>> gpus,
    Map<String, ServiceSample> services,
    Map<String, List<Located<ReplicaSample>>> replicas,
    Map<String, Located<ProbeSample>> probes,
    Map<String, Located<ProbeSample>> probeFailures,
    Map<String, Located<ReplicaSample>> serviceFailures,
    Map<String, SwarmNodeSample> swarmNodes) {

  /** A sample and the node whose agent sent it. */
  public record Located<T>(String node, T sample) {}

  public static final FleetFacts EMPTY =
      new FleetFacts(Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of());

  /** Decodes stored facts; an undecodable fact is skipped. */
  public static FleetFacts decode(List<StoredFact> facts, ObjectMapper json) {
    Map<String, Fact.NodeFact> nodes = new TreeMap<>();
    Map<String, Located<GpuSample>> gpus = new TreeMap<>();
    Map<String, ServiceSample> services = new TreeMap<>();
    Map<String, List<Located<ReplicaSample>>> replicas = new TreeMap<>();
    Map<String, Located<ProbeSample>> probes = new TreeMap<>();
    Map<String, Located<ProbeSample>> probeFailures = new TreeMap<>();
    Map<String, Located<ReplicaSample>> serviceFailures = new TreeMap<>();
    Map<String, SwarmNodeSample> swarm = new TreeMap<>();
    for (StoredFact f : facts) {
      try {
        switch (f.kind()) {
          case NODE ->
              nodes.put(f.key(), f.value() != null ? (Fact.NodeFact) f.value()
                  : json.readValue(f.json(), Fact.NodeFact.class));
          case GPU -> gpus.put(f.key(), new Located<>(f.node(), (GpuSample) sample(json, f)));
          case SERVICE -> services.put(f.key(), (ServiceSample) sample(json, f));
          case REPLICAS -> {
            List<ReplicaSample> cycle = f.value() != null ? replicaCycle(f.value()) : replicaCycle(json, f);
            String service = f.key().substring(0, f.key().lastIndexOf('@'));
            List<Located<ReplicaSample>> list =
                replicas.computeIfAbsent(service, k -> new ArrayList<>());
            cycle.forEach(r -> list.add(new Located<>(f.node(), r)));
          }
          case PROBE -> probes.put(f.key(), new Located<>(f.node(), (ProbeSample) sample(json, f)));
          case PROBE_FAILURE ->
              probeFailures.put(f.key(), new Located<>(f.node(), (ProbeSample) sample(json, f)));
          case SERVICE_FAILURE ->
              serviceFailures.put(
                  f.key(), new Located<>(f.node(), (ReplicaSample) sample(json, f)));
          case SWARM_NODE -> swarm.put(f.key(), (SwarmNodeSample) sample(json, f));
          default -> {}
        }
      } catch (IOException | ClassCastException | IllegalArgumentException e) {
        // a fact written by another version: leave it out
      }
    }
    return new FleetFacts(
        nodes, gpus, services, replicas, probes, probeFailures, serviceFailures, swarm);
  }

  private static List<ReplicaSample> replicaCycle(Object value) {
    List<ReplicaSample> out = new ArrayList<>();
    for (Object o : (List<?>) value) {
      out.add((ReplicaSample) o);
    }
    return out;
  }

  /**
   * The cycle is stored as a plain list, whose elements carry no "type" id (it was written through
   * an erased List); add it back so that the polymorphic ReplicaSample binds.
   */
  private static List<ReplicaSample> replicaCycle(ObjectMapper json, StoredFact f) throws IOException {
    com.fasterxml.jackson.databind.JsonNode tree = json.readTree(f.json());
    if (tree instanceof com.fasterxml.jackson.databind.node.ArrayNode array) {
      array.forEach(e -> {
        if (e instanceof com.fasterxml.jackson.databind.node.ObjectNode o && !o.has("type")) {
          o.put("type", ReplicaSample.KIND);
        }
      });
    }
    return json.convertValue(tree, new TypeReference<List<ReplicaSample>>() {});
  }

  /** The fact's sample: its value where given, else decoded from its JSON. */
  private static Sample sample(ObjectMapper json, StoredFact f) throws IOException {
    return f.value() != null ? (Sample) f.value() : json.readValue(f.json(), Sample.class);
  }
}
