package io.servicetoken;

import io.reactivex.rxjava3.core.Observable;
import io.reactivex.rxjava3.core.Observer;
import io.reactivex.rxjava3.core.Scheduler;
import io.reactivex.rxjava3.disposables.Disposable;
import io.reactivex.rxjava3.functions.Predicate;
import io.reactivex.rxjava3.plugins.RxJavaPlugins;
import io.reactivex.rxjava3.subjects.Subject;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Delivers a provider's {@link TokenProvider#events() events} and {@link TokenProvider#tokens() tokens} so that
 * their subscribers can neither break nor slow the engine. Publishing only puts the value in each subscriber's own
 * queue; each queue is then drained on the provider's scheduler, one value at a time, in order, by a task scheduled
 * when values arrive (no thread is held while a queue is empty, so a subscription costs no thread). A subscriber
 * that throws (it breaks RxJava's rules, but apps do it) is unsubscribed and gets its own error, as with RxJava's
 * {@code safeSubscribe}; what it throws then goes to {@link RxJavaPlugins#onError}. Other subscribers, the callers
 * waiting for a token and the engine never notice.
 */
final class Broadcast<T> {
  private final Subject<T> subject;
  private final Observable<T> observable;

  /**
   * @param subject serialized, so that the engine may publish from any thread
   * @param live decides, when a value is published and when it is replayed to a new subscriber, whether it is
   *     still worth delivering
   */
  Broadcast(Subject<T> subject, Scheduler scheduler, Predicate<T> live) {
    this.subject = subject;
    Observable<T> filtered = subject.filter(live);
    this.observable = new Observable<T>() {
      @Override
      protected void subscribeActual(Observer<? super T> observer) {
        filtered.subscribe(new Delivery<>(observer, scheduler));
      }
    };
  }

  void publish(T value) {
    subject.onNext(value);
  }

  void complete() {
    subject.onComplete();
  }

  Observable<T> observable() {
    return observable;
  }

  /** One subscriber's queue, drained on the scheduler; what the subscriber throws never leaves it. */
  private static final class Delivery<T> implements Observer<T>, Disposable, Runnable {
    private static final Object COMPLETE = new Object();

    private final Observer<? super T> downstream;
    private final Scheduler scheduler;
    private final Queue<Object> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger wip = new AtomicInteger();
    private volatile boolean disposed;
    private volatile Disposable upstream = Disposable.empty();

    Delivery(Observer<? super T> downstream, Scheduler scheduler) {
      this.downstream = downstream;
      this.scheduler = scheduler;
    }

    @Override
    public void onSubscribe(Disposable d) {
      upstream = d;
      try {
        downstream.onSubscribe(this);
      } catch (Throwable e) {
        dispose();
        RxJavaPlugins.onError(e);
      }
    }

    @Override
    public void onNext(T value) {
      enqueue(value);
    }

    @Override
    public void onError(Throwable error) {
      enqueue(new Failed(error));
    }

    @Override
    public void onComplete() {
      enqueue(COMPLETE);
    }

    private void enqueue(Object item) {
      if (disposed) return;
      queue.offer(item);
      if (wip.getAndIncrement() == 0) scheduler.scheduleDirect(this);
    }

    /** Drains the queue; runs on the scheduler, never twice at once. */
    @Override
    public void run() {
      int missed = 1;
      while (true) {
        Object item;
        while ((item = queue.poll()) != null) {
          if (disposed) {
            queue.clear();
            break;
          }
          deliver(item);
        }
        missed = wip.addAndGet(-missed);
        if (missed == 0) return;
      }
    }

    @SuppressWarnings("unchecked")
    private void deliver(Object item) {
      if (item == COMPLETE || item instanceof Failed) {
        disposed = true;
        try {
          if (item == COMPLETE) {
            downstream.onComplete();
          } else {
            downstream.onError(((Failed) item).error);
          }
        } catch (Throwable e) {
          RxJavaPlugins.onError(e);
        }
        return;
      }
      try {
        downstream.onNext((T) item);
      } catch (Throwable e) {
        dispose();
        try {
          downstream.onError(e);
        } catch (Throwable again) {
          RxJavaPlugins.onError(again);
        }
      }
    }

    @Override
    public void dispose() {
      disposed = true;
      upstream.dispose();
    }

    @Override
    public boolean isDisposed() {
      return disposed;
    }
  }

  /** An error in a subscriber's queue. */
  private static final class Failed {
    final Throwable error;

    Failed(Throwable error) {
      this.error = error;
    }
  }
}
