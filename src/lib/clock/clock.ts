/**
 * @module
 * Time as a dependency: components that wait (group_wait, repeat intervals, retries, expiry)
 * take a {@link Clock} so that tests drive them with a {@link ManualClock} instead of sleeping.
 */

/** A pending callback; cancelling one that already ran does nothing. */
export interface Timer {
  cancel(): void;
}

export interface Clock {
  /** ms since the epoch. */
  now(): number;
  /** Calls `fn` once, `ms` from now (0 or less: on a later turn of the event loop). */
  setTimer(ms: number, fn: () => void): Timer;
}

/** The process's real clock; its timers do not keep the process alive. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(ms, fn) {
    const t = setTimeout(fn, Math.max(0, ms));
    t.unref();
    return { cancel: () => clearTimeout(t) };
  },
};

interface Pending {
  at: number;
  seq: number;
  fn: () => void;
}

/**
 * A clock that moves only when told to. Timers due by the new time run in time order, each
 * followed by a pause for the promise callbacks and I/O it started to settle.
 *
 * @example
 * const clock = new ManualClock(Date.parse('2024-01-01T00:00:00Z'));
 * clock.setTimer(30_000, flush);
 * await clock.advance(30_000); // flush has run
 */
export class ManualClock implements Clock {
  #now: number;
  #seq = 0;
  #pending: Pending[] = [];

  constructor(start: number) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimer(ms: number, fn: () => void): Timer {
    const p: Pending = { at: this.#now + Math.max(0, ms), seq: this.#seq++, fn };
    this.#pending.push(p);
    return { cancel: () => (this.#pending = this.#pending.filter((x) => x !== p)) };
  }

  /** Moves time forward by `ms`, running the timers that come due on the way. */
  async advance(ms: number): Promise<void> {
    const target = this.#now + ms;
    await settle();
    for (;;) {
      const next = this.#pending
        .filter((p) => p.at <= target)
        .sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (next === undefined) break;
      this.#pending = this.#pending.filter((p) => p !== next);
      this.#now = next.at;
      next.fn();
      await settle();
    }
    this.#now = target;
  }
}

/** Lets promise chains and quick I/O started by a timer run before the next one fires. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}
