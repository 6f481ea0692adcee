/**
 * @module
 * Periodic fetching for pages that show live server state. A failed refresh keeps the last good
 * data next to the error, because an operator looking at a struggling server still wants to see
 * what it last reported.
 */
import { useEffect, useState } from 'react';

/** What a poll has produced so far. */
export interface PollState<T> {
  /** The most recent successful result; undefined until the first success. */
  data: T | undefined;
  /** When `data` arrived, in epoch milliseconds of the browser's clock. */
  receivedAt: number | undefined;
  /** Why the most recent attempt failed; cleared by the next success. */
  error: Error | undefined;
}

/**
 * Calls `load` now and then `intervalMs` after each attempt settles, until the caller unmounts.
 *
 * Attempts never overlap: a slow server stretches the period instead of piling up requests.
 * On unmount (or when `load` or `intervalMs` change) the signal passed to `load` is aborted and
 * no further attempt is scheduled. `load` must keep its identity across renders (define it at
 * module level or memoise it), otherwise every render restarts the poll.
 *
 * @example
 * const loadFlags = (signal: AbortSignal) => apiGet<Flags>('/status/flags', signal);
 * const flags = usePoll(loadFlags, 5000);
 */
export function usePoll<T>(
  load: (signal: AbortSignal) => Promise<T>,
  intervalMs: number,
): PollState<T> {
  const [state, setState] = useState<PollState<T>>({
    data: undefined,
    receivedAt: undefined,
    error: undefined,
  });

  useEffect(() => {
    const controller = new AbortController();
    let timer: number | undefined;
    const attempt = async (): Promise<void> => {
      try {
        const data = await load(controller.signal);
        setState({ data, receivedAt: Date.now(), error: undefined });
      } catch (err) {
        if (controller.signal.aborted) return;
        const error = err instanceof Error ? err : new Error(String(err));
        setState((prev) => ({ ...prev, error }));
      }
      if (!controller.signal.aborted) timer = window.setTimeout(attempt, intervalMs);
    };
    void attempt();
    return () => {
      controller.abort();
      window.clearTimeout(timer);
    };
  }, [load, intervalMs]);

  return state;
}
