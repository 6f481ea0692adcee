/**
 * @module
 * The Metrics page (`/graph`, Prometheus' path, so its links and alert `generatorURL`s open here): several PromQL queries,
 * each with its own graph or table, time range and step. All of it lives in the URL (see
 * explore-url.ts), so a view can be bookmarked and shared, and back/forward step through runs.
 */
import { useSearch, setSearch } from '../../state/url-state';
import { useColorScheme } from '../../state/useColorScheme';
import {
  formatExploreSearch,
  newPanel,
  parseExploreSearch,
  type ExplorePanel,
} from './explore-url';
import { QueryPanel } from './QueryPanel';
import '../../components/controls.css';
import '../../editor/promql/editor.css';
import './explore.css';

/**
 * @example
 * <ExplorePage />
 */
export function ExplorePage() {
  const search = useSearch();
  const panels = parseExploreSearch(search);
  const theme = useColorScheme();
  const save = (next: readonly ExplorePanel[], options: { push?: boolean } = {}) =>
    setSearch(formatExploreSearch(next), options);

  return (
    <>
      <div className="page-head">
        <h1>Metrics</h1>
        <p className="muted">
          PromQL over this server's metrics. Enter runs a query, Shift+Enter adds a line.
        </p>
      </div>
      <div className="query-panels">
        {panels.map((panel, i) => (
          <QueryPanel
            // Index keys: panels have no identity beyond their position in the URL.
            key={i}
            index={i}
            panel={panel}
            theme={theme}
            canRemove={panels.length > 1}
            onChange={(changed, options) =>
              save(
                panels.map((p, j) => (j === i ? changed : p)),
                options,
              )
            }
            onRemove={() =>
              save(
                panels.filter((_, j) => j !== i),
                { push: true },
              )
            }
          />
        ))}
      </div>
      <button
        type="button"
        className="control-button"
        data-testid="add-query"
        onClick={() => save([...panels, newPanel()], { push: true })}
      >
        + Add query
      </button>
    </>
  );
}
