package io.servicetoken;

import io.reactivex.rxjava3.core.SingleObserver;
import io.reactivex.rxjava3.disposables.CompositeDisposable;
import io.reactivex.rxjava3.disposables.Disposable;
import io.reactivex.rxjava3.plugins.RxJavaPlugins;
import io.reactivex.rxjava3.subjects.SingleSubject;

/**
 * One fetch in flight: the result every waiting caller shares, and everything it runs (scheduled attempts, backoff
 * delays, requests), so that {@link #cancel()} stops all of it. Work added after cancellation is disposed at once,
 * so a request can never start after {@link TokenProvider#close()} has returned.
 */
final class Flight {
  /** Why a fetch runs. */
  enum Reason {
    /** A caller has no usable token and waits. */
    COLD,
    /** The cached token is still handed out; this refreshes it ahead of its expiry. */
    AHEAD,
    /** A timer of {@code autoRefresh} while no usable token is left: one attempt, nobody waits. */
    BACKGROUND
  }

  final Reason reason;
  final int maxAttempts;
  /** Fleet mode: whether this provider holds the store's lease, so it asks the vendor for the fleet. */
  volatile boolean holdsLease;
  /** Fleet mode: how often this fetch looked in the store while another provider held the lease. */
  volatile int polls;
  private final SingleSubject<Token> result = SingleSubject.create();
  private final CompositeDisposable work = new CompositeDisposable();

  Flight(Reason reason, int maxAttempts) {
    this.reason = reason;
    this.maxAttempts = maxAttempts;
  }

  /** Adds {@code observer} to the callers waiting for the result; its own failures cannot reach the others. */
  void join(SingleObserver<? super Token> observer) {
    result.subscribe(new Guarded(observer));
  }

  /** Tracks {@code d} so that {@link #cancel()} disposes it; disposes it at once when already cancelled. */
  void track(Disposable d) {
    work.add(d);
  }

  /** Stops every attempt, delay and request of this fetch. */
  void cancel() {
    work.dispose();
  }

  boolean isCancelled() {
    return work.isDisposed();
  }

  /**
   * Hands {@code token} to the waiting callers. The work is left alone: it has ended, and disposing a task still on
   * its way out (the result is often delivered from inside it) would interrupt the thread the callers run on.
   */
  void succeed(Token token) {
    result.onSuccess(token);
  }

  /** Hands {@code error} to the waiting callers; the work is left alone, as for {@link #succeed}. */
  void fail(Throwable error) {
    result.onError(error);
  }

  /**
   * A waiting caller. A caller's observer that throws (it breaks RxJava's rules, but apps do it) must not stop the
   * result from reaching the others: its throw goes to {@link RxJavaPlugins#onError} instead.
   */
  private static final class Guarded implements SingleObserver<Token> {
    private final SingleObserver<? super Token> downstream;

    Guarded(SingleObserver<? super Token> downstream) {
      this.downstream = downstream;
    }

    @Override
    public void onSubscribe(Disposable d) {
      downstream.onSubscribe(d);
    }

    @Override
    public void onSuccess(Token token) {
      try {
        downstream.onSuccess(token);
      } catch (Throwable e) {
        RxJavaPlugins.onError(e);
      }
    }

    @Override
    public void onError(Throwable error) {
      try {
        downstream.onError(error);
      } catch (Throwable e) {
        RxJavaPlugins.onError(e);
      }
    }
  }
}
