/**
 * @module
 * Single-value panels: stat (the number, coloured by thresholds), gauge (an arc from min to max)
 * and bar gauge (one horizontal bar per series). Each series is reduced to one number first.
 */
import { reduceSeries, type PanelSeries } from '../panel-data';
import type { PanelOptions } from '../types';
import { formatUnit, thresholdColor } from '../units';

interface Props {
  series: readonly PanelSeries[];
  options: PanelOptions;
}

function values(series: readonly PanelSeries[], options: PanelOptions) {
  return series.map((s) => ({ label: s.label, value: reduceSeries(s.values, options.reduce) }));
}

export function StatPanel({ series, options }: Props) {
  const items = values(series, options);
  if (items.length === 0) return <p className="muted panel-empty">No data</p>;
  return (
    <div className="stat-grid" data-testid="stat-values">
      {items.map((it, i) => (
        <div key={i} className="stat-item" data-testid="stat-value">
          <span
            className="stat-number"
            style={{ color: thresholdColor(it.value, options.thresholds) }}
          >
            {options.textMode === 'name'
              ? it.label
              : formatUnit(it.value, options.unit, options.decimals)}
          </span>
          {items.length > 1 && options.textMode !== 'name' && (
            <span className="stat-label">{it.label}</span>
          )}
        </div>
      ))}
    </div>
  );
}

function fraction(v: number | null, min: number, max: number): number {
  if (v === null || max <= min) return 0;
  return Math.min(1, Math.max(0, (v - min) / (max - min)));
}

export function GaugePanel({ series, options }: Props) {
  const items = values(series, options);
  if (items.length === 0) return <p className="muted panel-empty">No data</p>;
  const min = options.min ?? 0;
  const max =
    options.max ??
    (options.unit === 'percent' ? 100 : Math.max(1, ...items.map((i) => i.value ?? 0)));
  return (
    <div className="stat-grid">
      {items.map((it, i) => {
        const f = fraction(it.value, min, max);
        // A 240° arc: from 150° to 390° (clockwise, SVG angles).
        const arc = (to: number) => {
          const a0 = (150 * Math.PI) / 180;
          const a1 = a0 + to * ((240 * Math.PI) / 180);
          const r = 40;
          const p = (a: number) => `${50 + r * Math.cos(a)} ${50 + r * Math.sin(a)}`;
          return `M ${p(a0)} A ${r} ${r} 0 ${to * 240 > 180 ? 1 : 0} 1 ${p(a1)}`;
        };
        const color = thresholdColor(it.value, options.thresholds);
        return (
          <div key={i} className="gauge" data-testid="gauge">
            <svg
              viewBox="0 0 100 80"
              role="img"
              aria-label={`${it.label}: ${formatUnit(it.value, options.unit, options.decimals)}`}
            >
              <path d={arc(1)} className="gauge-track" />
              {f > 0 && <path d={arc(f)} stroke={color} className="gauge-value" />}
              <text x="50" y="55" textAnchor="middle" className="gauge-text" fill={color}>
                {formatUnit(it.value, options.unit, options.decimals)}
              </text>
            </svg>
            {items.length > 1 && <span className="stat-label">{it.label}</span>}
          </div>
        );
      })}
    </div>
  );
}

export function BarGaugePanel({ series, options }: Props) {
  const items = values(series, options);
  if (items.length === 0) return <p className="muted panel-empty">No data</p>;
  const min = options.min ?? 0;
  const max = options.max ?? Math.max(1, ...items.map((i) => i.value ?? 0));
  return (
    <div className="bargauge">
      {items.map((it, i) => (
        <div key={i} className="bargauge-row" data-testid="bargauge-row">
          <span className="bargauge-label" title={it.label}>
            {it.label}
          </span>
          <span className="bargauge-track">
            <span
              className="bargauge-fill"
              style={{
                width: `${fraction(it.value, min, max) * 100}%`,
                background: thresholdColor(it.value, options.thresholds),
              }}
            />
          </span>
          <span className="bargauge-value">
            {formatUnit(it.value, options.unit, options.decimals)}
          </span>
        </div>
      ))}
    </div>
  );
}
