/**
 * @module
 * "Log indices": every index of the log store with its documents, size on disk, time span and
 * the retention rule that will delete its old days, so an operator sees where the disk goes and
 * how long each kind of log is kept.
 */
import type { IndexRetention, LogIndex } from '../../api/responseTypes/status';
import { Panel } from '../../components/Panel';
import { formatBytes } from '../../lib/formatBytes';
import { formatPromDuration } from '../../lib/promDuration';
import { formatTimestamp } from '../../lib/formatTimestamp';
import type { PollState } from '../../state/usePoll';

const DAY_MS = 86_400_000;

/** Retention ages are set in days ("30d"), which Prometheus' format would show as "4w2d". */
function age(ms: number): string {
  return ms % DAY_MS === 0 ? `${ms / DAY_MS}d` : formatPromDuration(ms);
}

function retention(r: IndexRetention | null | undefined): string {
  if (r === null || r === undefined) return 'kept forever';
  const limits = [
    r.maxAgeMs === undefined ? '' : age(r.maxAgeMs),
    r.maxBytes === undefined ? '' : `at most ${formatBytes(r.maxBytes)}`,
  ].filter((s) => s !== '');
  return limits.length === 0 ? 'kept forever' : limits.join(', ');
}

/**
 * @example
 * <LogIndicesPanel poll={usePoll(loadIndices, 5000)} />
 */
export function LogIndicesPanel({ poll }: { poll: PollState<LogIndex[]> }) {
  return (
    <Panel
      title="Log indices"
      poll={poll}
      wide
      actions={(indices) => (
        <span className="muted" data-testid="indices-total">
          {indices.length} {indices.length === 1 ? 'index' : 'indices'} ·{' '}
          {formatBytes(indices.reduce((sum, i) => sum + i.bytes, 0))}
        </span>
      )}
    >
      {(indices) =>
        indices.length === 0 ? (
          <p className="muted">No logs stored yet.</p>
        ) : (
          <div className="table-scroll">
            <table className="table" data-testid="log-indices">
              <thead>
                <tr>
                  <th scope="col">Index</th>
                  <th scope="col" className="num">
                    Documents
                  </th>
                  <th scope="col" className="num">
                    Size on disk
                  </th>
                  <th scope="col">Oldest</th>
                  <th scope="col">Newest</th>
                  <th scope="col">Retention</th>
                </tr>
              </thead>
              <tbody>
                {[...indices]
                  .sort((a, b) => (a.name < b.name ? -1 : 1))
                  .map((index) => (
                    <tr key={index.name} data-testid="index-row" data-index={index.name}>
                      <th scope="row">
                        <code>{index.name}</code>
                      </th>
                      <td className="num" data-testid="index-docs">
                        {index.docs.toLocaleString('en-US')}
                      </td>
                      <td className="num">{formatBytes(index.bytes)}</td>
                      <td>{index.minMs === undefined ? '' : formatTimestamp(index.minMs)}</td>
                      <td>{index.maxMs === undefined ? '' : formatTimestamp(index.maxMs)}</td>
                      <td title={index.retention ? `rule ${index.retention.indices}` : undefined}>
                        {retention(index.retention)}
                      </td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </div>
        )
      }
    </Panel>
  );
}
