/**
 * @module
 * The result list: one fixed-height row per hit, virtualised, so only the rows in view (plus a
 * margin) are in the DOM however many hits are loaded, and the next page is asked for when the
 * view nears the end of what is loaded. The list is a keyboard-operable grid: ↑/↓ (or k/j),
 * Page Up/Down, Home/End move the cursor row, Enter opens its document, Escape closes it.
 */
import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { LogHit } from '../../api/responseTypes/logs';
import { FieldText } from './FieldText';
import { displayTime } from './fieldValues';
import { HitSummary } from './HitSummary';

/** Row height in px; fixed so that a row's position is its index times this. */
export const ROW_HEIGHT = 30;
/** Rows rendered beyond each edge of the view, so fast scrolling shows no blank rows. */
const OVERSCAN = 20;
/** Ask for the next page when the view is this many rows from the end of the loaded hits. */
const PREFETCH_ROWS = 100;

export interface ResultListProps {
  hits: readonly LogHit[];
  columns: readonly string[];
  sort: 'asc' | 'desc';
  /** Whether more hits exist after the loaded ones. */
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
  /** Index in `hits` of the open document, or -1. */
  openIndex: number;
  onOpen: (index: number) => void;
  onClose: () => void;
  onToggleSort: () => void;
  onRemoveColumn: (field: string) => void;
}

/**
 * @example
 * <ResultList hits={hits} columns={[]} sort="desc" hasMore loadingMore={false} onLoadMore={more} openIndex={-1} onOpen={open} onClose={close} onToggleSort={flip} onRemoveColumn={drop} />
 */
export function ResultList(props: ResultListProps) {
  const { hits, columns, sort, hasMore, loadingMore, onLoadMore, openIndex } = props;
  const viewport = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);
  const [active, setActive] = useState(0);

  useLayoutEffect(() => {
    const el = viewport.current;
    if (el === null) return;
    const observer = new ResizeObserver(() => setHeight(el.clientHeight));
    observer.observe(el);
    setHeight(el.clientHeight);
    return () => observer.disconnect();
  }, []);

  // A new search starts at the top.
  const first = hits[0];
  useEffect(() => {
    setActive(0);
    if (viewport.current) viewport.current.scrollTop = 0;
    setScrollTop(0);
  }, [first?.sort, first?.index]);

  const start = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const end = Math.min(hits.length, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN);

  useEffect(() => {
    if (hasMore && !loadingMore && end >= hits.length - PREFETCH_ROWS) onLoadMore();
  }, [end, hits.length, hasMore, loadingMore, onLoadMore]);

  const moveTo = (i: number) => {
    const next = Math.max(0, Math.min(hits.length - 1, i));
    setActive(next);
    const el = viewport.current;
    if (el === null) return;
    const top = next * ROW_HEIGHT;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + ROW_HEIGHT > el.scrollTop + el.clientHeight) {
      el.scrollTop = top + ROW_HEIGHT - el.clientHeight;
    }
    if (openIndex >= 0) props.onOpen(next);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (hits.length === 0 || e.altKey || e.ctrlKey || e.metaKey) return;
    const page = Math.max(1, Math.floor(height / ROW_HEIGHT) - 1);
    const keys: Record<string, () => void> = {
      ArrowDown: () => moveTo(active + 1),
      j: () => moveTo(active + 1),
      ArrowUp: () => moveTo(active - 1),
      k: () => moveTo(active - 1),
      PageDown: () => moveTo(active + page),
      PageUp: () => moveTo(active - page),
      Home: () => moveTo(0),
      End: () => moveTo(hits.length - 1),
      Enter: () => (openIndex === active ? props.onClose() : props.onOpen(active)),
      Escape: () => props.onClose(),
    };
    const action = keys[e.key];
    if (action === undefined) return;
    e.preventDefault();
    action();
  };

  const template = `11.5rem ${columns.length === 0 ? 'minmax(0, 1fr)' : columns.map(() => 'minmax(8rem, 1fr)').join(' ')}`;
  const rows = [];
  for (let i = start; i < end; i++) {
    const hit = hits[i]!;
    rows.push(
      <div
        key={`${hit.index}/${hit.sort}`}
        role="row"
        aria-rowindex={i + 2}
        aria-selected={i === openIndex}
        className={`result-row${i === active ? ' result-row-active' : ''}${i === openIndex ? ' result-row-open' : ''}`}
        style={{ top: i * ROW_HEIGHT, gridTemplateColumns: template }}
        onClick={() => {
          setActive(i);
          if (i === openIndex) props.onClose();
          else props.onOpen(i);
        }}
        data-testid="result-row"
      >
        <span role="gridcell" className="result-time">
          {displayTime(hit['@timestamp'])}
        </span>
        {columns.length === 0 ? (
          <span role="gridcell" className="result-cell result-summary">
            <HitSummary hit={hit} />
          </span>
        ) : (
          columns.map((c) => (
            <span role="gridcell" key={c} className="result-cell" data-column={c}>
              <FieldText hit={hit} field={c} />
            </span>
          ))
        )}
      </div>,
    );
  }

  return (
    <div
      className="result-list"
      role="grid"
      aria-label="Matching log lines"
      aria-rowcount={hasMore ? -1 : hits.length + 1}
    >
      <div
        className="result-header"
        role="row"
        aria-rowindex={1}
        style={{ gridTemplateColumns: template }}
      >
        <span role="columnheader" aria-sort={sort === 'desc' ? 'descending' : 'ascending'}>
          <button
            type="button"
            className="link-button"
            onClick={props.onToggleSort}
            title="Change the order"
          >
            Time {sort === 'desc' ? '↓' : '↑'}
          </button>
        </span>
        {columns.length === 0 ? (
          <span role="columnheader">Document</span>
        ) : (
          columns.map((c) => (
            <span role="columnheader" key={c} className="result-column-head">
              <span className="result-column-name">{c}</span>
              <button
                type="button"
                className="icon-button"
                aria-label={`Remove column ${c}`}
                onClick={() => props.onRemoveColumn(c)}
              >
                ×
              </button>
            </span>
          ))
        )}
      </div>
      <div
        ref={viewport}
        className="result-viewport"
        tabIndex={0}
        onKeyDown={onKeyDown}
        onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
        data-testid="result-list"
      >
        <div
          className="result-canvas"
          style={{ height: (hits.length + (hasMore ? 1 : 0)) * ROW_HEIGHT }}
        >
          {rows}
          {hasMore && (
            <div className="result-more muted" style={{ top: hits.length * ROW_HEIGHT }}>
              {loadingMore ? 'Loading more…' : ''}
            </div>
          )}
        </div>
      </div>
    </div>
  );
}
