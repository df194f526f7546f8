package io.fleetpulse.bench;

import java.io.ByteArrayOutputStream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * gzip (RFC 1952) with one reusable {@link Deflater}, as {@code GZIPOutputStream} would produce
 * at the default level, without allocating a native deflater per body. Not thread-safe: one per
 * worker.
 */
final class Gzipper {
  private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};
  private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
  private final CRC32 crc = new CRC32();
  private final byte[] buffer = new byte[16 * 1024];
  private final ByteArrayOutputStream out = new ByteArrayOutputStream(8 * 1024);

  byte[] gzip(byte[] data) {
    out.reset();
    out.write(HEADER, 0, HEADER.length);
    deflater.reset();
    deflater.setInput(data);
    deflater.finish();
    while (!deflater.finished()) {
      int n = deflater.deflate(buffer);
      out.write(buffer, 0, n);
    }
    crc.reset();
    crc.update(data);
    writeIntLe((int) crc.getValue());
    writeIntLe(data.length);
    return out.toByteArray();
  }

  /** Raw deflate of {@code data} as a complete, final block sequence (no header, no trailer). */
  byte[] deflateFinal(byte[] data) {
    Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    try {
      d.setInput(data);
      d.finish();
      ByteArrayOutputStream o = new ByteArrayOutputStream(data.length / 2 + 64);
      while (!d.finished()) {
        int n = d.deflate(buffer);
        o.write(buffer, 0, n);
      }
      return o.toByteArray();
    } finally {
      d.end();
    }
  }

  /**
   * One gzip member for {@code head[0..headLength) + tail}: the head goes into a stored
   * (uncompressed, non-final) deflate block, which costs no compression work and leaves the stream
   * byte-aligned without history, then {@code tailDeflated} (from {@link #deflateFinal} of {@code
   * tail}) follows as the final blocks; CRC and length cover both parts.
   *
   * @throws IllegalArgumentException if the head is longer than one stored block (65,535 bytes)
   */
  byte[] gzipJoined(byte[] head, int headLength, byte[] tail, byte[] tailDeflated) {
    if (headLength > 0xffff) {
      throw new IllegalArgumentException("head too long for one stored block: " + headLength);
    }
    out.reset();
    out.write(HEADER, 0, HEADER.length);
    out.write(0); // BFINAL=0, BTYPE=00 (stored), padded to the byte boundary
    out.write(headLength & 0xff);
    out.write((headLength >>> 8) & 0xff);
    out.write(~headLength & 0xff);
    out.write((~headLength >>> 8) & 0xff);
    out.write(head, 0, headLength);
    out.write(tailDeflated, 0, tailDeflated.length);
    crc.reset();
    crc.update(head, 0, headLength);
    crc.update(tail);
    writeIntLe((int) crc.getValue());
    writeIntLe(headLength + tail.length);
    return out.toByteArray();
  }

  private void writeIntLe(int v) {
    out.write(v & 0xff);
    out.write((v >>> 8) & 0xff);
    out.write((v >>> 16) & 0xff);
    out.write((v >>> 24) & 0xff);
  }
}
