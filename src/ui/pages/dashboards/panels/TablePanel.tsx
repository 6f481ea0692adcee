/**
 * @module
 * A table panel: one row per series with a column per label and the latest value, sortable by
 * clicking a header.
 */
import { useState } from 'react';
import type { PanelSeries } from '../panel-data';
import type { PanelOptions } from '../types';
import { formatUnit } from '../units';

export function TablePanel({
  series,
  options,
}: {
  series: readonly PanelSeries[];
  options: PanelOptions;
}) {
  const [sort, setSort] = useState<{ col: string; desc: boolean } | null>(null);
  if (series.length === 0) return <p className="muted panel-empty">No data</p>;
  const labels = [...new Set(series.flatMap((s) => Object.keys(s.metric)))].sort();
  const rows = series.map((s) => ({
    metric: s.metric,
    value: s.values[s.values.length - 1] ?? null,
  }));
  if (sort !== null) {
    rows.sort((a, b) => {
      const c =
        sort.col === 'Value'
          ? (a.value ?? -Infinity) - (b.value ?? -Infinity)
          : (a.metric[sort.col] ?? '').localeCompare(b.metric[sort.col] ?? '');
      return sort.desc ? -c : c;
    });
  }
  const header = (col: string) => (
    <th key={col}>
      <button
        type="button"
        className="link-button"
        onClick={() => setSort((s) => ({ col, desc: s?.col === col ? !s.desc : false }))}
      >
        {col}
        {sort?.col === col ? (sort.desc ? ' ▾' : ' ▴') : ''}
      </button>
    </th>
  );
  return (
    <div className="panel-table-wrap">
      <table className="panel-table" data-testid="panel-table">
        <thead>
          <tr>
            {labels.map(header)}
            {header('Value')}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i} data-testid="panel-table-row">
              {labels.map((l) => (
                <td key={l}>{r.metric[l] ?? ''}</td>
              ))}
              <td className="num">{formatUnit(r.value, options.unit, options.decimals)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
