/**
 * @module
 * Panels over the log store: a logs panel (the newest lines matching a KQL query, with time and
 * message, expandable to the whole document) and a log volume panel (a date histogram of the
 * matching lines, bars split by a field's top values), both through the native logs API.
 */
import { useEffect, useState } from 'react';
import { ApiError } from '../../../api/client';
import { formatTimestamp } from '../../../lib/formatTimestamp';
import { seriesColor } from '../../../components/charts/TimeSeriesChart';
import { logHistogram, searchLogs, type HistogramBucket, type LogHit } from '../api';

type Loaded<T> =
  | { status: 'loading'; data?: T }
  | { status: 'done'; data: T }
  | { status: 'error'; message: string };

function useLoad<T>(
  key: string,
  tick: number,
  load: (signal: AbortSignal) => Promise<T>,
): Loaded<T> {
  const [state, setState] = useState<Loaded<T>>({ status: 'loading' });
  useEffect(() => {
    const controller = new AbortController();
    setState((s) => ({ status: 'loading', data: s.status === 'done' ? s.data : undefined }));
    load(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ status: 'done', data });
      },
      (err: unknown) => {
        if (controller.signal.aborted) return;
        setState({ status: 'error', message: err instanceof ApiError ? err.detail : String(err) });
      },
    );
    return () => controller.abort();
    // `key` stands for every input of `load`.
  }, [key, tick]);
  return state;
}

function messageOf(hit: LogHit): string {
  const s = hit.source;
  const m = s.message ?? s.msg ?? s.log ?? s.MESSAGE;
  return typeof m === 'string' ? m : JSON.stringify(s);
}

function LogLine({ hit }: { hit: LogHit }) {
  const [open, setOpen] = useState(false);
  const level = hit.source.level;
  return (
    <li className="log-line" data-testid="log-line">
      <button
        type="button"
        className="log-line-head"
        onClick={() => setOpen(!open)}
        aria-expanded={open}
      >
        <span className="log-time">{formatTimestamp(Date.parse(hit['@timestamp']))}</span>
        {typeof level === 'string' && (
          <span className={`log-level log-level-${level.toLowerCase()}`}>{level}</span>
        )}
        <span className="log-message">{messageOf(hit)}</span>
      </button>
      {open && <pre className="log-doc">{JSON.stringify(hit.source, null, 2)}</pre>}
    </li>
  );
}

export interface LogsQuery {
  q: string;
  index: string;
  startMs: number;
  endMs: number;
}

export function LogsPanel({
  query,
  limit,
  tick,
}: {
  query: LogsQuery;
  limit: number;
  tick: number;
}) {
  const state = useLoad(JSON.stringify([query, limit]), tick, (signal) =>
    searchLogs(
      { q: query.q, index: query.index, start: query.startMs, end: query.endMs, limit },
      signal,
    ),
  );
  if (state.status === 'error')
    return (
      <p className="panel-error" role="alert">
        {state.message}
      </p>
    );
  if (state.data === undefined) return <p className="muted panel-empty">Loading…</p>;
  const { hits, total } = state.data;
  if (hits.length === 0) return <p className="muted panel-empty">No log lines match</p>;
  return (
    <div className="logs-panel">
      <p className="muted logs-total" data-testid="logs-total">
        {total.relation === 'gte' ? '≥ ' : ''}
        {total.value} lines{total.value > hits.length ? `, newest ${hits.length} shown` : ''}
      </p>
      <ul className="log-lines">
        {hits.map((h) => (
          <LogLine key={`${h.index}/${h.id}`} hit={h} />
        ))}
      </ul>
    </div>
  );
}

/** Bars per bucket: one segment per split value (the top values overall), the rest as "other". */
function stacks(buckets: readonly HistogramBucket[]) {
  const totals = new Map<string, number>();
  for (const b of buckets)
    for (const s of b.split?.buckets ?? [])
      totals.set(s.key, (totals.get(s.key) ?? 0) + s.doc_count);
  const keys = [...totals.entries()].sort((a, b) => b[1] - a[1]).map((e) => e[0]);
  return { keys, hasSplit: buckets.some((b) => b.split !== undefined) };
}

export function LogVolumePanel({
  query,
  splitBy,
  tick,
  height,
}: {
  query: LogsQuery;
  splitBy: string | undefined;
  tick: number;
  height: number;
}) {
  const state = useLoad(JSON.stringify([query, splitBy]), tick, (signal) =>
    logHistogram(
      { q: query.q, index: query.index, start: query.startMs, end: query.endMs, splitBy },
      signal,
    ),
  );
  if (state.status === 'error')
    return (
      <p className="panel-error" role="alert">
        {state.message}
      </p>
    );
  if (state.data === undefined) return <p className="muted panel-empty">Loading…</p>;
  const buckets = state.data.aggregations.volume.buckets;
  const total = buckets.reduce((a, b) => a + b.doc_count, 0);
  const { keys, hasSplit } = stacks(buckets);
  const max = Math.max(1, ...buckets.map((b) => b.doc_count));
  const w = 1000;
  const h = Math.max(60, height - 40);
  const bw = buckets.length === 0 ? 0 : w / buckets.length;
  return (
    <div
      className="logvolume"
      data-testid="log-volume"
      data-total={total}
      data-buckets={buckets.length}
    >
      <svg
        viewBox={`0 0 ${w} ${h}`}
        preserveAspectRatio="none"
        className="logvolume-svg"
        role="img"
        aria-label={`${total} log lines`}
      >
        {buckets.map((b, i) => {
          let y = h;
          const parts = hasSplit
            ? [
                ...keys.map((k, ki) => ({
                  n: b.split?.buckets.find((s) => s.key === k)?.doc_count ?? 0,
                  color: seriesColor(ki),
                  key: k,
                })),
                {
                  n: b.doc_count - (b.split?.buckets.reduce((a, s) => a + s.doc_count, 0) ?? 0),
                  color: '#9ca3af',
                  key: 'other',
                },
              ]
            : [{ n: b.doc_count, color: seriesColor(0), key: 'count' }];
          return parts.map((p) => {
            if (p.n <= 0) return null;
            const ph = (p.n / max) * (h - 4);
            y -= ph;
            return (
              <rect
                key={`${i}-${p.key}`}
                x={i * bw + bw * 0.1}
                y={y}
                width={bw * 0.8}
                height={ph}
                fill={p.color}
              >
                <title>{`${formatTimestamp(b.key)} ${p.key}: ${p.n}`}</title>
              </rect>
            );
          });
        })}
      </svg>
      <div className="logvolume-legend">
        <span className="muted">{total} lines</span>
        {keys.map((k, i) => (
          <span key={k} className="legend-item">
            <span className="legend-swatch" style={{ background: seriesColor(i) }} />
            {k}
          </span>
        ))}
      </div>
    </div>
  );
}
