package io.fleetpulse.agent.source.nvml;

import io.grpc.CallOptions;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Client of the kubelet's pod-resources API ({@code v1.PodResourcesLister/List}) over its unix
 * socket, plain gRPC (the kubelet serves it without TLS; access is the socket's file mode). The
 * channel is created on the first call and kept; a call waits for the connection up to its
 * deadline (a kubelet restarting within it is answered), and a channel in backoff reconnects at
 * once (the connect backoff is reset); one event-loop
 * thread, daemon. {@link #list} blocks up to its deadline; not for a Vert.x event loop. Not
 * thread-safe: one caller (the GPU source's thread).
 */
final class PodResourcesClient implements AutoCloseable {
  static final String LIST_METHOD = "v1.PodResourcesLister/List";
  static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

  static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };

  static final MethodDescriptor<byte[], byte[]> LIST = MethodDescriptor.<byte[], byte[]>newBuilder()
      .setType(MethodDescriptor.MethodType.UNARY)
      .setFullMethodName(LIST_METHOD)
      .setRequestMarshaller(BYTES)
      .setResponseMarshaller(BYTES)
      .build();

  /** The call failed; the message says how (gRPC status, deadline, transport). */
  static final class PodResourcesException extends Exception {
    private static final long serialVersionUID = 1L;

    PodResourcesException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final Path socket;
  private EventLoopGroup group;
  private ManagedChannel channel;

  PodResourcesClient(Path socket) {
    this.socket = socket;
  }

  Path socket() {
    return socket;
  }

  /**
   * Every device assignment the kubelet reports now.
   *
   * @throws PodResourcesException when there is no answer within {@code deadline}, the kubelet
   *     answers with a non-OK status, the transport fails, or the answer does not decode
   */
  List<PodResourcesCodec.PodDevice> list(Duration deadline) throws PodResourcesException {
    byte[] answer;
    ManagedChannel ch = channel();
    if (ch.getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
      // A restarted kubelet: reconnect now rather than after gRPC's backoff (up to 2 min).
      ch.resetConnectBackoff();
    }
    try {
      answer = ClientCalls.blockingUnaryCall(ch, LIST,
          CallOptions.DEFAULT.withWaitForReady()
              .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS), new byte[0]);
    } catch (StatusRuntimeException e) {
      String description = e.getStatus().getDescription();
      throw new PodResourcesException(LIST_METHOD + " on " + socket + ": " + e.getStatus().getCode()
          + (description != null ? " (" + firstLine(description) + ")" : ""), e);
    }
    try {
      return PodResourcesCodec.decodeList(answer);
    } catch (IllegalArgumentException e) {
      throw new PodResourcesException(LIST_METHOD + " on " + socket + ": " + e.getMessage(), e);
    }
  }

  /** gRPC descriptions can carry a whole stack trace: one line, at most 200 characters, for logs. */
  private static String firstLine(String description) {
    int nl = description.indexOf('\n');
    String line = nl >= 0 ? description.substring(0, nl) : description;
    return line.length() > 200 ? line.substring(0, 200) + "…" : line;
  }

  private ManagedChannel channel() throws PodResourcesException {
    if (channel == null) {
      if (!Epoll.isAvailable()) {
        throw new PodResourcesException("unix sockets need Netty's epoll transport, unavailable here: "
            + Epoll.unavailabilityCause(), Epoll.unavailabilityCause());
      }
      group = new MultiThreadIoEventLoopGroup(1, r -> {
        Thread t = new Thread(r, "fleetpulse-pod-resources");
        t.setDaemon(true);
        return t;
      }, EpollIoHandler.newFactory());
      channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
          .eventLoopGroup(group)
          .channelType(EpollDomainSocketChannel.class)
          .overrideAuthority("localhost")
          .usePlaintext()
          .directExecutor()
          .maxInboundMessageSize(MAX_MESSAGE_BYTES)
          .build();
    }
    return channel;
  }

  /** Closes the channel and its thread, waiting up to a second. Idempotent. */
  @Override
  public void close() {
    if (channel != null) {
      channel.shutdownNow();
      try {
        channel.awaitTermination(1, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      channel = null;
    }
    if (group != null) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      group = null;
    }
  }
}
