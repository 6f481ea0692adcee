/**
 * @module
 * Export and import of dashboards as JSON files, in the API's document shape; an imported file
 * may also be Grafana's export wrapper `{"dashboard": …}`.
 */
import type { Dashboard } from './types';

/** The document without the save counter, as a file to share. */
export function exportable(d: Dashboard): Omit<Dashboard, 'version'> & { version?: number } {
  const copy: Partial<Dashboard> = { ...d };
  delete copy.version;
  return copy as Omit<Dashboard, 'version'>;
}

/** Saves `d` as `<title>.json` through the browser's download. */
export function downloadJson(d: Dashboard): void {
  const blob = new Blob([`${JSON.stringify(exportable(d), null, 2)}\n`], {
    type: 'application/json',
  });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = `${d.title.replace(/[^\w.-]+/g, '_') || d.uid}.json`;
  a.click();
  URL.revokeObjectURL(a.href);
}

/**
 * Reads an imported file's text: the document, or the `dashboard` inside Grafana's wrapper.
 *
 * @throws Error when the text is not JSON or not an object
 */
export function parseImport(text: string): Partial<Dashboard> {
  const raw = JSON.parse(text) as unknown;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new Error('the file is not a JSON object');
  }
  const doc =
    'dashboard' in raw && !('panels' in raw) ? (raw as { dashboard: unknown }).dashboard : raw;
  const copy: Partial<Dashboard> = { ...(doc as Dashboard) };
  delete copy.version;
  return copy;
}
