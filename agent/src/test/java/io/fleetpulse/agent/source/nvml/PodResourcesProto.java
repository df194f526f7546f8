package io.fleetpulse.agent.source.nvml;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Label;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import java.util.List;

/**
 * The published kubelet pod-resources {@code v1} messages (k8s.io/kubelet
 * pkg/apis/podresources/v1/api.proto, Kubernetes 1.32), built as descriptors for the real
 * protobuf runtime, so the tests encode answers the way a kubelet does, not with the agent's own
 * decoder's idea of the format.
 */
final class PodResourcesProto {
  static final Descriptors.FileDescriptor FILE = build();

  private PodResourcesProto() {}

  static Descriptors.Descriptor type(String name) {
    return FILE.findMessageTypeByName(name);
  }

  /** A container's device assignment. */
  record Devices(String resource, List<String> ids) {}

  /** A container and what it holds; {@code cpuIds} and a topology travel as fields to skip. */
  record Container(String name, List<Devices> devices, List<Long> cpuIds) {}

  /** One pod of the answer. */
  record Pod(String namespace, String name, List<Container> containers) {}

  /** The wire bytes of a {@code ListPodResourcesResponse} holding {@code pods}. */
  static byte[] listResponse(List<Pod> pods) {
    var response = DynamicMessage.newBuilder(type("ListPodResourcesResponse"));
    for (Pod p : pods) {
      var pod = DynamicMessage.newBuilder(type("PodResources"));
      set(pod, "name", p.name());
      set(pod, "namespace", p.namespace());
      for (Container c : p.containers()) {
        var container = DynamicMessage.newBuilder(type("ContainerResources"));
        set(container, "name", c.name());
        for (Devices d : c.devices()) {
          var devices = DynamicMessage.newBuilder(type("ContainerDevices"));
          set(devices, "resource_name", d.resource());
          d.ids().forEach(id -> add(devices, "device_ids", id));
          var numa = DynamicMessage.newBuilder(type("NUMANode"));
          set(numa, "ID", 1L);
          var topology = DynamicMessage.newBuilder(type("TopologyInfo"));
          add(topology, "nodes", numa.build());
          set(devices, "topology", topology.build());
          add(container, "devices", devices.build());
        }
        c.cpuIds().forEach(id -> add(container, "cpu_ids", id));
        var memory = DynamicMessage.newBuilder(type("ContainerMemory"));
        set(memory, "memory_type", "hugepages-2Mi");
        set(memory, "size", 1L << 30);
        add(container, "memory", memory.build());
        add(pod, "containers", container.build());
      }
      add(response, "pod_resources", pod.build());
    }
    return response.build().toByteArray();
  }

  private static void set(DynamicMessage.Builder b, String field, Object value) {
    b.setField(b.getDescriptorForType().findFieldByName(field), value);
  }

  private static void add(DynamicMessage.Builder b, String field, Object value) {
    b.addRepeatedField(b.getDescriptorForType().findFieldByName(field), value);
  }

  private static Descriptors.FileDescriptor build() {
    FileDescriptorProto proto = FileDescriptorProto.newBuilder()
        .setName("api.proto").setPackage("v1").setSyntax("proto3")
        .addMessageType(message("ListPodResourcesRequest"))
        .addMessageType(message("ListPodResourcesResponse", repeated("pod_resources", 1, ".v1.PodResources")))
        .addMessageType(message("PodResources", string("name", 1), string("namespace", 2),
            repeated("containers", 3, ".v1.ContainerResources")))
        .addMessageType(message("ContainerResources", string("name", 1),
            repeated("devices", 2, ".v1.ContainerDevices"),
            field("cpu_ids", 3, Type.TYPE_INT64, Label.LABEL_REPEATED, null),
            repeated("memory", 4, ".v1.ContainerMemory"),
            repeated("dynamic_resources", 5, ".v1.DynamicResource")))
        .addMessageType(message("ContainerMemory", string("memory_type", 1),
            field("size", 2, Type.TYPE_UINT64, Label.LABEL_OPTIONAL, null),
            field("topology", 3, Type.TYPE_MESSAGE, Label.LABEL_OPTIONAL, ".v1.TopologyInfo")))
        .addMessageType(message("TopologyInfo", repeated("nodes", 1, ".v1.NUMANode")))
        .addMessageType(message("NUMANode", field("ID", 1, Type.TYPE_INT64, Label.LABEL_OPTIONAL, null)))
        .addMessageType(message("ContainerDevices", string("resource_name", 1),
            field("device_ids", 2, Type.TYPE_STRING, Label.LABEL_REPEATED, null),
            field("topology", 3, Type.TYPE_MESSAGE, Label.LABEL_OPTIONAL, ".v1.TopologyInfo")))
        .addMessageType(message("DynamicResource", string("class_name", 1), string("claim_name", 2),
            string("claim_namespace", 3), repeated("claim_resources", 4, ".v1.ClaimResource")))
        .addMessageType(message("ClaimResource", repeated("cdi_devices", 1, ".v1.CDIDevice")))
        .addMessageType(message("CDIDevice", string("name", 1)))
        .build();
    try {
      return Descriptors.FileDescriptor.buildFrom(proto, new Descriptors.FileDescriptor[0]);
    } catch (Descriptors.DescriptorValidationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static DescriptorProto message(String name, FieldDescriptorProto... fields) {
    return DescriptorProto.newBuilder().setName(name).addAllField(List.of(fields)).build();
  }

  private static FieldDescriptorProto string(String name, int number) {
    return field(name, number, Type.TYPE_STRING, Label.LABEL_OPTIONAL, null);
  }

  private static FieldDescriptorProto repeated(String name, int number, String typeName) {
    return field(name, number, Type.TYPE_MESSAGE, Label.LABEL_REPEATED, typeName);
  }

  private static FieldDescriptorProto field(String name, int number, Type type, Label label, String typeName) {
    var b = FieldDescriptorProto.newBuilder().setName(name).setNumber(number).setType(type).setLabel(label);
    if (typeName != null) {
      b.setTypeName(typeName);
    }
    return b.build();
  }
}
