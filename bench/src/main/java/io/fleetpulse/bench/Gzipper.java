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

  private void writeIntLe(int v) {
    out.write(v & 0xff);
    out.write((v >>> 8) & 0xff);
    out.write((v >>> 16) & 0xff);
    out.write((v >>> 24) & 0xff);
  }
}
