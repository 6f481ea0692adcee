/**
 * @module
 * Per-token ingest rate limits: a token bucket of bytes per token, holding one second of its
 * rate. A request is let in while the bucket is not in debt and then charged its whole body, so
 * a body larger than a second's worth still gets through on a full bucket — a shipper's large
 * batch is delayed, never refused forever — and the debt it leaves holds the next requests back
 * until the rate has paid it off. One abusive client thus slows only itself, and is told when
 * to come back (`Retry-After`).
 */

export class IngestLimiter {
  readonly #rate: number;
  readonly #now: () => number;
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  /**
   * @param bytesPerSecond > 0.
   * @example
   * const limiter = new IngestLimiter(10 * 1024 * 1024);
   * if (limiter.retryAfterMs(tokenId) > 0) refuse(); else limiter.charge(tokenId, body.length);
   */
  constructor(bytesPerSecond: number, now: () => number = Date.now) {
    this.#rate = bytesPerSecond;
    this.#now = now;
  }

  /** How long `key` must wait before its next request, ms; 0 when it may send now. */
  retryAfterMs(key: string): number {
    const tokens = this.#refill(key).tokens;
    return tokens > 0 ? 0 : Math.max(1, Math.ceil(((1 - tokens) / this.#rate) * 1000));
  }

  /** Takes `bytes` from `key`'s bucket, into debt if need be. */
  charge(key: string, bytes: number): void {
    this.#refill(key).tokens -= bytes;
  }

  #refill(key: string): { tokens: number; at: number } {
    const now = this.#now();
    let b = this.#buckets.get(key);
    if (b === undefined) {
      b = { tokens: this.#rate, at: now };
      this.#buckets.set(key, b);
      return b;
    }
    b.tokens = Math.min(this.#rate, b.tokens + ((now - b.at) / 1000) * this.#rate);
    b.at = now;
    return b;
  }
}
