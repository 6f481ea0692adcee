/**
 * @module
 * The Logs route. The page ({@link ./Discover}) carries CodeMirror and uPlot, most of the app's
 * code, so it is loaded on first visit instead of with the app: the other pages stay quick to
 * open.
 */
import { lazy, Suspense } from 'react';

const Discover = lazy(() => import('./Discover').then((m) => ({ default: m.Discover })));

/**
 * @example
 * <LogsPage />
 */
export function LogsPage() {
  return (
    <Suspense fallback={<p className="muted">Loading the Logs page…</p>}>
      <Discover />
    </Suspense>
  );
}
