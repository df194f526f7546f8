package io.fleetpulse.agent.source.nvml;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the kubelet's {@code v1.ListPodResourcesResponse} (k8s.io/kubelet
 * pkg/apis/podresources/v1/api.proto) from its protobuf wire form, keeping only what device
 * attribution needs:
 *
 * <pre>
 * ListPodResourcesResponse { repeated PodResources pod_resources = 1; }
 * PodResources            { string name = 1; string namespace = 2; repeated ContainerResources containers = 3; }
 * ContainerResources      { string name = 1; repeated ContainerDevices devices = 2; ... }
 * ContainerDevices        { string resource_name = 1; repeated string device_ids = 2; ... }
 * </pre>
 *
 * Every other field (cpu ids, memory, topology, dynamic resources, fields of later revisions) is
 * skipped by wire type, so a newer kubelet decodes too. Hand-written to keep the protobuf runtime
 * off the nodes. Pure; thread-safe.
 */
final class PodResourcesCodec {
  /** One device assigned to one container; strings are never null (proto3 defaults to ""). */
  record PodDevice(String namespace, String pod, String container, String resourceName, String deviceId) {}

  private static final int VARINT = 0;
  private static final int FIXED64 = 1;
  private static final int LEN = 2;
  private static final int FIXED32 = 5;

  private PodResourcesCodec() {}

  /**
   * Every (container, device) pair of a List response.
   *
   * @throws IllegalArgumentException for bytes that are not a well-formed message (truncated
   *     field, bad varint, unknown wire type), naming the offset
   */
  static List<PodDevice> decodeList(byte[] message) {
    List<PodDevice> out = new ArrayList<>();
    Reader top = new Reader(message, 0, message.length);
    while (top.more()) {
      int tag = top.tag();
      if (tag >>> 3 == 1 && (tag & 7) == LEN) {
        pod(top.nested(), out);
      } else {
        top.skip(tag);
      }
    }
    return out;
  }

  private static void pod(Reader r, List<PodDevice> out) {
    String name = "";
    String namespace = "";
    List<Reader> containers = new ArrayList<>();
    while (r.more()) {
      int tag = r.tag();
      switch (tag) {
        case (1 << 3) | LEN -> name = r.string();
        case (2 << 3) | LEN -> namespace = r.string();
        case (3 << 3) | LEN -> containers.add(r.nested());
        default -> r.skip(tag);
      }
    }
    for (Reader c : containers) {
      container(c, namespace, name, out);
    }
  }

  private static void container(Reader r, String namespace, String pod, List<PodDevice> out) {
    String name = "";
    List<Reader> devices = new ArrayList<>();
    while (r.more()) {
      int tag = r.tag();
      switch (tag) {
        case (1 << 3) | LEN -> name = r.string();
        case (2 << 3) | LEN -> devices.add(r.nested());
        default -> r.skip(tag);
      }
    }
    for (Reader d : devices) {
      String resource = "";
      List<String> ids = new ArrayList<>();
      while (d.more()) {
        int tag = d.tag();
        switch (tag) {
          case (1 << 3) | LEN -> resource = d.string();
          case (2 << 3) | LEN -> ids.add(d.string());
          default -> d.skip(tag);
        }
      }
      for (String id : ids) {
        out.add(new PodDevice(namespace, pod, name, resource, id));
      }
    }
  }

  /** A cursor over {@code [pos, end)} of one buffer. */
  private static final class Reader {
    private final byte[] buf;
    private int pos;
    private final int end;

    Reader(byte[] buf, int pos, int end) {
      this.buf = buf;
      this.pos = pos;
      this.end = end;
    }

    boolean more() {
      return pos < end;
    }

    int tag() {
      long tag = varint();
      if (tag <= 0 || tag > Integer.MAX_VALUE || (tag >>> 3) == 0) {
        throw bad("invalid field tag " + tag);
      }
      return (int) tag;
    }

    long varint() {
      long value = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= end) {
          throw bad("truncated varint");
        }
        byte b = buf[pos++];
        value |= (long) (b & 0x7f) << shift;
        if (b >= 0) {
          return value;
        }
      }
      throw bad("varint longer than 10 bytes");
    }

    Reader nested() {
      int length = length();
      Reader r = new Reader(buf, pos, pos + length);
      pos += length;
      return r;
    }

    String string() {
      int length = length();
      String s = new String(buf, pos, length, StandardCharsets.UTF_8);
      pos += length;
      return s;
    }

    void skip(int tag) {
      switch (tag & 7) {
        case VARINT -> varint();
        case FIXED64 -> advance(8);
        case LEN -> advance(length());
        case FIXED32 -> advance(4);
        default -> throw bad("unsupported wire type " + (tag & 7) + " of field " + (tag >>> 3));
      }
    }

    private int length() {
      long length = varint();
      if (length < 0 || length > end - pos) {
        throw bad("length " + length + " runs past the end of its message");
      }
      return (int) length;
    }

    private void advance(int n) {
      if (n > end - pos) {
        throw bad("field runs past the end of its message");
      }
      pos += n;
    }

    private IllegalArgumentException bad(String what) {
      return new IllegalArgumentException("malformed ListPodResourcesResponse at byte " + pos + ": " + what);
    }
  }
}
