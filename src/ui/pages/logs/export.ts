/**
 * @module
 * Exporting search results: NDJSON (one hit per line: index, id, timestamp and the document, so
 * the file can be sent back to the ingest API) and CSV (one row per hit, the chosen columns, or
 * the whole document as JSON when none are chosen, as Kibana's CSV report does). Pure, tested
 * beside the file; the page turns the text into a download.
 */
import type { LogHit } from '../../api/responseTypes/logs';
import { fieldText, getField } from './fieldValues';

/**
 * @example
 * toNdjson(hits); // '{"_index":"logs-app","_id":"…","@timestamp":"…","_source":{…}}\n…'
 */
export function toNdjson(hits: readonly LogHit[]): string {
  return hits
    .map((h) =>
      JSON.stringify({
        _index: h.index,
        _id: h.id,
        '@timestamp': h['@timestamp'],
        _source: h.source,
      }),
    )
    .map((line) => `${line}\n`)
    .join('');
}

/**
 * RFC 4180 CSV with a header row; fields holding `,`, `"`, CR or LF are quoted, `"` doubled.
 * Lines end with CRLF, as the RFC asks and spreadsheets expect.
 *
 * @example
 * toCsv(hits, ['level', 'message']); // '@timestamp,level,message\r\n2024-…,error,"a, b"\r\n'
 */
export function toCsv(hits: readonly LogHit[], columns: readonly string[]): string {
  const header = ['@timestamp', ...(columns.length === 0 ? ['_source'] : columns)];
  const rows = hits.map((h) => [
    h['@timestamp'],
    ...(columns.length === 0
      ? [JSON.stringify(h.source)]
      : columns.map((c) => fieldText(getField(h.source, c)))),
  ]);
  return [header, ...rows].map((r) => `${r.map(csvCell).join(',')}\r\n`).join('');
}

function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
