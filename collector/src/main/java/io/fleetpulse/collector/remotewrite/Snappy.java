package io.fleetpulse.collector.remotewrite;

import java.util.Arrays;

/**
 * Snappy block-format compression (the format remote write requires: a varint of the
 * uncompressed length, then literals and copies; not the framed format). Pure Java, no native
 * code. Greedy matching on a 4-byte hash within 64 KiB blocks, as the reference encoder does; its
 * output is valid for any snappy decoder, not byte-identical to the reference's. Stateless,
 * thread-safe.
 */
public final class Snappy {
  private static final int BLOCK = 1 << 16;
  private static final int HASH_BITS = 14;

  private Snappy() {}

  /** The snappy block encoding of {@code in}. */
  public static byte[] compress(byte[] in) {
    Out out = new Out(32 + in.length + in.length / 6);
    out.varint(in.length);
    int[] table = new int[1 << HASH_BITS];
    Arrays.fill(table, -1);
    for (int start = 0; start < in.length; start += BLOCK) {
      block(in, start, Math.min(in.length, start + BLOCK), table, out);
    }
    return Arrays.copyOf(out.buf, out.pos);
  }

  private static void block(byte[] in, int start, int end, int[] table, Out out) {
    int literal = start;
    int i = start;
    while (i + 4 <= end) {
      int word = load32(in, i);
      int h = (word * 0x1e35a7bd) >>> (32 - HASH_BITS);
      int candidate = table[h];
      table[h] = i;
      if (candidate >= start && load32(in, candidate) == word) {
        if (i > literal) {
          out.literal(in, literal, i - literal);
        }
        int len = 4;
        while (i + len < end && in[candidate + len] == in[i + len]) {
          len++;
        }
        out.copy(i - candidate, len);
        i += len;
        literal = i;
      } else {
        i++;
      }
    }
    if (literal < end) {
      out.literal(in, literal, end - literal);
    }
  }

  private static int load32(byte[] b, int i) {
    return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8 | (b[i + 2] & 0xff) << 16 | (b[i + 3] & 0xff) << 24;
  }

  private static final class Out {
    final byte[] buf;
    int pos;

    Out(int capacity) {
      buf = new byte[capacity];
    }

    void varint(int v) {
      while ((v & ~0x7f) != 0) {
        buf[pos++] = (byte) ((v & 0x7f) | 0x80);
        v >>>= 7;
      }
      buf[pos++] = (byte) v;
    }

    /** A literal of 1..65536 bytes (one block at most). */
    void literal(byte[] in, int off, int len) {
      int n = len - 1;
      if (n < 60) {
        buf[pos++] = (byte) (n << 2);
      } else if (n < 256) {
        buf[pos++] = (byte) (60 << 2);
        buf[pos++] = (byte) n;
      } else {
        buf[pos++] = (byte) (61 << 2);
        buf[pos++] = (byte) n;
        buf[pos++] = (byte) (n >>> 8);
      }
      System.arraycopy(in, off, buf, pos, len);
      pos += len;
    }

    /** A copy of {@code len} >= 4 bytes from {@code offset} (1..65535) back. */
    void copy(int offset, int len) {
      while (len >= 68) {
        copy2(offset, 64);
        len -= 64;
      }
      if (len > 64) {
        copy2(offset, 60);
        len -= 60;
      }
      if (len <= 11 && offset < 2048) {
        buf[pos++] = (byte) (1 | ((len - 4) << 2) | ((offset >>> 8) << 5));
        buf[pos++] = (byte) offset;
      } else {
        copy2(offset, len);
      }
    }

    private void copy2(int offset, int len) {
      buf[pos++] = (byte) (2 | ((len - 1) << 2));
      buf[pos++] = (byte) offset;
      buf[pos++] = (byte) (offset >>> 8);
    }
  }
}
