/**
 * @module
 * "TSDB": the head's size (series, chunks, time span) and what accounts for its series — the
 * metric names, label names and label pairs with the most — which is where an operator looks
 * when memory grows or a label explodes.
 */
import type { NameValue, TsdbStatus } from '../../api/responseTypes/status';
import { KeyValueList } from '../../components/KeyValueList';
import { Panel } from '../../components/Panel';
import { formatTimestamp } from '../../lib/formatTimestamp';
import type { PollState } from '../../state/usePoll';

function TopList({ title, rows, testId }: { title: string; rows: NameValue[]; testId: string }) {
  return (
    <div className="table-scroll">
      <table className="table" data-testid={testId}>
        <thead>
          <tr>
            <th scope="col">{title}</th>
            <th scope="col" className="num">
              Count
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={2} className="muted">
                none
              </td>
            </tr>
          ) : (
            rows.map((row) => (
              <tr key={row.name} data-name={row.name}>
                <th scope="row">
                  <code>{row.name}</code>
                </th>
                <td className="num">{row.value.toLocaleString('en-US')}</td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}

/** The head's time span; an empty head reports min above max. */
function span(stats: TsdbStatus['headStats']) {
  if (stats.numSeries === 0 || stats.minTime > stats.maxTime) {
    return <span className="muted">empty</span>;
  }
  return `${formatTimestamp(stats.minTime)} – ${formatTimestamp(stats.maxTime)}`;
}

/**
 * @example
 * <TsdbPanel poll={usePoll(loadTsdb, 5000)} />
 */
export function TsdbPanel({ poll }: { poll: PollState<TsdbStatus> }) {
  return (
    <Panel title="TSDB" poll={poll} wide>
      {(tsdb) => (
        <>
          <KeyValueList
            rows={[
              {
                label: 'Head series',
                testId: 'head-series',
                value: tsdb.headStats.numSeries.toLocaleString('en-US'),
              },
              {
                label: 'Head chunks',
                testId: 'head-chunks',
                value: tsdb.headStats.chunkCount.toLocaleString('en-US'),
              },
              { label: 'Head time range', testId: 'head-range', value: span(tsdb.headStats) },
            ]}
          />
          <div className="top-lists">
            <TopList
              title="Series by metric name"
              rows={tsdb.seriesCountByMetricName}
              testId="series-by-metric"
            />
            <TopList
              title="Values by label name"
              rows={tsdb.labelValueCountByLabelName}
              testId="values-by-label"
            />
            <TopList
              title="Series by label pair"
              rows={tsdb.seriesCountByLabelValuePair}
              testId="series-by-pair"
            />
          </div>
        </>
      )}
    </Panel>
  );
}
