/**
 * @module
 * Range and end-time controls of a graph: a range field (`1h`, `30m`) with −/+ buttons that walk
 * Prometheus' range steps, and an end field (UTC, empty = now) with « » buttons that move the
 * window by half its length. Text fields apply on Enter or when they lose focus; an entry that
 * does not parse is marked invalid and not applied.
 */
import { useState } from 'react';
import { formatPromDuration, parsePromDuration } from '../lib/promDuration';
import { shiftEnd, stepRange } from './time-range';
import './controls.css';

/** A text field that applies its text on Enter/blur through `parse`, or marks it invalid. */
function CommitField({
  value,
  parse,
  onCommit,
  label,
  placeholder,
  width,
  testId,
}: {
  value: string;
  parse: (text: string) => boolean;
  onCommit: (text: string) => void;
  label: string;
  placeholder?: string;
  width: string;
  testId: string;
}) {
  const [draft, setDraft] = useState<string | null>(null);
  const text = draft ?? value;
  const invalid = draft !== null && !parse(draft);
  const commit = () => {
    if (draft === null) return;
    if (parse(draft)) {
      onCommit(draft);
      setDraft(null);
    }
  };
  return (
    <input
      className="control-input"
      style={{ width }}
      aria-label={label}
      aria-invalid={invalid}
      title={invalid ? `${label}: cannot parse ${JSON.stringify(draft)}` : label}
      data-testid={testId}
      placeholder={placeholder}
      value={text}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') commit();
        if (e.key === 'Escape') setDraft(null);
      }}
    />
  );
}

/**
 * Parses the end field: `YYYY-MM-DD HH:MM[:SS]` in UTC, RFC 3339, epoch seconds, or empty = now.
 * Returns undefined when the text is none of these.
 */
export type EndParser = (text: string) => number | undefined;

/**
 * @param props.rangeMs the window's length
 * @param props.endMs its end in epoch ms, null for "now"
 * @param props.onChange a new window
 * @param props.parseEnd / props.formatEnd how the end is written in the field
 * @example
 * <TimeRangeControls rangeMs={r} endMs={e} onChange={(r, e) => …} parseEnd={parseEndInput} formatEnd={formatEndInput} />
 */
export function TimeRangeControls({
  rangeMs,
  endMs,
  onChange,
  parseEnd,
  formatEnd,
  showRange = true,
}: {
  rangeMs: number;
  endMs: number | null;
  onChange: (rangeMs: number, endMs: number | null) => void;
  parseEnd: EndParser;
  formatEnd: (ms: number) => string;
  /** False for an instant query, which has an evaluation time but no range. */
  showRange?: boolean;
}) {
  const endLabel = showRange ? 'End time (UTC)' : 'Evaluation time (UTC)';
  return (
    <div className="control-group" role="group" aria-label="Time range">
      {showRange && (
        <span className="control-joined">
          <button
            type="button"
            className="control-button"
            aria-label="Shorter range"
            onClick={() => onChange(stepRange(rangeMs, -1), endMs)}
          >
            −
          </button>
          <CommitField
            value={formatPromDuration(rangeMs)}
            parse={(t) => parsePromDuration(t) !== undefined}
            onCommit={(t) => onChange(parsePromDuration(t)!, endMs)}
            label="Range"
            width="5.5rem"
            testId="range-input"
          />
          <button
            type="button"
            className="control-button"
            aria-label="Longer range"
            onClick={() => onChange(stepRange(rangeMs, 1), endMs)}
          >
            +
          </button>
        </span>
      )}
      <span className="control-joined">
        {showRange && (
          <button
            type="button"
            className="control-button"
            aria-label="Earlier"
            onClick={() => onChange(rangeMs, shiftEnd(endMs, rangeMs, -1, Date.now()))}
          >
            «
          </button>
        )}
        <CommitField
          value={endMs === null ? '' : formatEnd(endMs)}
          parse={(t) => t.trim() === '' || parseEnd(t) !== undefined}
          onCommit={(t) => onChange(rangeMs, t.trim() === '' ? null : parseEnd(t)!)}
          label={endLabel}
          placeholder="now"
          width="11.5rem"
          testId="end-input"
        />
        {showRange && (
          <button
            type="button"
            className="control-button"
            aria-label="Later"
            disabled={endMs === null}
            onClick={() => onChange(rangeMs, shiftEnd(endMs, rangeMs, 1, Date.now()))}
          >
            »
          </button>
        )}
      </span>
      {endMs !== null && (
        <button type="button" className="control-button" onClick={() => onChange(rangeMs, null)}>
          Now
        </button>
      )}
    </div>
  );
}
