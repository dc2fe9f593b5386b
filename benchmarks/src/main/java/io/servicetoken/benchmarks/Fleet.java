package io.servicetoken.benchmarks;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.File;
import java.io.FileInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * Fleet mode measured: several JVMs ({@link FleetPod}) with callers in each, sharing one {@code redis-server} and one
 * vendor endpoint (in this JVM, 50 ms per request, 5 s tokens), with and without the store, and with Redis killed
 * mid-run; then the first token of one more process, with a warm store and without. Run with {@code java -cp
 * benchmarks.jar io.servicetoken.benchmarks.Fleet [seconds [jvms [store,none,outage]]]} (default 60 s, 8 JVMs, all
 * three runs); needs {@code redis-server} on the PATH (or {@code -Dredis.server=}). {@code -Dfleet.verbose=true}
 * prints every call that waited over 10 ms.
 */
public final class Fleet {
  /** The fleet's store key (AES-256), as every process of a service would share it. Benchmark only. */
  static final String ENCRYPTION_KEY = "c2VydmljZXRva2VuLWZsZWV0LWJlbmNobWFyay1rZXk=";
  static final Duration LIFETIME = Duration.ofSeconds(5);
  static final Duration VENDOR_LATENCY = Duration.ofMillis(50);
  static final int CALLERS = 4;
  static final long PERIOD_MILLIS = 10;
  static final int COLD_STARTS = 3;
  private static final List<String> JVM_FLAGS = Arrays.asList("-XX:+UseSerialGC", "-Xmx128m", "-Xss512k");
  /** Every process the harness started (pods, redis-server): destroyed if the harness itself is stopped. */
  static final List<Process> PROCESSES = Collections.synchronizedList(new ArrayList<>());

  private Fleet() {}

  /**
   * Runs every scenario and prints the tables of docs/BENCHMARKS.md.
   *
   * @param args run length in seconds (default 60), number of JVMs (default 8), and which runs (default {@code
   *     store,none,outage})
   * @throws Exception if the harness itself fails
   */
  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
    int jvms = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    List<String> scenarios = Arrays.asList((args.length > 2 ? args[2] : "store,none,outage").split(","));
    Path dir = Files.createTempDirectory("fleet-bench");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      synchronized (PROCESSES) {
        for (Process process : PROCESSES) process.destroyForcibly();
      }
    }, "fleet-cleanup"));
    try (RedisProcess redis = RedisProcess.start(); Vendor vendor = new Vendor()) {
      List<Run> runs = new ArrayList<>();
      List<String> coldStarts = new ArrayList<>();
      if (scenarios.contains("store")) {
        runs.add(run("with the store", true, false, redis, vendor, jvms, seconds, dir, coldStarts));
      }
      if (scenarios.contains("none")) {
        runs.add(run("without a store", false, false, redis, vendor, jvms, seconds, dir, null));
      }
      if (scenarios.contains("outage")) {
        runs.add(run("with the store, Redis killed at 1/3, restarted at 2/3", true, true, redis, vendor, jvms,
            seconds, dir, null));
      }

      System.out.printf(Locale.ROOT,
          "%d JVMs x %d callers (one call each %d ms), %d s tokens, a %d ms vendor, %d s%n%n", jvms, CALLERS,
          PERIOD_MILLIS, LIFETIME.getSeconds(), VENDOR_LATENCY.toMillis(), seconds);
      System.out.println("| fleet | vendor requests | per token lifetime | by thirds of the run | calls | failed"
          + " | blocked > 1 ms after cold start | of which > 10 ms | p50 µs | p99 µs | p99.9 µs | worst ms"
          + " | store errors |");
      System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
      for (Run run : runs) {
        double lifetimes = (double) seconds / LIFETIME.getSeconds();
        String thirds = run.thirds[0] + " / " + run.thirds[1] + " / " + run.thirds[2];
        System.out.printf(Locale.ROOT, "| %s | %d | %.1f | %s | %d | %d | %d | %d | %.1f | %.1f | %.1f | %.1f | %d |%n",
            run.name, run.requests, run.requests / lifetimes, thirds, run.calls, run.errors, run.blocked, run.waited,
            run.percentile(0.50) / 1e3, run.percentile(0.99) / 1e3, run.percentile(0.999) / 1e3, run.worst / 1e6,
            run.storeErrors);
      }
      System.out.println();
      System.out.println("| one more process: time to its first token | ms (each run) | how |");
      System.out.println("| --- | --- | --- |");
      for (String line : coldStarts) System.out.println(line);
    } finally {
      File[] files = dir.toFile().listFiles();
      if (files != null) for (File file : files) file.delete();
      dir.toFile().delete();
    }
  }

  static Run run(String name, boolean withStore, boolean outage, RedisProcess redis, Vendor vendor, int jvms,
      int seconds, Path dir, List<String> coldStarts) throws Exception {
    String key = "fleet-" + UUID.randomUUID();
    List<Child> children = new ArrayList<>();
    Run run = new Run(name);
    try {
      for (int i = 0; i < jvms; i++) {
        Path latencies = dir.resolve(key + "-" + i + ".bin");
        children.add(Child.start(dir, "pod-" + i, latencies, "mode=run", "redis=" + (withStore ? redis.uri() : "none"),
            "vendor=" + vendor.url(), "key=" + key, "seconds=" + seconds, "callers=" + CALLERS,
            "periodMillis=" + PERIOD_MILLIS, "latencies=" + latencies));
      }
      for (Child child : children) child.expect("ready", Duration.ofSeconds(180));
      vendor.requests.set(0);
      vendor.arrivals.clear();
      long start = System.nanoTime();
      for (Child child : children) child.send("go");
      if (outage) {
        at(start, seconds / 3.0);
        redis.kill();
        at(start, 2 * seconds / 3.0);
        redis.restart();
      }
      for (Child child : children) run.add(child.expect("result", Duration.ofSeconds(seconds + 120)));
      run.requests = vendor.requests.get();
      synchronized (vendor.arrivals) {
        for (long arrival : vendor.arrivals) {
          run.thirds[(int) Math.min(2, 3 * (arrival - start) / TimeUnit.SECONDS.toNanos(seconds))]++;
        }
      }
      for (Child child : children) run.addLatencies(child.latencies);
      if (coldStarts != null) {
        // The fleet is idle now but still refreshes in the background (autoRefresh): the store stays warm.
        coldStarts.add(coldStarts(dir, "warm store: from main() (store, provider, first Redis connection)", vendor,
            "redis=" + redis.uri(), "key=" + key, "connected=false"));
        coldStarts.add(coldStarts(dir, "no store: from main() (provider, vendor fetch)", vendor, "redis=none",
            "key=" + key));
        coldStarts.add(coldStarts(dir, "warm store: token() alone, once the store has connected", vendor,
            "redis=" + redis.uri(), "key=" + key, "connected=true"));
      }
    } finally {
      for (Child child : children) child.close();
    }
    return run;
  }

  private static String coldStarts(Path dir, String what, Vendor vendor, String... args) throws Exception {
    List<String> times = new ArrayList<>();
    List<String> hows = new ArrayList<>();
    for (int i = 0; i < COLD_STARTS; i++) {
      List<String> all = new ArrayList<>(Arrays.asList("mode=cold", "vendor=" + vendor.url()));
      all.addAll(Arrays.asList(args));
      try (Child child = Child.start(dir, "cold-" + i, null, all.toArray(new String[0]))) {
        String[] first = child.expect("first", Duration.ofSeconds(60)).split(" ");
        times.add(String.format(Locale.ROOT, "%.1f", Long.parseLong(first[1]) / 1e3));
        hows.add(first[2]);
      }
    }
    return "| " + what + " | " + String.join(", ", times) + " | " + String.join(", ", hows) + " |";
  }

  private static void at(long start, double seconds) {
    long due = start + (long) (seconds * 1e9);
    for (long wait; (wait = due - System.nanoTime()) > 0; ) LockSupport.parkNanos(wait);
  }

  /** The vendor: every request gets a new opaque token of {@link #LIFETIME}, after {@link #VENDOR_LATENCY}. */
  static final class Vendor implements AutoCloseable {
    final AtomicInteger requests = new AtomicInteger();
    /** When each request arrived, on {@link System#nanoTime()}. */
    final List<Long> arrivals = Collections.synchronizedList(new ArrayList<>());
    private final MockWebServer server = Loopback.server();

    Vendor() throws IOException {
      server.setDispatcher(new Dispatcher() {
        @Override
        public MockResponse dispatch(RecordedRequest request) {
          arrivals.add(System.nanoTime());
          int n = requests.incrementAndGet();
          return new MockResponse()
              .setHeadersDelay(VENDOR_LATENCY.toMillis(), TimeUnit.MILLISECONDS)
              .setHeader("Content-Type", "application/json")
              .setBody("{\"access_token\":\"fleet-" + n + "-" + UUID.randomUUID() + "\",\"expires_in\":"
                  + LIFETIME.getSeconds() + ",\"token_type\":\"Bearer\"}");
        }
      });
      server.start();
    }

    String url() {
      return server.url("/").toString();
    }

    @Override
    public void close() throws IOException {
      server.shutdown();
    }
  }

  /** What one scenario measured, summed over its JVMs. */
  static final class Run {
    final String name;
    long calls;
    long errors;
    long blocked;
    long waited;
    long worst;
    long storeErrors;
    int requests;
    /** Vendor requests in the first, second and last third of the run. */
    final int[] thirds = new int[3];
    private long[] latencies = new long[0];

    Run(String name) {
      this.name = name;
    }

    void add(String result) {
      for (String field : result.split(" ")) {
        int eq = field.indexOf('=');
        if (eq < 0) continue;
        long value = Long.parseLong(field.substring(eq + 1));
        switch (field.substring(0, eq)) {
          case "calls": calls += value; break;
          case "errors": errors += value; break;
          case "blocked": blocked += value; break;
          case "waited": waited += value; break;
          case "worstMicros": worst = Math.max(worst, value * 1000); break;
          case "storeErrors": storeErrors += value; break;
          default: break;
        }
      }
    }

    void addLatencies(Path file) throws IOException {
      List<Long> read = new ArrayList<>();
      try (DataInputStream in = new DataInputStream(new BufferedInputStream(new FileInputStream(file.toFile())))) {
        while (true) read.add(in.readLong());
      } catch (EOFException end) {
        // all read
      }
      long[] merged = Arrays.copyOf(latencies, latencies.length + read.size());
      for (int i = 0; i < read.size(); i++) merged[latencies.length + i] = read.get(i);
      Arrays.sort(merged);
      latencies = merged;
    }

    double percentile(double p) {
      if (latencies.length == 0) return Double.NaN;
      return latencies[Math.min(latencies.length - 1, (int) Math.ceil(p * latencies.length) - 1)];
    }
  }

  /** A {@link FleetPod} process on this JVM's classpath (the benchmarks jar). */
  static final class Child implements AutoCloseable {
    final Path latencies;
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final String name;
    private final Path stderr;

    private Child(String name, Process process, Path latencies, Path stderr) {
      this.name = name;
      this.process = process;
      this.latencies = latencies;
      this.stderr = stderr;
      Thread reader = new Thread(() -> {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8))) {
          for (String line; (line = out.readLine()) != null; ) lines.add(line);
        } catch (IOException e) {
          // ended
        }
      }, name + "-stdout");
      reader.setDaemon(true);
      reader.start();
    }

    static Child start(Path dir, String name, Path latencies, String... args) throws IOException {
      List<String> command = new ArrayList<>();
      command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(JVM_FLAGS);
      if (FleetPod.VERBOSE) command.add("-Dfleet.verbose=true");
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add(FleetPod.class.getName());
      command.addAll(Arrays.asList(args));
      Path stderr = dir.resolve(name + "-" + UUID.randomUUID() + ".err");
      Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
      PROCESSES.add(process);
      return new Child(name, process, latencies, stderr);
    }

    void send(String line) throws IOException {
      OutputStream in = process.getOutputStream();
      in.write((line + "\n").getBytes(UTF_8));
      in.flush();
    }

    String expect(String prefix, Duration bound) throws Exception {
      long deadline = System.nanoTime() + bound.toNanos();
      while (true) {
        String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (line == null) {
          throw new IllegalStateException(name + " said no " + prefix + " within " + bound + ": "
              + new String(Files.readAllBytes(stderr), UTF_8));
        }
        if (line.startsWith(prefix)) return line;
        if (FleetPod.VERBOSE) System.err.println(name + ": " + line);
      }
    }

    @Override
    public void close() {
      try {
        process.getOutputStream().close(); // the pod exits when its stdin closes
      } catch (IOException e) {
        // already gone
      }
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
