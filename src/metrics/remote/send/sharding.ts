/**
 * @module
 * How many shards (concurrent requests) a queue needs, on the principle Prometheus' remote
 * write uses: measure how long sending one sample takes, and run enough shards to send what
 * arrives plus a share of the backlog every second. Changes within ±30 % of the current count
 * are ignored, so the count does not flap around a steady load.
 */

export interface ShardingInput {
  current: number;
  min: number;
  max: number;
  /** Samples read from the WAL per second (a moving average). */
  inRate: number;
  /** Samples sent successfully per second. */
  outRate: number;
  /** Seconds spent in requests per second of wall time, over all shards. */
  sendRate: number;
  /** How far behind the newest sample read the newest sample sent is, in seconds. */
  lagSeconds: number;
}

/** Share of the backlog to send per second on top of the incoming rate. */
const BACKLOG_SHARE = 0.05;
const TOLERANCE = 0.3;

/**
 * @example
 * desiredShards({ current: 1, min: 1, max: 50, inRate: 10_000, outRate: 2000, sendRate: 1, lagSeconds: 0 }); // 5
 */
export function desiredShards(i: ShardingInput): number {
  if (i.outRate <= 0 || i.sendRate <= 0) return i.current;
  const timePerSample = i.sendRate / i.outRate;
  const backlog = i.lagSeconds * i.inRate;
  const desired = timePerSample * (i.inRate + BACKLOG_SHARE * backlog);
  if (desired > i.current * (1 - TOLERANCE) && desired < i.current * (1 + TOLERANCE)) {
    return i.current;
  }
  return Math.min(i.max, Math.max(i.min, Math.ceil(desired)));
}

/** An exponentially weighted moving average of a rate, fed a count per tick. */
export class EwmaRate {
  #rate = 0;
  #count = 0;
  #started = false;

  constructor(
    readonly intervalSeconds: number,
    readonly weight = 0.2,
  ) {}

  add(n: number): void {
    this.#count += n;
  }

  tick(): void {
    const instant = this.#count / this.intervalSeconds;
    this.#count = 0;
    this.#rate = this.#started ? this.#rate + this.weight * (instant - this.#rate) : instant;
    this.#started = true;
  }

  get rate(): number {
    return this.#rate;
  }
}
