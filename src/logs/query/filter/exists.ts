/**
 * @module
 * The field has at least one value. `null` and empty arrays give none when documents are
 * flattened (`model/fields.ts`), so they do not count; an empty string does.
 */

import type { Columns, Filter } from '../filter.js';
import type { ExistsQuery, FieldSel } from '../query.js';
import { selectColumns } from './field.js';

/** Evaluates an {@link ExistsQuery}. */
export class ExistsFilter implements Filter {
  readonly #field: FieldSel;

  constructor(q: ExistsQuery) {
    this.#field = q.field;
  }

  apply(cols: Columns, bits: Uint8Array): void {
    const columns = selectColumns(this.#field, cols);
    for (let i = 0; i < bits.length; i++) {
      if (bits[i] === 0) continue;
      let found = false;
      for (let c = 0; c < columns.length && !found; c++) {
        const col = columns[c]!;
        found = col.dict !== undefined ? col.dict.codes[i]! >= 0 : col.values(i).length > 0;
      }
      if (!found) bits[i] = 0;
    }
  }
}
