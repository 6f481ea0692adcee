/**
 * @module
 * The Metrics page (`/graph`, Prometheus' path, so its links and alert `generatorURL`s open here): several PromQL queries,
 * each with its own graph or table, time range and step. All of it lives in the URL (see
 * explore-url.ts), so a view can be bookmarked and shared, and back/forward step through runs.
 */
import { useEffect, useState } from 'react';
import { parsePromDuration } from '../../lib/promDuration';
import { useSearch, setSearch } from '../../state/url-state';
import { useColorScheme } from '../../state/useColorScheme';
import {
  formatExploreSearch,
  newPanel,
  parseExploreSearch,
  type ExplorePanel,
} from './explore-url';
import { QueryPanel } from './QueryPanel';
import '../../components/controls.css';
import '../../editor/promql/editor.css';
import './explore.css';

/** Auto-refresh periods offered ('' = off); any duration works in the URL. */
const REFRESH_CHOICES = ['', '5s', '10s', '30s', '1m', '5m', '15m'];

/**
 * A counter that increases every `periodMs` while the page is visible; a hidden tab does not
 * query in the background.
 */
function useRefreshTick(periodMs: number | undefined): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (periodMs === undefined) return;
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'visible') setTick((n) => n + 1);
    }, periodMs);
    return () => window.clearInterval(timer);
  }, [periodMs]);
  return tick;
}

/**
 * @example
 * <ExplorePage />
 */
export function ExplorePage() {
  const search = useSearch();
  const panels = parseExploreSearch(search);
  const refresh = new URLSearchParams(search).get('refresh') ?? '';
  const refreshMs = parsePromDuration(refresh);
  const theme = useColorScheme();
  const refreshTick = useRefreshTick(refreshMs);
  const save = (
    next: readonly ExplorePanel[],
    options: { push?: boolean } = {},
    refreshTo: string = refresh,
  ) => {
    const base = formatExploreSearch(next);
    setSearch(
      refreshTo === '' ? base : `${base}&refresh=${encodeURIComponent(refreshTo)}`,
      options,
    );
  };

  return (
    <>
      <div className="page-head">
        <h1>Metrics</h1>
        <p className="muted">
          PromQL over this server's metrics. Enter runs a query, Shift+Enter adds a line.
        </p>
        <label className="control-label">
          Auto-refresh
          <select
            className="control-select"
            value={refreshMs === undefined ? '' : refresh}
            data-testid="auto-refresh"
            onChange={(e) => save(panels, {}, e.target.value)}
          >
            {(REFRESH_CHOICES.includes(refresh) || refreshMs === undefined
              ? REFRESH_CHOICES
              : [...REFRESH_CHOICES, refresh]
            ).map((choice) => (
              <option key={choice} value={choice}>
                {choice === '' ? 'Off' : choice}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="query-panels">
        {panels.map((panel, i) => (
          <QueryPanel
            // Index keys: panels have no identity beyond their position in the URL.
            key={i}
            index={i}
            panel={panel}
            theme={theme}
            refreshTick={refreshTick}
            canRemove={panels.length > 1}
            onChange={(changed, options) =>
              save(
                panels.map((p, j) => (j === i ? changed : p)),
                options,
              )
            }
            onRemove={() =>
              save(
                panels.filter((_, j) => j !== i),
                { push: true },
              )
            }
          />
        ))}
      </div>
      <button
        type="button"
        className="control-button"
        data-testid="add-query"
        onClick={() => save([...panels, newPanel()], { push: true })}
      >
        + Add query
      </button>
    </>
  );
}
