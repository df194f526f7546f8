package io.fleetpulse.agent.source.nvml;

import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.stub.ServerCalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real gRPC server speaking the kubelet's {@code v1.PodResourcesLister/List} on a unix socket,
 * answering with {@link PodResourcesProto} bytes, a gRPC error, or nothing at all (a stall).
 * Answers are set between calls; thread-safe.
 */
final class FakeKubelet implements AutoCloseable {
  private final Path socket;
  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
  private final AtomicInteger calls = new AtomicInteger();
  private volatile byte[] answer = PodResourcesProto.listResponse(List.of());
  private volatile Status failure;
  private volatile boolean stall;
  private Server server;

  FakeKubelet(Path socket) throws IOException {
    this.socket = socket;
    start();
  }

  void start() throws IOException {
    Files.deleteIfExists(socket);
    ServerServiceDefinition service = ServerServiceDefinition.builder("v1.PodResourcesLister")
        .addMethod(PodResourcesClient.LIST, ServerCalls.<byte[], byte[]>asyncUnaryCall((request, reply) -> {
          calls.incrementAndGet();
          if (stall) {
            return; // never answers: the client's deadline must end the call
          }
          if (failure != null) {
            reply.onError(failure.asRuntimeException());
            return;
          }
          reply.onNext(answer);
          reply.onCompleted();
        }))
        .build();
    server = NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
        .channelType(EpollServerDomainSocketChannel.class)
        .bossEventLoopGroup(group)
        .workerEventLoopGroup(group)
        .addService(service)
        .build()
        .start();
  }

  /** Stops serving and removes the socket (a kubelet restart's first half). */
  void stop() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  FakeKubelet answer(List<PodResourcesProto.Pod> pods) {
    this.answer = PodResourcesProto.listResponse(pods);
    this.failure = null;
    this.stall = false;
    return this;
  }

  FakeKubelet fail(Status status) {
    this.failure = status;
    return this;
  }

  FakeKubelet stall(boolean on) {
    this.stall = on;
    return this;
  }

  int calls() {
    return calls.get();
  }

  @Override
  public void close() throws InterruptedException {
    stop();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
  }
}
