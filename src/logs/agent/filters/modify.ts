/**
 * @module
 * Filters that change fields: `add` (fixed values, replacing existing ones unless told not
 * to), `rename` (moves a value to a new path, replacing what is there) and `remove`. Paths are
 * dotted (`field-path.ts`). They never drop a record.
 */

import { getPath, removePath, setPath, type Doc } from './field-path.js';
import type { RecordFilter } from './record-filter.js';

type Edit = (doc: Doc) => boolean;

class EditFilter implements RecordFilter {
  readonly name: string;
  readonly #edit: Edit;

  constructor(name: string, edit: Edit) {
    this.name = name;
    this.#edit = edit;
  }

  apply(docs: readonly Doc[], alive: Uint8Array, changed: Uint8Array): number {
    for (let i = 0; i < docs.length; i++) {
      if (alive[i] !== 0 && this.#edit(docs[i]!)) changed[i] = 1;
    }
    return 0;
  }
}

/**
 * @example
 * addFilter('cluster', { 'cluster.name': 'eu-1' }, true);
 */
export function addFilter(
  name: string,
  fields: Readonly<Record<string, unknown>>,
  overwrite: boolean,
): RecordFilter {
  const entries = Object.entries(fields);
  return new EditFilter(name, (doc) => {
    let changed = false;
    for (const [path, value] of entries) {
      if (!overwrite && getPath(doc, path) !== undefined) continue;
      setPath(doc, path, value);
      changed = true;
    }
    return changed;
  });
}

/**
 * @example
 * renameFilter('level', { lvl: 'log.level' });
 */
export function renameFilter(name: string, fields: Readonly<Record<string, string>>): RecordFilter {
  const entries = Object.entries(fields);
  return new EditFilter(name, (doc) => {
    let changed = false;
    for (const [from, to] of entries) {
      const value = removePath(doc, from);
      if (value === undefined) continue;
      setPath(doc, to, value);
      changed = true;
    }
    return changed;
  });
}

/**
 * @example
 * removeFilter('secrets', ['password', 'http.request.headers.authorization']);
 */
export function removeFilter(name: string, paths: readonly string[]): RecordFilter {
  return new EditFilter(name, (doc) => {
    let changed = false;
    for (const path of paths) if (removePath(doc, path) !== undefined) changed = true;
    return changed;
  });
}
