/**
 * Retrying a write the store turned away for back-pressure, as a shipper does after a 429: the
 * benchmarks that write as fast as they can meet it whenever flushes fall behind.
 */

/**
 * `attempt()`'s result, attempted again 20 ms after each `StoreBusyError`. Tested by name, so that
 * a store built from another tree (`logingest-ab.ts`), whose error class is not this one's, counts.
 *
 * @example
 * await whenAccepted(() => store.write(batch));
 */
export async function whenAccepted<T>(attempt: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      if ((err as Error).name !== 'StoreBusyError') throw err;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
