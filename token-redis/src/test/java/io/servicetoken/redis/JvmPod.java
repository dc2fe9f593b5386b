package io.servicetoken.redis;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link FleetPodMain} in a JVM of its own, started with the test's own classpath: {@link #send} writes a command
 * line, {@link #expect} waits (bounded) for an answer line. {@link #kill()} is {@code kill -9}; {@link #close()}
 * destroys the process whatever its state, and the pod also exits by itself when its stdin closes.
 */
final class JvmPod implements AutoCloseable {
  /** Flags for a JVM that starts fast and stays small: several run at once on a 2-core CI machine. */
  private static final List<String> JVM_FLAGS =
      Arrays.asList("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k", "-Xmx96m", "-Xshare:auto");

  final String name;
  private final Process process;
  private final Path stderr;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

  private JvmPod(String name, Process process, Path stderr) {
    this.name = name;
    this.process = process;
    this.stderr = stderr;
    Thread reader = new Thread(this::read, name + "-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts a pod on {@code redisUri}; it answers {@code ready} once its store has connected. */
  static JvmPod start(String name, String redisUri, byte[] encryptionKey) throws IOException {
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>();
    command.add(java);
    command.addAll(JVM_FLAGS);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(FleetPodMain.class.getName());
    command.add(redisUri);
    command.add(Base64.getEncoder().encodeToString(encryptionKey));
    Path stderr = Files.createTempFile("fleet-" + name, ".err");
    Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
    return new JvmPod(name, process, stderr);
  }

  void send(String line) throws IOException {
    OutputStream in = process.getOutputStream();
    in.write((line + "\n").getBytes(UTF_8));
    in.flush();
  }

  /** The next line that starts with {@code prefix}, skipping others; fails after {@code bound}. */
  String expect(String prefix, Duration bound) throws InterruptedException {
    long deadline = System.nanoTime() + bound.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
      if (line == null) {
        throw new AssertionError(name + " said no \"" + prefix + "...\" within " + bound + " (alive: "
            + process.isAlive() + "); its stderr:\n" + tail());
      }
      if (line.startsWith(prefix)) return line;
    }
  }

  /** {@code kill -9}: no shutdown hook, no lease released, no socket closed politely. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(10, TimeUnit.SECONDS)) throw new AssertionError(name + " survived SIGKILL");
  }

  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // close() must not throw it (try-with-resources would swallow the flag)
    }
    File file = stderr.toFile();
    if (!file.delete()) file.deleteOnExit();
  }

  private void read() {
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) lines.add(line);
    } catch (IOException e) {
      // the process ended
    }
  }

  private String tail() {
    try {
      List<String> all = Files.readAllLines(stderr, UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - 40), all.size()));
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }
}
