package dev.codepilot.sandbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Lets as many control blocks compute at once as the machine has cores, the rest waiting their
 * turn in arrival order, so that a burst of blocks from many runtimes finishes one after another
 * instead of all late together, and the threads that carry model calls (the HTTP client, the
 * virtual threads of the loops) are not crowded out by a hundred interpreter threads.
 *
 * <p>Admission is a short lease, never a lock: a block that holds its place longer than the
 * lease (a long computation, a tool that waits for a process or a person) loses it to the next
 * waiter at that waiter's next look and carries on outside the gate; and a block never waits
 * longer than the longest wait, after which it runs outside the gate. So a runaway block, a
 * blocking tool or a block that starts another runtime's block cannot hold others up for more
 * than a lease.
 */
final class BlockGate {

  /** The gate of this JVM: one place per core, a 20 ms lease, at most 250 ms of waiting. */
  static final BlockGate SHARED = new BlockGate(Runtime.getRuntime().availableProcessors(),
      Duration.ofMillis(20), Duration.ofMillis(250));

  /** A block's place in the gate; close it when the block is done. */
  interface Admission extends AutoCloseable {

    /** Whether the block got a place (false: it runs outside the gate). */
    boolean admitted();

    @Override
    void close();
  }

  private static final Admission OUTSIDE = new Admission() {
    @Override
    public boolean admitted() {
      return false;
    }

    @Override
    public void close() {
    }
  };

  private final Semaphore places;
  private final long leaseNanos;
  private final long maxWaitNanos;
  private final List<Place> holders = new ArrayList<>();

  BlockGate(int places, Duration lease, Duration maxWait) {
    if (places < 1) {
      throw new IllegalArgumentException("places must be at least 1");
    }
    this.places = new Semaphore(places, true);
    this.leaseNanos = lease.toNanos();
    this.maxWaitNanos = maxWait.toNanos();
  }

  /** Waits for a place, at most the longest wait; revokes leases that ran out meanwhile. */
  Admission enter() {
    long start = System.nanoTime();
    long deadline = start + maxWaitNanos;
    try {
      while (true) {
        long now = System.nanoTime();
        long wait = Math.min(leaseNanos, deadline - now);
        if (wait > 0 && places.tryAcquire(wait, TimeUnit.NANOSECONDS)) {
          Place place = new Place(System.nanoTime());
          synchronized (holders) {
            holders.add(place);
          }
          return place;
        }
        if (System.nanoTime() - deadline >= 0) {
          return OUTSIDE;
        }
        revokeExpired();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return OUTSIDE;
    }
  }

  /** Blocks waiting now (for tests). */
  int waiting() {
    return places.getQueueLength();
  }

  /** Places free now (for tests). */
  int available() {
    return places.availablePermits();
  }

  private void revokeExpired() {
    long now = System.nanoTime();
    List<Place> expired = new ArrayList<>();
    synchronized (holders) {
      for (Place place : holders) {
        if (now - place.since >= leaseNanos) {
          expired.add(place);
        }
      }
    }
    for (Place place : expired) {
      place.close();
    }
  }

  private final class Place implements Admission {

    private final long since;
    private final AtomicBoolean held = new AtomicBoolean(true);

    Place(long since) {
      this.since = since;
    }

    @Override
    public boolean admitted() {
      return true;
    }

    /** Gives the place back, once, whether the block finished or its lease was revoked. */
    @Override
    public void close() {
      if (held.compareAndSet(true, false)) {
        synchronized (holders) {
          holders.remove(this);
        }
        places.release();
      }
    }
  }
}
