/**
 * @module
 * Draws one panel's content for its type: PromQL panels through {@link usePanelData}, logs
 * panels through the logs API, with the variables substituted and the dashboard's window.
 */
import { useColorScheme } from '../../state/useColorScheme';
import { BarGaugePanel, GaugePanel, StatPanel } from './panels/StatPanels';
import { LogsPanel, LogVolumePanel } from './panels/LogsPanels';
import { TablePanel } from './panels/TablePanel';
import { TimeSeriesPanel } from './panels/TimeSeriesPanel';
import type { Panel } from './types';
import { usePanelData, type QueryWindow } from './usePanelData';
import { interpolate, type BuiltinValues, type VariableValue } from './variables';

export interface PanelContext {
  window: QueryWindow;
  variables: ReadonlyMap<string, VariableValue>;
  builtins: BuiltinValues;
  tick: number;
  /** Makes `[fromMs, toMs]` the dashboard's time range (a span dragged across a graph). */
  zoom: (fromMs: number, toMs: number) => void;
}

function PromPanelBody({
  panel,
  ctx,
  height,
}: {
  panel: Panel;
  ctx: PanelContext;
  height: number;
}) {
  const theme = useColorScheme();
  const exprs = panel.targets.map((t) => interpolate(t.expr, ctx.variables, ctx.builtins));
  const data = usePanelData(panel, exprs, ctx.window, ctx.tick);
  if (data.status === 'error') {
    return (
      <p className="panel-error" role="alert" data-testid="panel-error">
        {data.message}
      </p>
    );
  }
  const series = data.series;
  if (series === undefined) return <p className="muted panel-empty">Loading…</p>;
  const o = panel.options;
  switch (panel.type) {
    case 'timeseries': {
      if (series.length === 0) return <p className="muted panel-empty">No data</p>;
      const step = Math.max(1, Math.round(ctx.window.stepMs / 1000));
      return (
        <TimeSeriesPanel
          series={series}
          start={Math.ceil(ctx.window.startMs / 1000)}
          end={Math.floor(ctx.window.endMs / 1000)}
          step={step}
          stacked={o.stacked === true}
          // Room for uPlot's legend below the plot.
          height={Math.max(80, height - 24 - Math.min(4, series.length) * 18)}
          theme={theme}
          onZoom={ctx.zoom}
        />
      );
    }
    case 'stat':
      return <StatPanel series={series} options={o} />;
    case 'gauge':
      return <GaugePanel series={series} options={o} />;
    case 'bargauge':
      return <BarGaugePanel series={series} options={o} />;
    default:
      return <TablePanel series={series} options={o} />;
  }
}

/**
 * @example
 * <PanelBody panel={panel} ctx={ctx} height={240} />
 */
export function PanelBody({
  panel,
  ctx,
  height,
}: {
  panel: Panel;
  ctx: PanelContext;
  height: number;
}) {
  if (panel.type === 'logs' || panel.type === 'logvolume') {
    const l = panel.logs ?? { query: '', index: '' };
    const query = {
      q: interpolate(l.query, ctx.variables, ctx.builtins, 'kql'),
      index: interpolate(l.index, ctx.variables, ctx.builtins, 'kql'),
      startMs: ctx.window.startMs,
      endMs: ctx.window.endMs,
    };
    return panel.type === 'logs' ? (
      <LogsPanel query={query} limit={l.limit ?? 100} tick={ctx.tick} />
    ) : (
      <LogVolumePanel query={query} splitBy={l.splitBy} tick={ctx.tick} height={height} />
    );
  }
  return <PromPanelBody panel={panel} ctx={ctx} height={height} />;
}
