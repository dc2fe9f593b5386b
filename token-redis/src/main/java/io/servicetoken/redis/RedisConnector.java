package io.servicetoken.redis;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.io.Closeable;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One Lettuce connection for a store, opened in the background and used with a deadline on every call.
 *
 * <p>Building a store never connects: the first connection is opened on a thread of its own, so a store built while
 * Redis is down builds at once. Calls wait for a connection attempt only while it is young (the first {@link
 * #FIRST_CONNECT_WAIT} of the very first attempt, the call timeout of later ones): later calls fail at once instead
 * of each paying the wait. A failed attempt is retried on demand after a back-off (100 ms doubling to {@link
 * #MAX_BACKOFF}). Once connected, Lettuce's own
 * auto-reconnect takes over; while it is reconnecting ({@link StatefulConnection#isOpen()} false) calls fail at once,
 * so no command queues up behind an outage. A command that does not complete by its deadline is cancelled, and
 * Lettuce does not send a cancelled command it still holds in its buffer, so a write cannot land late with a stale
 * expiry. A connection whose client does not reconnect by itself is dropped and opened again.
 */
final class RedisConnector implements Closeable {
  static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
  /**
   * How long calls may wait for the very first connection: a JVM's first Lettuce connection loads and starts Netty,
   * which takes longer than a command timeout, and a fleet's cold start is exactly when the store matters most.
   * Redis refusing the connection still fails at once.
   */
  static final Duration FIRST_CONNECT_WAIT = Duration.ofSeconds(2);
  private static final long FIRST_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  /** Opens a connection, blocking; called on the connector's own thread only. */
  interface Opener {
    Link open() throws Exception;
  }

  /** Prepares a new connection before calls use it (loads the scripts); blocking, its failures ignored. */
  interface Warmer {
    void warm(Link link) throws Exception;
  }

  /** A connection and its asynchronous commands (standalone, Sentinel and Cluster share this interface). */
  static final class Link {
    final StatefulConnection<byte[], byte[]> connection;
    final RedisClusterAsyncCommands<byte[], byte[]> commands;

    Link(StatefulConnection<byte[], byte[]> connection, RedisClusterAsyncCommands<byte[], byte[]> commands) {
      this.connection = connection;
      this.commands = commands;
    }
  }

  private final Opener opener;
  private final Warmer warmer;
  private final long timeoutNanos;
  private final Duration timeout;
  private final Runnable onClose;
  private final ExecutorService connectThread;
  private final Object lock = new Object();
  // Guarded by lock.
  private @Nullable Link link;
  private @Nullable CompletableFuture<Link> attempt;
  private long attemptStarted;
  private long attemptWaitNanos;
  private boolean everConnected;
  private long nextAttemptAt;
  private int failedAttempts;
  private boolean closed;

  /** {@code onClose} releases what the store created (its own client), after the connection is closed. */
  RedisConnector(Opener opener, Warmer warmer, Duration timeout, Runnable onClose) {
    this.opener = opener;
    this.warmer = warmer;
    this.timeout = timeout;
    this.timeoutNanos = timeout.toNanos();
    this.onClose = onClose;
    ThreadPoolExecutor executor = new ThreadPoolExecutor(0, 1, 10, TimeUnit.SECONDS,
        new LinkedBlockingQueue<Runnable>(), runnable -> {
          Thread thread = new Thread(runnable, "servicetoken-redis-connect");
          thread.setDaemon(true);
          return thread;
        });
    this.connectThread = executor;
    this.nextAttemptAt = System.nanoTime();
  }

  /** Starts connecting now, so that the first call finds a connection. Never blocks. */
  void connectInBackground() {
    synchronized (lock) {
      if (link == null && attempt == null && !closed) startAttempt(System.nanoTime());
    }
  }

  /**
   * Runs one command and waits for its answer until {@code deadline} ({@link System#nanoTime()}), or throws. A call
   * that waits for a connection gets its deadline moved by that wait.
   *
   * @param what the operation, for messages (for example "GET")
   * @param keyHash the hash of the entry concerned, for messages
   */
  <T> T call(String what, @Nullable String keyHash, long deadline,
      Function<RedisClusterAsyncCommands<byte[], byte[]>, RedisFuture<T>> command) {
    long beforeConnect = System.nanoTime();
    Link current = link(what, keyHash);
    long commandDeadline = deadline + (System.nanoTime() - beforeConnect);
    RedisFuture<T> future;
    try {
      future = command.apply(current.commands);
    } catch (RuntimeException e) { // REJECT_COMMANDS may throw right away on some paths
      throw failure(what, keyHash, e);
    }
    return await(future, what, keyHash, commandDeadline);
  }

  /** The deadline of a store call that starts now ({@link System#nanoTime()}). */
  long deadline() {
    return deadline(System.nanoTime());
  }

  /** The deadline of a store call that started at {@code start} ({@link System#nanoTime()}). */
  long deadline(long start) {
    return start + timeoutNanos;
  }

  private Link link(String what, @Nullable String keyHash) {
    CompletableFuture<Link> pending;
    long waitUntil;
    long attemptWait;
    synchronized (lock) {
      if (closed) throw new RedisTokenStoreException("the RedisTokenStore is closed", keyHash, null);
      Link current = link;
      if (current != null) {
        if (current.connection.isOpen()) return current;
        if (current.connection.getOptions().isAutoReconnect()) {
          throw new RedisTokenStoreException(what + ": not connected to Redis (connection lost; reconnecting)",
              keyHash, null);
        }
        link = null; // nobody reconnects it: open a new one
        current.connection.closeAsync();
      }
      long now = System.nanoTime();
      if (attempt == null) {
        if (now - nextAttemptAt < 0) {
          throw new RedisTokenStoreException(what + ": not connected to Redis (unreachable; next attempt in "
              + TimeUnit.NANOSECONDS.toMillis(nextAttemptAt - now) + " ms)", keyHash, null);
        }
        startAttempt(now);
      }
      pending = attempt;
      // Only the start of an attempt is worth waiting for: a connect that takes longer is an outage.
      attemptWait = attemptWaitNanos;
      waitUntil = attemptStarted + attemptWait;
    }
    if (pending == null) throw new IllegalStateException("no connection attempt"); // unreachable
    try {
      return pending.get(Math.max(0, waitUntil - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new RedisTokenStoreException(what + ": not connected to Redis (still connecting after "
          + Duration.ofNanos(attemptWait) + ")", keyHash, null);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new RedisTokenStoreException(what + ": could not connect to Redis (" + describe(cause) + ")", keyHash,
          cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RedisTokenStoreException(what + ": interrupted while connecting to Redis", keyHash, e);
    }
  }

  private void startAttempt(long now) {
    CompletableFuture<Link> started = new CompletableFuture<>();
    attempt = started;
    attemptStarted = now;
    attemptWaitNanos = everConnected ? timeoutNanos : Math.max(timeoutNanos, FIRST_CONNECT_WAIT.toNanos());
    try {
      connectThread.execute(() -> {
        try {
          Link opened = opener.open();
          try {
            warmer.warm(opened);
          } catch (Exception e) {
            // Only a head start: a script that is not loaded is sent with EVAL on first use.
          }
          if (!connected(started, opened)) opened.connection.closeAsync();
        } catch (Throwable t) {
          failed(started, t);
        }
      });
    } catch (RuntimeException e) { // rejected: closing
      attempt = null;
      started.completeExceptionally(e);
    }
  }

  /** Returns false when the store was closed meanwhile: the caller closes the connection. */
  private boolean connected(CompletableFuture<Link> started, Link opened) {
    synchronized (lock) {
      if (attempt == started) attempt = null;
      if (closed) {
        started.completeExceptionally(new IllegalStateException("closed"));
        return false;
      }
      link = opened;
      failedAttempts = 0;
      everConnected = true;
    }
    started.complete(opened);
    return true;
  }

  private void failed(CompletableFuture<Link> started, Throwable t) {
    synchronized (lock) {
      if (attempt == started) attempt = null;
      failedAttempts++;
      long backoff = Math.min(MAX_BACKOFF.toNanos(), FIRST_BACKOFF_NANOS << Math.min(failedAttempts - 1, 10));
      nextAttemptAt = System.nanoTime() + backoff;
    }
    started.completeExceptionally(t);
  }

  private <T> T await(RedisFuture<T> future, String what, @Nullable String keyHash, long deadline) {
    try {
      return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      // Lettuce skips a cancelled command that it has not written yet: it cannot land later.
      future.cancel(true);
      throw new RedisTokenStoreException(what + ": Redis did not answer within " + timeout, keyHash, null);
    } catch (ExecutionException e) {
      throw failure(what, keyHash, e.getCause() == null ? e : e.getCause());
    } catch (CancellationException e) {
      throw failure(what, keyHash, e);
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new RedisTokenStoreException(what + ": interrupted while waiting for Redis", keyHash, e);
    }
  }

  private static RedisTokenStoreException failure(String what, @Nullable String keyHash, Throwable cause) {
    return new RedisTokenStoreException(what + ": Redis failed (" + describe(cause) + ")", keyHash, cause);
  }

  /** A Lettuce exception's class and message: they name hosts and Redis errors, never a password or a value. */
  private static String describe(Throwable t) {
    String message = t.getMessage();
    return t.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  @Override
  public void close() {
    Link current;
    synchronized (lock) {
      if (closed) return;
      closed = true;
      current = link;
      link = null;
    }
    connectThread.shutdownNow();
    try {
      if (current != null) current.connection.close();
    } finally {
      onClose.run();
    }
  }
}
