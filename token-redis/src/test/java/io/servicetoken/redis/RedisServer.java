package io.servicetoken.redis;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.TestAbortedException;

/**
 * A real {@code redis-server} for tests (Debian package {@code redis-server}): one per test class, registered with
 * {@code @RegisterExtension static final RedisServer redis = new RedisServer();}, on a free loopback port with a
 * temporary directory and no persistence (no RDB, no AOF), stopped after the class (and by a shutdown hook as a last
 * resort). {@link #kill()} ends it with SIGKILL and {@link #start()} brings it back on the same port, empty: that is
 * how outages are tested.
 *
 * <p>The binary is {@code redis-server} on the PATH, or the system property {@code redis.server}. Without one the
 * class's tests are skipped with a loud warning, unless the environment variable {@code CI} is {@code true}: then
 * they fail.
 */
final class RedisServer implements BeforeAllCallback, AfterAllCallback {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
  private static final int START_ATTEMPTS = 5;
  /** Ports are picked from here: below Linux's ephemeral range (32768 up), with the cluster bus port (+10000) too. */
  private static final int LOWEST_PORT = 12000;
  private static final int PORT_RANGE = 10000;
  /** Redis Cluster's bus listens on the data port plus this. */
  private static final int CLUSTER_BUS_OFFSET = 10000;

  private final List<String> extraArgs;
  private @Nullable Path binary;
  private @Nullable Path dir;
  private @Nullable Process process;
  private @Nullable Thread shutdownHook;
  private int port = -1;

  /** A server with Redis's defaults (apart from persistence, which is off). */
  RedisServer() {
    this(new String[0]);
  }

  /** A server with more {@code redis-server} arguments, for example {@code "--cluster-enabled", "yes"}. */
  RedisServer(String... extraArgs) {
    this.extraArgs = Arrays.asList(extraArgs);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    Path found = findBinary();
    if (found == null) {
      String message = "redis-server not found (PATH or -Dredis.server): install the Debian package redis-server "
          + "(apt-get install -y redis-server); the Redis tests of " + context.getDisplayName() + " did not run";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) throw new IllegalStateException(message);
      System.err.println();
      System.err.println("!!!!!!!!!! WARNING: " + message + " !!!!!!!!!!");
      System.err.println();
      throw new TestAbortedException(message);
    }
    binary = found;
    dir = Files.createTempDirectory("redis-test");
    Thread hook = new Thread(this::stopQuietly, "redis-server-stop");
    shutdownHook = hook;
    Runtime.getRuntime().addShutdownHook(hook);
    for (int attempt = 1; ; attempt++) {
      port = freePort();
      try {
        start();
        return;
      } catch (IllegalStateException e) {
        // The ports were free when picked; another process may have bound one of them before redis-server did.
        String message = String.valueOf(e.getMessage());
        if (attempt >= START_ATTEMPTS || !message.contains("Address already in use")) throw e;
      }
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    stopQuietly();
    Thread hook = shutdownHook;
    if (hook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // already shutting down
      }
    }
    Path d = dir;
    if (d != null) deleteRecursively(d.toFile());
  }

  /** {@code redis://127.0.0.1:<port>}. */
  String uri() {
    return "redis://127.0.0.1:" + port();
  }

  int port() {
    if (port < 0) throw new IllegalStateException("redis-server not started");
    return port;
  }

  boolean running() {
    Process p = process;
    return p != null && p.isAlive();
  }

  /** Starts the server on its port (again, after {@link #kill()}), empty, and waits until it answers PING. */
  void start() throws IOException, InterruptedException {
    if (running()) throw new IllegalStateException("redis-server already running");
    Path d = dir;
    Path b = binary;
    if (d == null || b == null) throw new IllegalStateException("not set up: register the extension");
    List<String> command = new ArrayList<>(Arrays.asList(
        b.toString(),
        "--port", Integer.toString(port),
        "--bind", "127.0.0.1",
        "--dir", d.toString(),
        "--save", "",
        "--appendonly", "no",
        "--daemonize", "no",
        "--logfile", d.resolve("redis.log").toString()));
    command.addAll(extraArgs);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(d.resolve("redis.out").toFile());
    Process p = builder.start();
    process = p;
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (true) {
      if (!p.isAlive()) throw new IllegalStateException("redis-server exited at start: " + log());
      if ("+PONG".equals(command("PING"))) return;
      if (System.nanoTime() > deadline) {
        p.destroyForcibly();
        throw new IllegalStateException("redis-server did not answer PING within " + START_TIMEOUT + ": " + log());
      }
      p.waitFor(20, TimeUnit.MILLISECONDS); // the poll interval, cut short if the server exits
    }
  }

  /** Ends the server with SIGKILL (no shutdown, no save) and waits until it is gone and its port closed. */
  void kill() throws InterruptedException {
    Process p = process;
    if (p == null) return;
    p.destroyForcibly();
    if (!p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("redis-server survived SIGKILL for " + STOP_TIMEOUT);
    }
    process = null;
  }

  /**
   * Sends one inline command over a plain socket and returns the reply: the first line of a status, error or
   * integer reply ({@code +OK}, {@code -ERR ...}, {@code :1}), the content of a bulk string; null if the server does
   * not answer (not started, killed). For readiness probes and admin commands ({@code SCRIPT FLUSH}).
   */
  @Nullable String command(String inline) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
      socket.setSoTimeout(2000);
      OutputStream out = socket.getOutputStream();
      out.write((inline + "\r\n").getBytes(US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      StringBuilder line = new StringBuilder();
      int c;
      while ((c = in.read()) != -1 && c != '\n') {
        if (c != '\r') line.append((char) c);
      }
      if (line.length() > 1 && line.charAt(0) == '$') {
        int length = Integer.parseInt(line.substring(1));
        if (length < 0) return line.toString();
        byte[] bulk = new byte[length];
        int read = 0;
        while (read < length) {
          int n = in.read(bulk, read, length - read);
          if (n < 0) return null;
          read += n;
        }
        return new String(bulk, US_ASCII);
      }
      return line.toString();
    } catch (IOException e) {
      return null;
    }
  }

  private void stopQuietly() {
    try {
      kill();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private String log() {
    Path d = dir;
    if (d == null) return "";
    try {
      StringBuilder all = new StringBuilder();
      for (String name : new String[] {"redis.out", "redis.log"}) {
        Path file = d.resolve(name);
        if (Files.exists(file)) all.append(new String(Files.readAllBytes(file), US_ASCII));
      }
      return all.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static @Nullable Path findBinary() {
    String configured = System.getProperty("redis.server");
    if (configured != null && !configured.isEmpty()) {
      Path path = Paths.get(configured);
      return Files.isExecutable(path) ? path : null;
    }
    String pathVariable = System.getenv("PATH");
    List<String> dirs = new ArrayList<>(Arrays.asList((pathVariable == null ? "" : pathVariable)
        .split(File.pathSeparator)));
    dirs.add("/usr/bin");
    dirs.add("/usr/local/bin");
    dirs.add("/usr/sbin");
    for (String d : dirs) {
      if (d.isEmpty()) continue;
      Path candidate = Paths.get(d, "redis-server");
      if (Files.isExecutable(candidate)) return candidate;
    }
    return null;
  }

  /**
   * A loopback port that is free, and whose cluster bus port is free too. Picked below the ephemeral range, so that
   * the client side of some other test's connection cannot take it between the kill and the restart of an outage test
   * (which keeps the port), nor between this check and the server's bind (a failed bind is retried on another port).
   */
  private static int freePort() throws IOException {
    for (int i = 0; i < 200; i++) {
      int candidate = LOWEST_PORT + ThreadLocalRandom.current().nextInt(PORT_RANGE);
      if (bindable(candidate) && bindable(candidate + CLUSTER_BUS_OFFSET)) return candidate;
    }
    throw new IOException("no free loopback port pair found in " + LOWEST_PORT + "-"
        + (LOWEST_PORT + PORT_RANGE + CLUSTER_BUS_OFFSET));
  }

  private static boolean bindable(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void deleteRecursively(File file) {
    File[] children = file.listFiles();
    if (children != null) {
      for (File child : children) deleteRecursively(child);
    }
    if (!file.delete() && file.exists()) file.deleteOnExit();
  }
}
