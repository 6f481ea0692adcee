/**
 * @module
 * The `drop` filter: records matching a KQL query are dropped. The query means what it means in
 * search, because it is the store's own parser, compiler and matcher: a batch's live documents
 * become {@link DocColumns}, as the store's unflushed documents do, and the compiled filter
 * clears the bits of those that do not match. Dates in the query (`@timestamp < now-1h`) are
 * resolved against each batch's time.
 */

import { compileFilter } from '../../query/filter/compile.js';
import { DocColumns } from '../../query/filter/doc-columns.js';
import type { Node } from '../../query/kql/ast.js';
import { compileKql } from '../../query/kql/compile.js';
import { parse } from '../../query/kql/parse.js';
import type { Doc } from './field-path.js';
import type { RecordFilter } from './record-filter.js';

export class KqlDropFilter implements RecordFilter {
  readonly name: string;
  readonly #query: string;
  readonly #ast: Node;

  /**
   * @throws {KqlSyntaxError} when the query does not parse (the configuration checks it first).
   * @example
   * new KqlDropFilter('no-health', 'message:"GET /healthz" or level:debug');
   */
  constructor(name: string, query: string) {
    this.name = name;
    this.#query = query;
    this.#ast = parse(query);
  }

  apply(docs: readonly Doc[], alive: Uint8Array, _changed: Uint8Array, now: number): number {
    const live: Doc[] = [];
    const index: number[] = [];
    for (let i = 0; i < docs.length; i++) {
      if (alive[i] === 0) continue;
      live.push(docs[i]!);
      index.push(i);
    }
    if (live.length === 0) return 0;
    const filter = compileFilter(compileKql(this.#ast, { now, query: this.#query }));
    const bits = new Uint8Array(live.length).fill(1);
    filter.apply(new DocColumns(live), bits);
    let dropped = 0;
    for (let j = 0; j < live.length; j++) {
      if (bits[j] === 1) {
        alive[index[j]!] = 0;
        dropped++;
      }
    }
    return dropped;
  }
}
