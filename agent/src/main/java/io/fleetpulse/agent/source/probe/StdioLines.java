package io.fleetpulse.agent.source.probe;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Lines of one output stream of a stdio server, read by {@link #pump()} on a reader thread and
 * taken by the probe with {@link #next}. A line longer than {@code maxLineBytes} is cut there (the
 * rest up to the newline is dropped). The last few lines are kept for {@link #tail()} (stderr in
 * failure details). Thread-safe between one pump and one taker.
 */
final class StdioLines {
  private static final String END = "\0end";

  private final InputStream stream;
  private final int maxLineBytes;
  private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>(10_000);
  private final StringBuilder tail = new StringBuilder();

  StdioLines(InputStream stream, int maxLineBytes) {
    this.stream = stream;
    this.maxLineBytes = maxLineBytes;
  }

  /** Reads until end of stream; runs on a reader thread. Never throws. */
  void pump() {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    try (InputStream in = stream) {
      byte[] buf = new byte[8192];
      int n;
      while ((n = in.read(buf)) >= 0) {
        for (int i = 0; i < n; i++) {
          if (buf[i] == '\n') {
            emit(line);
          } else if (line.size() < maxLineBytes) {
            line.write(buf[i]);
          }
        }
      }
      if (line.size() > 0) {
        emit(line);
      }
    } catch (IOException e) {
      // the process was stopped: end of stream
    } finally {
      lines.offer(END);
    }
  }

  private void emit(ByteArrayOutputStream line) {
    String s = line.toString(StandardCharsets.UTF_8);
    line.reset();
    if (s.endsWith("\r")) {
      s = s.substring(0, s.length() - 1);
    }
    synchronized (tail) {
      tail.append(s).append(' ');
      if (tail.length() > 300) {
        tail.delete(0, tail.length() - 300);
      }
    }
    lines.offer(s);
  }

  /**
   * The next line; null at end of stream.
   *
   * @throws ProbeFailure timeout at the deadline
   */
  String next(Deadline d, String what) throws ProbeFailure {
    try {
      String s = lines.poll(d.remaining().toNanos(), TimeUnit.NANOSECONDS);
      if (s == null) {
        throw new ProbeFailure(Failures.timeout("no " + what, d));
      }
      if (s == END) {
        lines.offer(END);
        return null;
      }
      return s;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProbeFailure(Failures.timeout("interrupted waiting for " + what, d));
    }
  }

  /** The last output, about 300 characters, trimmed. */
  String tail() {
    synchronized (tail) {
      return tail.toString().trim();
    }
  }
}
