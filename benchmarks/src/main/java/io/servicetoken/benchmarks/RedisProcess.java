package io.servicetoken.benchmarks;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A {@code redis-server} for the fleet harness: on a free loopback port, no persistence, killed with SIGKILL and
 * started again on the same port (empty) to measure an outage. The binary is {@code redis-server} on the PATH or
 * {@code -Dredis.server=/path}. (token-redis's tests have a JUnit extension that does the same; the harness keeps
 * this small copy rather than depend on a test jar and JUnit from a main class.)
 */
final class RedisProcess implements AutoCloseable {
  private final String binary;
  private final Path dir;
  private final int port;
  private Process process;

  private RedisProcess(String binary, Path dir, int port) {
    this.binary = binary;
    this.dir = dir;
    this.port = port;
  }

  static RedisProcess start() throws IOException {
    String binary = System.getProperty("redis.server", find());
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    RedisProcess redis = new RedisProcess(binary, Files.createTempDirectory("fleet-redis"), port);
    redis.restart();
    return redis;
  }

  String uri() {
    return "redis://127.0.0.1:" + port;
  }

  /** Starts the server (again, empty) and waits until it answers PING. */
  void restart() throws IOException {
    process = new ProcessBuilder(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1", "--dir",
        dir.toString(), "--save", "", "--appendonly", "no", "--logfile", dir.resolve("redis.log").toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("redis.out").toFile()).start();
    Fleet.PROCESSES.add(process);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!pong()) {
      if (!process.isAlive() || System.nanoTime() > deadline) throw new IOException("redis-server did not start");
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
  }

  /** SIGKILL: no shutdown, no save. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    try {
      kill();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // close() must not throw it (try-with-resources would swallow the flag)
    }
    File[] files = dir.toFile().listFiles();
    if (files != null) for (File file : files) file.delete();
    dir.toFile().delete();
  }

  private boolean pong() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
      socket.setSoTimeout(1000);
      socket.getOutputStream().write("PING\r\n".getBytes(US_ASCII));
      InputStream in = socket.getInputStream();
      byte[] reply = new byte[5];
      int n = in.read(reply);
      return n == 5 && new String(reply, US_ASCII).equals("+PONG");
    } catch (IOException e) {
      return false;
    }
  }

  private static String find() {
    for (String dir : (System.getenv("PATH") + File.pathSeparator + "/usr/bin:/usr/local/bin:/usr/sbin")
        .split(File.pathSeparator)) {
      Path candidate = Paths.get(dir, "redis-server");
      if (!dir.isEmpty() && Files.isExecutable(candidate)) return candidate.toString();
    }
    throw new IllegalStateException("redis-server not found: apt-get install -y redis-server, or -Dredis.server=");
  }
}
