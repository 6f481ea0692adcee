/**
 * @module
 * Creating or editing a silence: matcher rows (name, operator, value), start and duration or
 * end, creator and comment, a preview of the alerts it would silence, and the Alertmanager's
 * answer. Posting a silence with an `id` replaces that silence, which is how API v2 edits.
 */
import { useState } from 'react';
import { AlertmanagerError, amPost } from '../../api/alertmanager';
import type { GettableAlert, Matcher } from '../../api/responseTypes/alertmanager';
import { formatPromDuration, parsePromDuration } from '../../lib/promDuration';
import { formatEndInput, parseEndInput } from '../metrics/explore-url';
import {
  matcherOf,
  matchesAll,
  operatorOf,
  OPERATORS,
  validateSilence,
  type Operator,
} from './silence-matchers';

/** What the form starts from. */
export interface SilenceFormInit {
  /** Set when editing an existing silence. */
  id?: string;
  matchers: Matcher[];
  startsAtMs: number;
  endsAtMs: number;
  createdBy: string;
  comment: string;
}

const AUTHOR_KEY = 'vigil.silence.createdBy';

/** The creator last used in this browser, so it need not be typed each time. */
export function rememberedAuthor(): string {
  try {
    return window.localStorage.getItem(AUTHOR_KEY) ?? '';
  } catch {
    return '';
  }
}

/**
 * @param props.init the starting values
 * @param props.alerts the Alertmanager's alerts, for the preview
 * @param props.onDone called with the silence id after the Alertmanager accepted it
 * @example
 * <SilenceForm init={init} alerts={am.data} onDone={close} onCancel={close} />
 */
export function SilenceForm({
  init,
  alerts,
  onDone,
  onCancel,
}: {
  init: SilenceFormInit;
  alerts: readonly GettableAlert[];
  onDone: (id: string) => void;
  onCancel: () => void;
}) {
  const [rows, setRows] = useState(() =>
    init.matchers.map((m) => ({ name: m.name, op: operatorOf(m), value: m.value })),
  );
  const [start, setStart] = useState(formatEndInput(init.startsAtMs));
  const [duration, setDuration] = useState(formatPromDuration(init.endsAtMs - init.startsAtMs));
  const [createdBy, setCreatedBy] = useState(init.createdBy);
  const [comment, setComment] = useState(init.comment);
  const [submitted, setSubmitted] = useState(false);
  const [sending, setSending] = useState(false);
  const [serverError, setServerError] = useState<string | undefined>();

  const matchers = rows.map((r) => matcherOf(r.name.trim(), r.op, r.value));
  // The field shows whole seconds; an untouched start keeps its exact instant, so an edit that
  // changes only the comment or end can update the silence in place instead of replacing it.
  const startsAtMs =
    start === formatEndInput(init.startsAtMs) ? init.startsAtMs : (parseEndInput(start) ?? NaN);
  const durationMs = parsePromDuration(duration) ?? NaN;
  const endsAtMs = startsAtMs + durationMs;
  const problems = [
    ...(Number.isNaN(startsAtMs) ? ['the start is not a time (YYYY-MM-DD HH:MM:SS, UTC)'] : []),
    ...(Number.isNaN(durationMs) ? ['the duration is not a duration (e.g. 2h, 1d)'] : []),
    ...validateSilence({ matchers, startsAtMs, endsAtMs, createdBy, comment }),
  ];
  const affected =
    problems.length === 0 ? alerts.filter((a) => matchesAll(matchers, a.labels)) : [];

  const setRow = (i: number, change: Partial<(typeof rows)[number]>) =>
    setRows(rows.map((r, j) => (j === i ? { ...r, ...change } : r)));

  const submit = async () => {
    setSubmitted(true);
    if (problems.length > 0) return;
    setSending(true);
    setServerError(undefined);
    try {
      const answer = await amPost<{ silenceID: string }>('/silences', {
        ...(init.id === undefined ? {} : { id: init.id }),
        matchers,
        startsAt: new Date(startsAtMs).toISOString(),
        endsAt: new Date(endsAtMs).toISOString(),
        createdBy: createdBy.trim(),
        comment: comment.trim(),
      });
      try {
        window.localStorage.setItem(AUTHOR_KEY, createdBy.trim());
      } catch {
        // Storage disabled: nothing to remember.
      }
      onDone(answer.silenceID);
    } catch (err) {
      setServerError(err instanceof AlertmanagerError ? err.detail : String(err));
    } finally {
      setSending(false);
    }
  };

  return (
    <form
      className="panel silence-form"
      aria-label={init.id === undefined ? 'New silence' : 'Edit silence'}
      data-testid="silence-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onCancel();
      }}
    >
      <h2>{init.id === undefined ? 'New silence' : `Edit silence ${init.id}`}</h2>
      <fieldset className="matchers">
        <legend>Matchers</legend>
        {rows.map((row, i) => (
          <div key={i} className="matcher-row" data-testid="matcher-row">
            <input
              className="control-input"
              aria-label={`Matcher ${i + 1} label name`}
              value={row.name}
              onChange={(e) => setRow(i, { name: e.target.value })}
            />
            <select
              className="control-select"
              aria-label={`Matcher ${i + 1} operator`}
              value={row.op}
              onChange={(e) => setRow(i, { op: e.target.value as Operator })}
            >
              {OPERATORS.map((op) => (
                <option key={op}>{op}</option>
              ))}
            </select>
            <input
              className="control-input"
              aria-label={`Matcher ${i + 1} value`}
              value={row.value}
              onChange={(e) => setRow(i, { value: e.target.value })}
            />
            <button
              type="button"
              className="control-button"
              aria-label={`Remove matcher ${i + 1}`}
              onClick={() => setRows(rows.filter((_, j) => j !== i))}
            >
              ✕
            </button>
          </div>
        ))}
        <button
          type="button"
          className="control-button"
          onClick={() => setRows([...rows, { name: '', op: '=', value: '' }])}
        >
          + Matcher
        </button>
      </fieldset>
      <div className="form-grid">
        <label>
          Start (UTC)
          <input
            className="control-input"
            value={start}
            onChange={(e) => setStart(e.target.value)}
          />
        </label>
        <label>
          Duration
          <input
            className="control-input"
            value={duration}
            onChange={(e) => setDuration(e.target.value)}
          />
        </label>
        <div className="muted small">
          Ends {Number.isNaN(endsAtMs) ? '—' : `${formatEndInput(endsAtMs)} UTC`}
        </div>
        <label>
          Created by
          <input
            className="control-input"
            value={createdBy}
            data-testid="silence-author"
            onChange={(e) => setCreatedBy(e.target.value)}
          />
        </label>
        <label className="span-all">
          Comment
          <textarea
            className="control-textarea"
            value={comment}
            data-testid="silence-comment"
            onChange={(e) => setComment(e.target.value)}
          />
        </label>
      </div>
      {submitted && problems.length > 0 && (
        <ul className="form-problems" role="alert" data-testid="silence-problems">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      {serverError !== undefined && (
        <p className="form-problems" role="alert">
          The Alertmanager refused the silence: {serverError}
        </p>
      )}
      <p className="muted small" data-testid="silence-preview">
        {problems.length > 0
          ? 'Fix the fields to see which alerts this silences.'
          : `Silences ${affected.length} of the Alertmanager's ${alerts.length} current alerts.`}
      </p>
      <div className="toolbar">
        <button
          type="submit"
          className="control-button primary"
          disabled={sending}
          data-testid="silence-submit"
        >
          {init.id === undefined ? 'Create silence' : 'Update silence'}
        </button>
        <button type="button" className="control-button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
