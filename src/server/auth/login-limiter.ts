/**
 * @module
 * Slows down password guessing. Failures are counted per user name and per client address;
 * after `maxFailures` of either, each further attempt must wait a delay that doubles with every
 * failure (base, 2·base, 4·base … up to `maxDelay`). A success clears the user's count and the
 * address's. An attempt during the wait is refused without checking the password (429 with
 * Retry-After), so a guesser gains nothing by trying faster. Counters are forgotten once their
 * wait has long passed, which bounds memory under a spray of names or addresses.
 */

export interface LoginLimits {
  maxFailures: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

interface Counter {
  failures: number;
  /** No attempt before this time (ms). */
  until: number;
  last: number;
}

/** Counters kept at most; beyond, the stalest are dropped (each then starts again at zero). */
const MAX_COUNTERS = 100_000;

export class LoginLimiter {
  readonly #limits: LoginLimits;
  readonly #counters = new Map<string, Counter>();

  constructor(limits: LoginLimits) {
    this.#limits = limits;
  }

  /**
   * How long (ms) the caller must wait before this attempt may be checked; 0 when it may.
   *
   * @example
   * const wait = limiter.check('alice', '10.0.0.7');
   * if (wait > 0) reply.code(429).header('retry-after', Math.ceil(wait / 1000));
   */
  check(user: string, address: string, now = Date.now()): number {
    const u = this.#counters.get(`u:${user}`);
    const a = this.#counters.get(`a:${address}`);
    return Math.max(0, (u?.until ?? 0) - now, (a?.until ?? 0) - now);
  }

  /**
   * Checks and, when the attempt may go ahead, counts it as a failure at once; a success then
   * clears the count with {@link succeeded}. Counting before the password check (which takes
   * ~50 ms of scrypt) is what stops a guesser from sending many attempts in parallel, all of
   * which would otherwise pass the check before the first failure is counted.
   *
   * @returns how long (ms) to wait; 0 means the attempt was let through and counted.
   * @example
   * if (limiter.begin(user, ip) > 0) return tooMany();
   * if (await verify()) limiter.succeeded(user, ip);
   */
  begin(user: string, address: string, now = Date.now()): number {
    const wait = this.check(user, address, now);
    if (wait === 0) this.failed(user, address, now);
    return wait;
  }

  failed(user: string, address: string, now = Date.now()): void {
    this.#bump(`u:${user}`, now);
    this.#bump(`a:${address}`, now);
  }

  /**
   * The password check of an attempt {@link begin} let through has failed: a wait it started
   * runs from now, not from when the attempt began, so a slow check (scrypt on a busy machine)
   * does not use up the wait before the client even hears of the failure.
   *
   * @example
   * if (!(await verify())) limiter.rejected(user, ip);
   */
  rejected(user: string, address: string, now = Date.now()): void {
    this.#restart(`u:${user}`, now);
    this.#restart(`a:${address}`, now);
  }

  #restart(k: string, now: number): void {
    const c = this.#counters.get(k);
    if (c === undefined) return;
    const wait = this.#wait(c.failures);
    if (wait > 0) c.until = Math.max(c.until, now + wait);
  }

  /** The wait after `failures` failures; 0 below the limit. */
  #wait(failures: number): number {
    const { maxFailures, baseDelayMs, maxDelayMs } = this.#limits;
    const over = failures - maxFailures;
    return over < 0 ? 0 : Math.min(maxDelayMs, baseDelayMs * 2 ** Math.min(over, 30));
  }

  succeeded(user: string, address: string): void {
    this.#counters.delete(`u:${user}`);
    this.#counters.delete(`a:${address}`);
  }

  #bump(k: string, now: number): void {
    let c = this.#counters.get(k);
    // A counter whose last failure is older than the longest wait starts over.
    if (c !== undefined && now - c.last > this.#limits.maxDelayMs * 2) c = undefined;
    c ??= { failures: 0, until: 0, last: now };
    c.failures++;
    c.last = now;
    const wait = this.#wait(c.failures);
    if (wait > 0) c.until = now + wait;
    this.#counters.delete(k);
    this.#counters.set(k, c);
    if (this.#counters.size > MAX_COUNTERS) {
      // Maps iterate in insertion order and a bump re-inserts, so the first key is the stalest.
      this.#counters.delete(this.#counters.keys().next().value!);
    }
  }
}
