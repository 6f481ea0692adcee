/**
 * @module
 * A definition list of labelled values, the common shape of "information" panels. Each value gets
 * a `data-testid` so browser tests find it without depending on layout or wording.
 */
import type { ReactNode } from 'react';

/** One row of a {@link KeyValueList}. */
export interface KeyValueRow {
  label: string;
  /** Stable id for tests; also the React key, so unique within a list. */
  testId: string;
  value: ReactNode;
}

/**
 * @example
 * <KeyValueList rows={[{ label: 'Version', testId: 'version', value: info.version }]} />
 */
export function KeyValueList({ rows }: { rows: readonly KeyValueRow[] }) {
  return (
    <dl className="kv">
      {rows.map((row) => (
        <div className="kv-row" key={row.testId}>
          <dt>{row.label}</dt>
          <dd data-testid={row.testId}>{row.value}</dd>
        </div>
      ))}
    </dl>
  );
}
