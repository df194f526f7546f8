package io.fleetpulse.collector.remotewrite;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The remote write 1.0 {@code prometheus.WriteRequest} protobuf, encoded by hand (no protobuf
 * runtime): {@code WriteRequest{repeated TimeSeries timeseries = 1}}, {@code
 * TimeSeries{repeated Label labels = 1; repeated Sample samples = 2}}, {@code Label{string name =
 * 1; string value = 2}}, {@code Sample{double value = 1; int64 timestamp = 2}}. Metadata (field 3)
 * is not sent. Every field is written, zero values included. Stateless, thread-safe.
 */
public final class WriteRequest {
  private WriteRequest() {}

  /** One label pair. */
  public record Label(String name, String value) {}

  /**
   * One series with one sample. {@code labels} include {@code __name__} and are sorted by name
   * (the protocol requires it; {@link #of} sorts).
   */
  public record TimeSeries(List<Label> labels, double value, long timestampMillis) {
    public TimeSeries {
      labels = List.copyOf(labels);
    }

    /** A series with its labels sorted by name. */
    public static TimeSeries of(List<Label> labels, double value, long timestampMillis) {
      List<Label> sorted = new ArrayList<>(labels);
      sorted.sort(Comparator.comparing(Label::name));
      return new TimeSeries(sorted, value, timestampMillis);
    }
  }

  /** The protobuf bytes of a WriteRequest holding {@code series}, in the given order. */
  public static byte[] encode(List<TimeSeries> series) {
    Buf out = new Buf(series.size() * 160 + 16);
    for (TimeSeries ts : series) {
      int n = ts.labels().size();
      byte[][] names = new byte[n][];
      byte[][] values = new byte[n][];
      int[] labelSizes = new int[n];
      int size = 0;
      for (int i = 0; i < n; i++) {
        names[i] = ts.labels().get(i).name().getBytes(StandardCharsets.UTF_8);
        values[i] = ts.labels().get(i).value().getBytes(StandardCharsets.UTF_8);
        labelSizes[i] = 1 + varintSize(names[i].length) + names[i].length
            + 1 + varintSize(values[i].length) + values[i].length;
        size += 1 + varintSize(labelSizes[i]) + labelSizes[i];
      }
      int sampleSize = 1 + 8 + 1 + varintSize(ts.timestampMillis());
      size += 1 + varintSize(sampleSize) + sampleSize;
      out.b(0x0a).varint(size);
      for (int i = 0; i < n; i++) {
        out.b(0x0a).varint(labelSizes[i]);
        out.b(0x0a).varint(names[i].length).bytes(names[i]);
        out.b(0x12).varint(values[i].length).bytes(values[i]);
      }
      out.b(0x12).varint(sampleSize);
      out.b(0x09).fixed64(Double.doubleToRawLongBits(ts.value()));
      out.b(0x10).varint(ts.timestampMillis());
    }
    return out.toArray();
  }

  static int varintSize(long v) {
    int n = 1;
    while ((v & ~0x7fL) != 0) {
      v >>>= 7;
      n++;
    }
    return n;
  }

  private static final class Buf {
    private byte[] buf;
    private int pos;

    Buf(int capacity) {
      buf = new byte[capacity];
    }

    private void room(int n) {
      if (pos + n > buf.length) {
        buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
      }
    }

    Buf b(int v) {
      room(1);
      buf[pos++] = (byte) v;
      return this;
    }

    Buf varint(long v) {
      room(10);
      while ((v & ~0x7fL) != 0) {
        buf[pos++] = (byte) ((v & 0x7f) | 0x80);
        v >>>= 7;
      }
      buf[pos++] = (byte) v;
      return this;
    }

    Buf fixed64(long v) {
      room(8);
      for (int i = 0; i < 8; i++) {
        buf[pos++] = (byte) (v >>> (8 * i));
      }
      return this;
    }

    Buf bytes(byte[] b) {
      room(b.length);
      System.arraycopy(b, 0, buf, pos, b.length);
      pos += b.length;
      return this;
    }

    byte[] toArray() {
      return java.util.Arrays.copyOf(buf, pos);
    }
  }
}
