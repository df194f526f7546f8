package io.fleetpulse.collector.ingest;

import java.io.ByteArrayOutputStream;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Gunzips a request body with a hard cap on the output, so a gzip bomb costs at most {@code
 * maxBytes} of memory and the CPU to inflate that much. Handles exactly one gzip member (RFC 1952)
 * with any header flags, and verifies the trailer's length. Stateless and thread-safe.
 */
public final class BoundedGunzip {
  private BoundedGunzip() {}

  /**
   * @throws Rejection 400 for a corrupt or truncated stream, 413 when the output exceeds {@code
   *     maxBytes}
   */
  public static byte[] gunzip(byte[] in, int maxBytes) throws Rejection {
    int pos = header(in);
    Inflater inflater = new Inflater(true);
    try {
      inflater.setInput(in, pos, in.length - pos);
      ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(maxBytes, Math.max(64, in.length * 4)));
      byte[] buf = new byte[16 * 1024];
      CRC32 crc = new CRC32();
      while (!inflater.finished()) {
        int n;
        try {
          n = inflater.inflate(buf);
        } catch (DataFormatException e) {
          throw corrupt("invalid deflate data");
        }
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          throw corrupt("truncated gzip stream");
        }
        if (out.size() + n > maxBytes) {
          throw Rejection.tooLarge("body_too_large", "$",
              "decompressed body exceeds " + maxBytes + " bytes");
        }
        out.write(buf, 0, n);
        crc.update(buf, 0, n);
      }
      int trailer = in.length - inflater.getRemaining();
      if (in.length - trailer < 8) {
        throw corrupt("truncated gzip trailer");
      }
      long crcValue = (in[trailer] & 0xffL) | (in[trailer + 1] & 0xffL) << 8
          | (in[trailer + 2] & 0xffL) << 16 | (in[trailer + 3] & 0xffL) << 24;
      if (crcValue != crc.getValue()) {
        throw corrupt("gzip checksum mismatch");
      }
      long isize = (in[trailer + 4] & 0xffL) | (in[trailer + 5] & 0xffL) << 8
          | (in[trailer + 6] & 0xffL) << 16 | (in[trailer + 7] & 0xffL) << 24;
      if (isize != (out.size() & 0xffffffffL)) {
        throw corrupt("gzip length mismatch");
      }
      return out.toByteArray();
    } finally {
      inflater.end();
    }
  }

  private static int header(byte[] in) throws Rejection {
    if (in.length < 18 || (in[0] & 0xff) != 0x1f || (in[1] & 0xff) != 0x8b || in[2] != 8) {
      throw corrupt("not a gzip stream");
    }
    int flags = in[3] & 0xff;
    int pos = 10;
    if ((flags & 0x04) != 0) { // FEXTRA
      if (pos + 2 > in.length) {
        throw corrupt("truncated gzip header");
      }
      pos += 2 + ((in[pos] & 0xff) | (in[pos + 1] & 0xff) << 8);
    }
    for (int bit : new int[] {0x08, 0x10}) { // FNAME, FCOMMENT: zero-terminated
      if ((flags & bit) != 0) {
        while (pos < in.length && in[pos] != 0) {
          pos++;
        }
        pos++;
      }
    }
    if ((flags & 0x02) != 0) { // FHCRC
      pos += 2;
    }
    if (pos >= in.length) {
      throw corrupt("truncated gzip header");
    }
    return pos;
  }

  private static Rejection corrupt(String reason) {
    return Rejection.invalid("bad_encoding", "$", reason);
  }
}
