/**
 * @module
 * The service discovery view: per scrape pool, every target discovery found, its labels as
 * discovered and what relabeling made of them — or that relabeling dropped it.
 */
import type { TargetsData } from '../../api/responseTypes/targets';
import { LabelChips } from '../../components/LabelChips';
import { StateBadge } from '../../components/StateBadge';
import { discoveryPools } from './target-filter';

/**
 * @param props.data the `/api/v1/targets` answer
 * @example
 * <ServiceDiscovery data={targets} />
 */
export function ServiceDiscovery({ data }: { data: TargetsData }) {
  const pools = discoveryPools(data.activeTargets, data.droppedTargets);
  if (pools.length === 0) {
    return (
      <div className="empty-state">
        <strong>Nothing discovered</strong>
        No scrape pool has found a target. Check <code>scrape_configs</code> on the Status page.
      </div>
    );
  }
  return (
    <>
      {pools.map((pool) => {
        const unlisted = (data.droppedTargetCounts?.[pool.pool] ?? 0) - pool.dropped;
        return (
          <section key={pool.pool} className="panel pool" data-testid="sd-pool">
            <h2 className="pool-head">
              <span>{pool.pool}</span>
              <StateBadge tone="neutral">
                {pool.active} active · {pool.dropped + Math.max(0, unlisted)} dropped
              </StateBadge>
            </h2>
            <div className="table-scroll">
              <table className="table">
                <thead>
                  <tr>
                    <th>Discovered labels</th>
                    <th>Target labels</th>
                  </tr>
                </thead>
                <tbody>
                  {pool.entries.map((entry, i) => (
                    <tr key={i}>
                      <td>
                        <LabelChips labels={entry.discovered} />
                      </td>
                      <td>
                        {entry.labels === null ? (
                          <StateBadge tone="neutral">Dropped</StateBadge>
                        ) : (
                          <LabelChips labels={entry.labels} />
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {unlisted > 0 && (
              <p className="muted small">
                {unlisted} more dropped targets are not listed (see{' '}
                <code>keep_dropped_targets</code>
                ).
              </p>
            )}
          </section>
        );
      })}
    </>
  );
}
