/**
 * @module
 * The Logs page's state hook: reads {@link LogsUrlState} from the URL and writes changes back
 * through the History API, so every view the user reaches has a link, and back/forward step
 * through searches.
 */
import { useCallback, useMemo } from 'react';
import { navigate, useSearch } from '../../state/location';
import { decodeState, encodeState, type LogsUrlState } from './urlState';

/** Path of the Logs page. */
export const LOGS_PATH = '/logs';

/**
 * @returns the state and `update`, which merges a partial state into the URL. `replace` keeps
 *   the history entry, for changes the back button should not step through (opening a
 *   document, adding a column).
 * @example
 * const [state, update] = useLogsState();
 * update({ q: 'level:error' });
 */
export function useLogsState(): [
  LogsUrlState,
  (change: Partial<LogsUrlState>, options?: { replace?: boolean }) => void,
] {
  const search = useSearch();
  const state = useMemo(() => decodeState(search), [search]);
  const update = useCallback(
    (change: Partial<LogsUrlState>, options: { replace?: boolean } = {}) => {
      // Read the URL afresh: several updates may run before React re-renders.
      const next = { ...decodeState(window.location.search), ...change };
      const url = LOGS_PATH + encodeState(next);
      if (url !== window.location.pathname + window.location.search) navigate(url, options);
    },
    [],
  );
  return [state, update];
}
