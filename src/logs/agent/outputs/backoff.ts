/**
 * @module
 * Waiting between retries: exponential backoff with full jitter (a random wait between 0 and
 * the current cap), so that agents on many nodes that lost the same server do not come back
 * in step and knock it over again.
 */

/** Retry settings of an output. */
export interface RetryOptions {
  /** Attempts after the first before a batch is given up on; 0 retries forever. */
  maxRetries: number;
  minBackoffMs: number;
  maxBackoffMs: number;
}

/**
 * The wait before retry number `attempt` (1 for the first retry).
 *
 * @example
 * backoffMs(3, { maxRetries: 0, minBackoffMs: 100, maxBackoffMs: 30_000 }); // 0–400 ms
 */
export function backoffMs(
  attempt: number,
  o: RetryOptions,
  random: () => number = Math.random,
): number {
  const cap = Math.min(o.maxBackoffMs, o.minBackoffMs * 2 ** Math.min(attempt - 1, 30));
  return Math.max(o.minBackoffMs / 2, Math.floor(random() * cap));
}

/**
 * Resolves after `ms`, or rejects with the signal's reason when it aborts first.
 *
 * @example
 * await sleep(backoffMs(attempt, retry), signal);
 */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
