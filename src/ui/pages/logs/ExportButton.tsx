/**
 * @module
 * Export of the current search: every match in the time range, in the list's order, up to
 * {@link EXPORT_MAX} lines, as NDJSON (re-ingestable) or CSV (the chosen columns), downloaded
 * as a file. Pages of 1 000 are fetched one after another, with the count shown as they come.
 */
import { useRef, useState } from 'react';
import { allHits, type SearchScope } from './requests';
import { toCsv, toNdjson } from './export';

/** Most lines one export fetches: a browser holds that many comfortably in memory. */
export const EXPORT_MAX = 100_000;

function download(text: string, name: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  // After the click has started the download; revoking at once can cancel it in some browsers.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * @example
 * <ExportButton scope={scope} sort="desc" columns={cols} />
 */
export function ExportButton({
  scope,
  sort,
  columns,
}: {
  scope: SearchScope | undefined;
  sort: 'asc' | 'desc';
  columns: readonly string[];
}) {
  const [progress, setProgress] = useState<number | undefined>();
  const [error, setError] = useState<string | undefined>();
  const controller = useRef<AbortController | null>(null);

  const run = async (format: 'ndjson' | 'csv') => {
    if (scope === undefined) return;
    controller.current = new AbortController();
    setError(undefined);
    setProgress(0);
    try {
      const hits = await allHits(scope, sort, EXPORT_MAX, setProgress, controller.current.signal);
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      if (format === 'ndjson') {
        download(toNdjson(hits), `vigil-logs-${stamp}.ndjson`, 'application/x-ndjson');
      } else download(toCsv(hits, columns), `vigil-logs-${stamp}.csv`, 'text/csv');
    } catch (err) {
      if (!controller.current.signal.aborted) setError((err as Error).message);
    } finally {
      setProgress(undefined);
    }
  };

  if (progress !== undefined) {
    return (
      <span className="export-progress" role="status">
        Exporting… {progress.toLocaleString('en-US')} lines{' '}
        <button type="button" className="link-button" onClick={() => controller.current?.abort()}>
          Cancel
        </button>
      </span>
    );
  }
  return (
    <span className="export">
      <span className="muted">Export</span>
      <button
        type="button"
        className="button"
        disabled={scope === undefined}
        onClick={() => void run('ndjson')}
        data-testid="export-ndjson"
      >
        NDJSON
      </button>
      <button
        type="button"
        className="button"
        disabled={scope === undefined}
        onClick={() => void run('csv')}
        data-testid="export-csv"
      >
        CSV
      </button>
      {error && (
        <span className="error-text" role="alert">
          {error}
        </span>
      )}
    </span>
  );
}
