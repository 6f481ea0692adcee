/**
 * @module
 * A list loaded on mount and again after each change the page makes: users and tokens change
 * only through this page (or the CLI), so polling them would only cost requests.
 */
import { useCallback, useEffect, useState } from 'react';
import type { PollState } from '../../state/usePoll';

/**
 * @param load must keep its identity across renders (define it at module level)
 * @example
 * const [users, reloadUsers] = useList(loadUsers);
 */
export function useList<T>(load: (signal: AbortSignal) => Promise<T>): [PollState<T>, () => void] {
  const [state, setState] = useState<PollState<T>>({
    data: undefined,
    receivedAt: undefined,
    error: undefined,
  });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    const controller = new AbortController();
    load(controller.signal).then(
      (data) => setState({ data, receivedAt: Date.now(), error: undefined }),
      (err: unknown) => {
        if (controller.signal.aborted) return;
        const error = err instanceof Error ? err : new Error(String(err));
        setState((prev) => ({ ...prev, error }));
      },
    );
    return () => controller.abort();
  }, [load, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return [state, reload];
}
