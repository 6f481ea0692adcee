/**
 * @module
 * One query of the Explore page: the PromQL editor, Graph/Table tabs, time range, step and
 * resolution, display mode, and the result with its series count and timing. The expression is
 * a draft while typed; Enter or Execute commits it to the URL (a history entry) and runs it.
 */
import { useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { TimeRangeControls } from '../../components/TimeRangeControls';
import { locateError } from '../../editor/promql/error-position';
import { PromQLEditor, type PromQLEditorHandle } from '../../editor/promql/PromQLEditor';
import { formatPromDuration, parsePromDuration } from '../../lib/promDuration';

import {
  autoStepMs,
  effectiveStepMs,
  formatEndInput,
  parseEndInput,
  type ExplorePanel,
  type PanelTab,
  type Resolution,
} from './explore-url';
import { GraphView } from './GraphView';
import { MetricsExplorer } from './MetricsExplorer';
import { QueryError } from './QueryError';
import { TableView } from './TableView';
import { useQueryResult } from './useQueryResult';

const TABS: readonly PanelTab[] = ['graph', 'table'];

function resultCount(outcome: ReturnType<typeof useQueryResult>): string {
  if (outcome.status !== 'done') return '';
  const { data } = outcome;
  if (data.resultType === 'scalar' || data.resultType === 'string') return data.resultType;
  return `${data.result.length} series`;
}

/**
 * @param props.onChange a changed panel; `push` when the change should be a history entry
 * @example
 * <QueryPanel panel={p} index={0} onChange={update} onRemove={remove} canRemove theme="light" refreshTick={0} />
 */
export function QueryPanel({
  panel,
  index,
  onChange,
  onRemove,
  canRemove,
  theme,
  refreshTick,
}: {
  panel: ExplorePanel;
  index: number;
  onChange: (panel: ExplorePanel, options?: { push?: boolean }) => void;
  onRemove: () => void;
  canRemove: boolean;
  theme: 'light' | 'dark';
  /** Increases on every auto-refresh tick of the page. */
  refreshTick: number;
}) {
  const [draft, setDraft] = useState(panel.expr);
  const [committedExpr, setCommittedExpr] = useState(panel.expr);
  const [runId, setRunId] = useState(0);
  const [exploring, setExploring] = useState(false);
  const editorRef = useRef<PromQLEditorHandle>(null);
  // Back/forward changed the expression under us: the editor follows the URL.
  if (panel.expr !== committedExpr) {
    setCommittedExpr(panel.expr);
    setDraft(panel.expr);
  }
  // Auto-refresh re-runs only panels that end at "now": a fixed window would not change.
  const outcome = useQueryResult(panel, runId + (panel.endMs === null ? refreshTick : 0));
  const position = useMemo(
    () =>
      outcome.status === 'error' && draft === panel.expr
        ? locateError(panel.expr, outcome.message)
        : undefined,
    [outcome, draft, panel.expr],
  );

  const run = () => {
    if (draft !== panel.expr) onChange({ ...panel, expr: draft }, { push: true });
    else setRunId((n) => n + 1);
  };
  const set = (changes: Partial<ExplorePanel>) => onChange({ ...panel, ...changes });
  const onTabKey = (event: KeyboardEvent<HTMLButtonElement>) => {
    if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
    const next = TABS[(TABS.indexOf(panel.tab) + 1) % TABS.length]!;
    set({ tab: next });
    const list = event.currentTarget.parentElement;
    requestAnimationFrame(() =>
      list?.querySelector<HTMLButtonElement>(`[data-tab="${next}"]`)?.focus(),
    );
  };
  const tabId = (tab: PanelTab) => `panel-${index}-tab-${tab}`;

  return (
    <section
      className="panel query-panel"
      aria-label={`Query ${index + 1}`}
      data-testid="query-panel"
    >
      <div className="query-row">
        <PromQLEditor
          value={draft}
          onChange={setDraft}
          onSubmit={run}
          serverError={position}
          label={`Expression ${index + 1}`}
          autoFocus={index === 0 && panel.expr === ''}
          handleRef={editorRef}
        />
        <button
          type="button"
          className="control-button"
          title="Metrics explorer: browse metric names"
          aria-label="Open the metrics explorer"
          data-testid="open-metrics-explorer"
          onClick={() => setExploring(true)}
        >
          Metrics…
        </button>
        <button
          type="button"
          className="control-button primary"
          onClick={run}
          data-testid="execute"
        >
          Execute
        </button>
        {canRemove && (
          <button
            type="button"
            className="control-button"
            aria-label={`Remove query ${index + 1}`}
            title="Remove this query"
            onClick={onRemove}
          >
            ✕
          </button>
        )}
      </div>

      {exploring && (
        <MetricsExplorer
          onChoose={(name) => editorRef.current?.insert(name)}
          onClose={() => setExploring(false)}
        />
      )}

      <div className="toolbar query-toolbar">
        <div role="tablist" aria-label="View" className="control-joined">
          {TABS.map((tab) => (
            <button
              key={tab}
              type="button"
              role="tab"
              id={tabId(tab)}
              data-tab={tab}
              className="control-button"
              aria-selected={panel.tab === tab}
              tabIndex={panel.tab === tab ? 0 : -1}
              onClick={() => set({ tab })}
              onKeyDown={onTabKey}
            >
              {tab === 'graph' ? 'Graph' : 'Table'}
            </button>
          ))}
        </div>
        <TimeRangeControls
          rangeMs={panel.rangeMs}
          endMs={panel.endMs}
          showRange={panel.tab === 'graph'}
          onChange={(rangeMs, endMs) => set({ rangeMs, endMs })}
          parseEnd={parseEndInput}
          formatEnd={formatEndInput}
        />
        {panel.tab === 'graph' && (
          <>
            <label className="control-label">
              Step
              <input
                className="control-input"
                style={{ width: '5.5rem' }}
                data-testid="step-input"
                placeholder={formatPromDuration(autoStepMs(panel.rangeMs, panel.resolution))}
                defaultValue={panel.stepMs === null ? '' : formatPromDuration(panel.stepMs)}
                key={panel.stepMs ?? 'auto'}
                onBlur={(e) => {
                  const ms = parsePromDuration(e.target.value);
                  if (e.target.value.trim() === '') set({ stepMs: null });
                  else if (ms !== undefined) set({ stepMs: ms });
                }}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') e.currentTarget.blur();
                }}
              />
            </label>
            <label className="control-label">
              Resolution
              <select
                className="control-select"
                value={panel.resolution}
                disabled={panel.stepMs !== null}
                title={panel.stepMs !== null ? 'An explicit step overrides the resolution' : ''}
                onChange={(e) => set({ resolution: e.target.value as Resolution })}
              >
                <option value="low">Low (~60 points)</option>
                <option value="auto">Auto (~250 points)</option>
                <option value="high">High (~1000 points)</option>
              </select>
            </label>
            <div className="control-joined" role="group" aria-label="Display">
              {(['lines', 'stacked'] as const).map((mode) => (
                <button
                  key={mode}
                  type="button"
                  className="control-button"
                  aria-pressed={panel.mode === mode}
                  onClick={() => set({ mode })}
                >
                  {mode === 'lines' ? 'Lines' : 'Stacked'}
                </button>
              ))}
            </div>
          </>
        )}
        <span className="toolbar-spacer" />
        <span className="muted query-stats" data-testid="query-stats" aria-live="polite">
          {(outcome.status === 'loading' || (outcome.status === 'done' && outcome.refreshing)) &&
            'Running… '}
          {outcome.status === 'done' &&
            `${resultCount(outcome)} · ${outcome.tookMs} ms` +
              (panel.tab === 'graph'
                ? ` · step ${formatPromDuration(effectiveStepMs(panel))}`
                : '')}
        </span>
      </div>

      <div role="tabpanel" aria-labelledby={tabId(panel.tab)} className="query-result">
        {outcome.status === 'idle' && (
          <div className="empty-state">
            <strong>No query yet</strong>
            Type a PromQL expression above and press Enter. Completion (Ctrl+Space) offers metric
            names, labels and functions.
          </div>
        )}
        {outcome.status === 'error' && (
          <QueryError
            message={outcome.message}
            errorType={outcome.errorType}
            expr={panel.expr}
            position={locateError(panel.expr, outcome.message)}
          />
        )}
        {outcome.status === 'done' &&
          (panel.tab === 'graph' ? (
            <GraphView
              data={outcome.data}
              start={outcome.start}
              end={outcome.end}
              step={outcome.step}
              mode={panel.mode}
              theme={theme}
              // A span dragged across the graph becomes the range, as a history entry.
              onZoom={(fromMs, toMs) => {
                // Whole seconds: the range field shows `37s`, not `36s947ms`.
                const endMs = Math.ceil(toMs / 1000) * 1000;
                const rangeMs = Math.max(1000, endMs - Math.floor(fromMs / 1000) * 1000);
                onChange({ ...panel, rangeMs, endMs }, { push: true });
              }}
            />
          ) : (
            <TableView data={outcome.data} />
          ))}
      </div>
    </section>
  );
}
