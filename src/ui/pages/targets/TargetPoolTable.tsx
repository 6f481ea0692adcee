/**
 * @module
 * One scrape pool of the Targets page: a row per target with its endpoint, health, labels after
 * relabeling (the labels before relabeling a click away), last scrape, scrape duration and error.
 */
import { useState } from 'react';
import type { ActiveTarget } from '../../api/responseTypes/targets';
import { LabelChips } from '../../components/LabelChips';
import { StateBadge, type Tone } from '../../components/StateBadge';
import { formatDuration } from '../../lib/formatDuration';
import { formatTimestamp } from '../../lib/formatTimestamp';
import { useNow } from '../../state/useNow';
import type { PoolView } from './target-filter';

const HEALTH_TONE: Record<ActiveTarget['health'], Tone> = {
  up: 'ok',
  down: 'bad',
  unknown: 'neutral',
};

function LastScrape({ value }: { value: string }) {
  const now = useNow(1000);
  const ms = Date.parse(value);
  if (Number.isNaN(ms) || ms <= 0) return <span className="muted">never</span>;
  return (
    <time dateTime={value} title={formatTimestamp(ms)}>
      {formatDuration(Math.max(0, now - ms))} ago
    </time>
  );
}

function scrapeDuration(seconds: number): string {
  return seconds < 1 ? `${(seconds * 1000).toFixed(1)} ms` : `${seconds.toFixed(3)} s`;
}

function TargetRow({ target }: { target: ActiveTarget }) {
  const [showDiscovered, setShowDiscovered] = useState(false);
  return (
    <tr data-testid="target-row" data-health={target.health}>
      <td>
        <a href={target.scrapeUrl} className="target-url" target="_blank" rel="noreferrer">
          {target.scrapeUrl}
        </a>
      </td>
      <td>
        <StateBadge tone={HEALTH_TONE[target.health]} data-testid="target-health">
          {target.health.toUpperCase()}
        </StateBadge>
      </td>
      <td>
        <LabelChips labels={target.labels} />
        <button
          type="button"
          className="target-link-button"
          aria-expanded={showDiscovered}
          onClick={() => setShowDiscovered((v) => !v)}
        >
          {showDiscovered ? 'Hide' : 'Show'} labels before relabeling
        </button>
        {showDiscovered && (
          <div className="discovered" data-testid="discovered-labels">
            <LabelChips labels={target.discoveredLabels} />
          </div>
        )}
      </td>
      <td>
        <LastScrape value={target.lastScrape} />
        <div className="muted small">every {target.scrapeInterval}</div>
      </td>
      <td className="num">{scrapeDuration(target.lastScrapeDuration)}</td>
      <td className="error-text" data-testid="target-error">
        {target.lastError}
      </td>
    </tr>
  );
}

/**
 * @param props.view the pool and its (filtered) targets
 * @param props.expanded whether the table shows; the heading toggles it
 * @example
 * <TargetPoolTable view={pool} expanded onToggle={() => …} />
 */
export function TargetPoolTable({
  view,
  expanded,
  onToggle,
}: {
  view: PoolView;
  expanded: boolean;
  onToggle: () => void;
}) {
  const tone: Tone = view.up === view.total ? 'ok' : view.up === 0 ? 'bad' : 'warn';
  const bodyId = `pool-${view.pool.replace(/[^a-zA-Z0-9_-]/g, '_')}`;
  return (
    <section className="panel pool" data-testid="target-pool" data-pool={view.pool}>
      <h2 className="pool-head">
        <button type="button" aria-expanded={expanded} aria-controls={bodyId} onClick={onToggle}>
          <span aria-hidden="true">{expanded ? '▾' : '▸'}</span> {view.pool}
        </button>
        <StateBadge tone={tone}>
          {view.up} / {view.total} up
        </StateBadge>
      </h2>
      {expanded && (
        <div className="table-scroll" id={bodyId}>
          <table className="table">
            <thead>
              <tr>
                <th>Endpoint</th>
                <th>State</th>
                <th>Labels</th>
                <th>Last scrape</th>
                <th className="num">Duration</th>
                <th>Error</th>
              </tr>
            </thead>
            <tbody>
              {view.targets.map((t) => (
                <TargetRow key={t.scrapeUrl + JSON.stringify(t.labels)} target={t} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
