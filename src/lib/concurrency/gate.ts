/**
 * @module
 * A counting gate: bounds how many async jobs run at once (queries, say), queueing the rest in
 * arrival order, so a burst cannot make them all slow together or exhaust memory.
 */

/** Admits at most `limit` holders at once; the rest wait in arrival order. */
export class Gate {
  #free: number;
  readonly #waiting: (() => void)[] = [];

  /**
   * @example
   * const gate = new Gate(20);
   * const result = await gate.run(() => engine.instantQuery(q, expr, now));
   */
  constructor(limit: number) {
    this.#free = limit;
  }

  /** Runs `fn` once a place is free, and frees it when `fn` settles. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#free > 0) this.#free--;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    try {
      return await fn();
    } finally {
      const next = this.#waiting.shift();
      if (next !== undefined) next();
      else this.#free++;
    }
  }
}
