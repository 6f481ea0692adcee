/**
 * @module
 * A query result as a table: one row per series with its labels and value (instant vector), its
 * samples (range vector), or the single scalar or string.
 */
import type { QueryData } from '../../api/responseTypes/query';
import { formatSeriesName } from '../../lib/formatSeries';
import { formatEndInput } from './explore-url';

/** Rows rendered at most: a browser slows to a crawl on tens of thousands of table rows. */
const MAX_ROWS = 1000;

/**
 * @param props.data the `data` of an instant (or range) query
 * @example
 * <TableView data={outcome.data} />
 */
export function TableView({ data }: { data: QueryData }) {
  if (data.resultType === 'scalar' || data.resultType === 'string') {
    return (
      <table className="table result-table" data-testid="result-table">
        <tbody>
          <tr>
            <th scope="row">{data.resultType}</th>
            <td className="num">{data.result[1]}</td>
          </tr>
        </tbody>
      </table>
    );
  }
  if (data.result.length === 0) {
    return (
      <div className="empty-state" data-testid="empty-result">
        <strong>Empty query result</strong>
        No series matched at this time.
      </div>
    );
  }
  return (
    <>
      <div className="table-scroll">
        <table className="table result-table" data-testid="result-table">
          <thead>
            <tr>
              <th>Series</th>
              <th className="num">{data.resultType === 'vector' ? 'Value' : 'Samples'}</th>
            </tr>
          </thead>
          <tbody>
            {data.resultType === 'vector'
              ? data.result.slice(0, MAX_ROWS).map((s, i) => (
                  <tr key={i} data-testid="result-row">
                    <td className="series-name">{formatSeriesName(s.metric)}</td>
                    <td className="num">{s.value[1]}</td>
                  </tr>
                ))
              : data.result.slice(0, MAX_ROWS).map((s, i) => (
                  <tr key={i} data-testid="result-row">
                    <td className="series-name">{formatSeriesName(s.metric)}</td>
                    <td className="num">
                      {s.values.map(([t, v]) => (
                        <div key={t} title={`${formatEndInput(t * 1000)} UTC`}>
                          {v} @{t}
                        </div>
                      ))}
                    </td>
                  </tr>
                ))}
          </tbody>
        </table>
      </div>
      {data.result.length > MAX_ROWS && (
        <p className="muted">
          Showing {MAX_ROWS} of {data.result.length} series.
        </p>
      )}
    </>
  );
}
