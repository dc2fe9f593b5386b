package io.servicetoken.redis;

import io.reactivex.rxjava3.core.Scheduler;
import io.reactivex.rxjava3.disposables.Disposable;
import io.reactivex.rxjava3.schedulers.Schedulers;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The scheduler of one simulated pod: {@link Schedulers#io()}'s threads, with a clock that leads or lags the
 * machine's by a fixed offset (pods whose clocks differ), and {@link #freeze()}, after which the pod runs nothing
 * more (a process that died, or hangs, mid-fetch: its timers and timeouts never fire, it never releases a lease).
 *
 * <p>It also knows when the pod is {@linkplain #awaitIdle idle}: no task running and none due now. A provider
 * delivers its events on its scheduler, after the callers have their token, so a test that counts a pod's events
 * waits for that moment first (every event published before it has been delivered by then).
 */
final class PodScheduler extends Scheduler {
  private final Scheduler threads = Schedulers.io();
  private final long offsetMillis;
  private volatile boolean frozen;
  /** Tasks running now, plus tasks due now that have not started yet. */
  private final AtomicInteger busy = new AtomicInteger();

  private PodScheduler(Duration offset) {
    this.offsetMillis = offset.toMillis();
  }

  /** A pod whose clock reads the machine's plus {@code offset} (negative: it lags). */
  static PodScheduler offset(Duration offset) {
    return new PodScheduler(offset);
  }

  static PodScheduler create() {
    return new PodScheduler(Duration.ZERO);
  }

  /** From now on no task of this pod runs, scheduled or not yet started. */
  void freeze() {
    frozen = true;
  }

  @Override
  public long now(TimeUnit unit) {
    return unit.convert(System.currentTimeMillis() + offsetMillis, TimeUnit.MILLISECONDS);
  }

  @Override
  public Disposable scheduleDirect(Runnable run, long delay, TimeUnit unit) {
    Tracked task = new Tracked(run, delay, null);
    return task.track(threads.scheduleDirect(task, delay, unit));
  }

  @Override
  public Worker createWorker() {
    Worker worker = threads.createWorker();
    Set<Tracked> waiting = ConcurrentHashMap.newKeySet();
    return new Worker() {
      @Override
      public Disposable schedule(Runnable run, long delay, TimeUnit unit) {
        Tracked task = new Tracked(run, delay, waiting);
        return task.track(worker.schedule(task, delay, unit));
      }

      @Override
      public long now(TimeUnit unit) {
        return PodScheduler.this.now(unit);
      }

      @Override
      public void dispose() {
        worker.dispose(); // its tasks that have not started never will
        for (Tracked task : waiting) task.cancel();
      }

      @Override
      public boolean isDisposed() {
        return worker.isDisposed();
      }
    };
  }

  /**
   * Waits (bounded) until no task of this pod runs and none is due: what the provider had published when the wait
   * began has been delivered to its subscribers.
   */
  void awaitIdle() {
    Poll.until(Duration.ofSeconds(10), () -> busy.get() == 0);
  }

  /**
   * A task counted in {@link #busy} while it is due or running: from its scheduling if it is due at once, from its
   * start if it was delayed; until it ends, or until it is disposed before it started.
   */
  private final class Tracked implements Runnable {
    private static final int WAITING = 0;
    private static final int RUNNING = 1;
    private static final int DONE = 2;

    private final Runnable run;
    private final boolean countedWhileWaiting;
    private final @Nullable Set<Tracked> waiting;
    private final AtomicInteger state = new AtomicInteger(WAITING);

    /** @param waiting the worker's tasks not started yet, which this one joins until it starts; null for direct */
    Tracked(Runnable run, long delay, @Nullable Set<Tracked> waiting) {
      this.run = run;
      this.countedWhileWaiting = delay <= 0;
      this.waiting = waiting;
      if (countedWhileWaiting) busy.incrementAndGet();
      if (waiting != null) waiting.add(this);
    }

    @Override
    public void run() {
      if (waiting != null) waiting.remove(this);
      if (!state.compareAndSet(WAITING, RUNNING)) return;
      if (!countedWhileWaiting) busy.incrementAndGet();
      try {
        if (!frozen) run.run();
      } finally {
        state.set(DONE);
        busy.decrementAndGet();
      }
    }

    /** It will not start: no longer counted. */
    void cancel() {
      if (waiting != null) waiting.remove(this);
      if (state.compareAndSet(WAITING, DONE) && countedWhileWaiting) busy.decrementAndGet();
    }

    /** Returns {@code scheduled}, disposing of which also stops counting this task if it had not started. */
    Disposable track(Disposable scheduled) {
      return new Disposable() {
        @Override
        public void dispose() {
          scheduled.dispose();
          cancel();
        }

        @Override
        public boolean isDisposed() {
          return scheduled.isDisposed();
        }
      };
    }
  }
}
