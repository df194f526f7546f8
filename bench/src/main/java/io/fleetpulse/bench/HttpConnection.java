package io.fleetpulse.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One persistent HTTP/1.1 connection over a plain blocking socket: the cheapest client there is,
 * so that the load generator spends as little of the shared CPUs as possible. Reconnects
 * transparently when the server closed the connection. Not thread-safe: one per worker thread.
 *
 * <p>Understands {@code Content-Length} and {@code chunked} responses and {@code Connection:
 * close}. All calls block for at most the configured socket timeout per read.
 */
final class HttpConnection implements AutoCloseable {
  /** A finished exchange: status code and body (the body only when asked for). */
  record Response(int status, byte[] body, long bodyBytes) {}

  private final String host;
  private final int port;
  private final int timeoutMillis;
  private Socket socket;
  private InputStream in;
  private OutputStream out;
  private long connects;

  HttpConnection(URI base, int timeoutMillis) {
    this.host = base.getHost();
    this.port = base.getPort();
    this.timeoutMillis = timeoutMillis;
  }

  /** How many TCP connections this object opened so far. */
  long connects() {
    return connects;
  }

  /**
   * Sends one request and reads the whole response.
   *
   * @param headers extra header lines, each "Name: value" (no CRLF)
   * @param keepBody whether to return the body bytes (otherwise they are counted and dropped)
   * @throws IOException on network errors; the connection is then closed and reopened next time
   */
  Response exchange(String method, String path, String[] headers, byte[] body, boolean keepBody)
      throws IOException {
    boolean fresh = socket == null;
    try {
      return exchangeOnce(method, path, headers, body, keepBody);
    } catch (java.net.SocketTimeoutException e) {
      close();
      throw e;
    } catch (IOException e) {
      close();
      if (fresh) {
        throw e;
      }
      // the server may have closed an idle keep-alive connection: retry once on a new one
      return exchangeOnce(method, path, headers, body, keepBody);
    }
  }

  private Response exchangeOnce(
      String method, String path, String[] headers, byte[] body, boolean keepBody)
      throws IOException {
    if (socket == null) {
      connect();
    }
    StringBuilder head = new StringBuilder(256);
    head.append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ")
        .append(host).append(':').append(port).append("\r\n");
    for (String h : headers) {
      head.append(h).append("\r\n");
    }
    if (body != null) {
      head.append("Content-Length: ").append(body.length).append("\r\n");
    }
    head.append("\r\n");
    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    if (body != null) {
      out.write(body);
    }
    out.flush();
    try {
      return readResponse(keepBody, "HEAD".equals(method));
    } catch (IOException e) {
      close();
      throw e;
    }
  }

  private Response readResponse(boolean keepBody, boolean head) throws IOException {
    String status = readLine();
    if (!status.startsWith("HTTP/1.")) {
      throw new IOException("bad status line: " + status);
    }
    int code = Integer.parseInt(status.substring(9, 12));
    long length = -1;
    boolean chunked = false;
    boolean close = status.startsWith("HTTP/1.0");
    for (String line = readLine(); !line.isEmpty(); line = readLine()) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).trim();
      if (name.equals("content-length")) {
        length = Long.parseLong(value);
      } else if (name.equals("transfer-encoding")) {
        chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
      } else if (name.equals("connection")) {
        close = value.equalsIgnoreCase("close");
      }
    }
    ByteArrayOutputStream kept = keepBody ? new ByteArrayOutputStream() : null;
    long total = 0;
    if (head || code == 204 || code == 304 || (code >= 100 && code < 200)) {
      // no body
    } else if (chunked) {
      while (true) {
        String sizeLine = readLine();
        int semi = sizeLine.indexOf(';');
        long size = Long.parseLong((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
        if (size == 0) {
          while (!readLine().isEmpty()) {
            // trailers
          }
          break;
        }
        total += copy(size, kept);
        readLine();
      }
    } else if (length >= 0) {
      total = copy(length, kept);
    } else {
      total = copy(Long.MAX_VALUE, kept); // until EOF
      close = true;
    }
    if (close) {
      close();
    }
    return new Response(code, kept == null ? null : kept.toByteArray(), total);
  }

  private final byte[] scratch = new byte[16 * 1024];

  private long copy(long n, ByteArrayOutputStream kept) throws IOException {
    long left = n;
    long done = 0;
    while (left > 0) {
      int r = in.read(scratch, 0, (int) Math.min(scratch.length, left));
      if (r < 0) {
        if (n == Long.MAX_VALUE) {
          return done;
        }
        throw new EOFException("connection closed in body");
      }
      if (kept != null) {
        kept.write(scratch, 0, r);
      }
      left -= r;
      done += r;
    }
    return done;
  }

  private String readLine() throws IOException {
    StringBuilder line = new StringBuilder(64);
    while (true) {
      int c = in.read();
      if (c < 0) {
        throw new EOFException("connection closed");
      }
      if (c == '\n') {
        int len = line.length();
        if (len > 0 && line.charAt(len - 1) == '\r') {
          line.setLength(len - 1);
        }
        return line.toString();
      }
      if (line.length() > 64 * 1024) {
        throw new IOException("header line too long");
      }
      line.append((char) c);
    }
  }

  private void connect() throws IOException {
    Socket s = new Socket();
    s.setTcpNoDelay(true);
    s.setSoTimeout(timeoutMillis);
    s.connect(new InetSocketAddress(host, port), timeoutMillis);
    socket = s;
    in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
    out = new BufferedOutputStream(s.getOutputStream(), 16 * 1024);
    connects++;
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
    socket = null;
    in = null;
    out = null;
  }
}
