/**
 * @module
 * The Targets page (`/targets`): every scrape target grouped by pool with its health, last
 * scrape, duration, error and labels; or (`?view=sd`) what service discovery found and what
 * relabeling kept. URL parameters: `view` (`targets` | `sd`), `health` (comma-separated `up`,
 * `down`, `unknown`), `search` (free text over labels, URL and error).
 */
import { useState } from 'react';
import { apiGet } from '../../api/client';
import type { TargetsData } from '../../api/responseTypes/targets';
import { ErrorBanner } from '../../components/ErrorBanner';
import { setSearchParams, useSearch } from '../../state/url-state';
import { usePoll } from '../../state/usePoll';
import { ServiceDiscovery } from './ServiceDiscovery';
import { groupTargets, HEALTHS, parseHealthFilter, type Health } from './target-filter';
import { TargetPoolTable } from './TargetPoolTable';
import '../../components/controls.css';
import './targets.css';

/** Scrapes run every few seconds to a minute; a 5 s refresh shows each new result soon. */
const REFRESH_MS = 5000;

const loadTargets = (signal: AbortSignal) => apiGet<TargetsData>('/targets', signal);

/**
 * @example
 * <TargetsPage />
 */
export function TargetsPage() {
  const params = new URLSearchParams(useSearch());
  const view = params.get('view') === 'sd' ? 'sd' : 'targets';
  const health = parseHealthFilter(params.get('health'));
  const search = params.get('search') ?? '';
  const targets = usePoll(loadTargets, REFRESH_MS);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());

  const toggleHealth = (h: Health) => {
    const next = new Set(health);
    if (next.has(h)) next.delete(h);
    else next.add(h);
    setSearchParams({ health: HEALTHS.filter((x) => next.has(x)).join(',') });
  };
  const data = targets.data;
  const pools = data === undefined ? [] : groupTargets(data.activeTargets, health, search);

  return (
    <>
      <div className="page-head">
        <h1>Targets</h1>
        <p className="muted">Refreshes every {REFRESH_MS / 1000} s</p>
      </div>
      <ErrorBanner errors={[targets.error]} />
      <div className="toolbar">
        <div className="control-joined" role="group" aria-label="View">
          <button
            type="button"
            className="control-button"
            aria-pressed={view === 'targets'}
            onClick={() => setSearchParams({ view: undefined }, { push: true })}
          >
            Scrape targets
          </button>
          <button
            type="button"
            className="control-button"
            aria-pressed={view === 'sd'}
            data-testid="sd-view"
            onClick={() => setSearchParams({ view: 'sd' }, { push: true })}
          >
            Service discovery
          </button>
        </div>
        {view === 'targets' && (
          <>
            <div className="control-joined" role="group" aria-label="Health filter">
              {HEALTHS.map((h) => (
                <button
                  key={h}
                  type="button"
                  className="control-button"
                  aria-pressed={health.has(h)}
                  data-testid={`health-${h}`}
                  onClick={() => toggleHealth(h)}
                >
                  {h[0]!.toUpperCase() + h.slice(1)}
                </button>
              ))}
            </div>
            <input
              className="control-input"
              type="search"
              aria-label="Filter by label, endpoint or error"
              placeholder="Filter by label, endpoint or error"
              data-testid="target-search"
              defaultValue={search}
              onChange={(e) => setSearchParams({ search: e.target.value })}
              style={{ minWidth: '16rem' }}
            />
            <span className="toolbar-spacer" />
            <button
              type="button"
              className="control-button"
              onClick={() =>
                setCollapsed(collapsed.size > 0 ? new Set() : new Set(pools.map((p) => p.pool)))
              }
            >
              {collapsed.size > 0 ? 'Expand all' : 'Collapse all'}
            </button>
          </>
        )}
      </div>
      {data === undefined ? (
        <p className="muted" aria-busy={!targets.error}>
          {targets.error ? 'Not available: see the error above.' : 'Loading…'}
        </p>
      ) : view === 'sd' ? (
        <ServiceDiscovery data={data} />
      ) : data.activeTargets.length === 0 ? (
        <div className="empty-state" data-testid="no-targets">
          <strong>No scrape targets</strong>
          Add jobs under <code>scrape_configs</code> in the configuration, or enable the built-in
          jobs.
        </div>
      ) : pools.length === 0 ? (
        <div className="empty-state" data-testid="no-matching-targets">
          <strong>No target matches the filter</strong>
          {data.activeTargets.length} targets in total.
        </div>
      ) : (
        pools.map((pool) => (
          <TargetPoolTable
            key={pool.pool}
            view={pool}
            expanded={!collapsed.has(pool.pool)}
            onToggle={() => {
              const next = new Set(collapsed);
              if (next.has(pool.pool)) next.delete(pool.pool);
              else next.add(pool.pool);
              setCollapsed(next);
            }}
          />
        ))
      )}
    </>
  );
}
