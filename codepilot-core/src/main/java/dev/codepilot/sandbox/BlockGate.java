package dev.codepilot.sandbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Lets as many control blocks compute at once as the machine has cores, the rest waiting their turn
 * in arrival order, so that a burst of blocks from many runtimes finishes one after another instead
 * of all late together, and the threads that carry model calls (the HTTP client, the virtual
 * threads of the loops) are not crowded out by a hundred interpreter threads.
 *
 * <p>Admission is a short lease, never a lock: while blocks wait, a keeper thread takes the place
 * of any block that has held it longer than the lease (a long computation, a tool that waits for a
 * process or a person), which then carries on outside the gate; and a block never waits longer than
 * the longest wait, after which it runs outside the gate. So a runaway block, a blocking tool or a
 * block that starts another runtime's block cannot hold others up for more than a lease. The keeper
 * sleeps whenever nobody waits.
 */
final class BlockGate {

  /** The gate of this JVM: one place per core, a 20 ms lease, at most 250 ms of waiting. */
  static final BlockGate SHARED =
      new BlockGate(
          Runtime.getRuntime().availableProcessors(),
          Duration.ofMillis(20),
          Duration.ofMillis(250));

  /** A block's place in the gate; close it when the block is done. */
  interface Admission extends AutoCloseable {

    /** Whether the block got a place (false: it runs outside the gate). */
    boolean admitted();

    @Override
    void close();
  }

  private static final Admission OUTSIDE =
      new Admission() {
        @Override
        public boolean admitted() {
          return false;
        }

        @Override
        public void close() {}
      };

  private final Semaphore places;
  private final long leaseNanos;
  private final long maxWaitNanos;
  private final List<Place> holders = new ArrayList<>();
  private volatile Thread keeper;

  BlockGate(int places, Duration lease, Duration maxWait) {
    if (places < 1) {
      throw new IllegalArgumentException("places must be at least 1");
    }
    this.places = new Semaphore(places, true);
    this.leaseNanos = lease.toNanos();
    this.maxWaitNanos = maxWait.toNanos();
  }

  /** Waits for a place in arrival order, at most the longest wait. */
  Admission enter() {
    try {
      // A zero wait still queues behind earlier waiters (tryAcquire() would barge).
      if (!places.tryAcquire(0, TimeUnit.NANOSECONDS)) {
        wakeKeeper();
        if (!places.tryAcquire(maxWaitNanos, TimeUnit.NANOSECONDS)) {
          return OUTSIDE;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return OUTSIDE;
    }
    Place place = new Place(System.nanoTime());
    synchronized (holders) {
      holders.add(place);
    }
    return place;
  }

  private void wakeKeeper() {
    Thread current = keeper;
    if (current == null) {
      synchronized (this) {
        current = keeper;
        if (current == null) {
          current = Thread.ofPlatform().daemon().name("codepilot-block-gate").unstarted(this::keep);
          keeper = current;
          current.start();
        }
      }
    }
    LockSupport.unpark(current);
  }

  /** The keeper: while blocks wait, takes back places held past their lease. */
  private void keep() {
    long tick = Math.max(1, leaseNanos / 4);
    int quietTicks = 0;
    while (true) {
      if (places.hasQueuedThreads()) {
        quietTicks = 0;
        revokeExpired();
      } else if (++quietTicks > 4) {
        // Nobody waited for a whole lease: sleep until a waiter wakes us. A waiter wakes us
        // just before it queues, so each wake-up is followed by a lease of looking.
        LockSupport.park(this);
        quietTicks = 0;
        continue;
      }
      LockSupport.parkNanos(this, tick);
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
