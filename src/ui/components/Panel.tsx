/**
 * @module
 * A titled card that shows polled data once it has arrived. Before that it says whether the data
 * is still loading or could not be loaded, instead of rendering empty fields that look like real
 * (empty) values.
 */
import type { ReactNode } from 'react';
import type { PollState } from '../state/usePoll';

/**
 * @param props.title the panel's heading, which also labels the section for assistive tech
 * @param props.poll the data source; `children` runs only once it has data
 * @param props.actions extra content for the heading row, e.g. a summary badge
 * @example
 * <Panel title="Flags" poll={flags}>{(data) => <FlagsTable flags={data} />}</Panel>
 */
export function Panel<T>({
  title,
  poll,
  actions,
  wide = false,
  children,
}: {
  title: string;
  poll: PollState<T>;
  actions?: (data: T) => ReactNode;
  /** Span the full width of the page grid, for tables and long text. */
  wide?: boolean;
  children: (data: T, receivedAt: number) => ReactNode;
}) {
  const headingId = `${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-heading`;
  const { data, receivedAt, error } = poll;
  const loaded = data !== undefined && receivedAt !== undefined;
  return (
    <section
      className={wide ? 'panel panel-wide' : 'panel'}
      aria-labelledby={headingId}
      aria-busy={!loaded && !error}
    >
      <div className="panel-head">
        <h2 id={headingId}>{title}</h2>
        {loaded && actions?.(data)}
      </div>
      {loaded ? (
        children(data, receivedAt)
      ) : (
        <p className="muted">{error ? 'Not available: see the error above.' : 'Loading…'}</p>
      )}
    </section>
  );
}
