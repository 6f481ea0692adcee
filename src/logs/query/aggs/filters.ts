/**
 * @module
 * `filters`: one bucket per query (Elasticsearch's query DSL, as Grafana's "Filters" group-by
 * sends `query_string`s), named (`{"filters": {"errors": {…}}}`) or anonymous (a list), with
 * `other_bucket`/`other_bucket_key` for documents no filter matches, and `keyed: false` for a list
 * of named buckets with their `key`. A document counts in every
 * bucket whose query it matches.
 *
 * Queries are compiled once per request into store filters and applied a whole block at a time
 * over the block's documents, the first time any bucket of any parent sees that block, so a
 * `filters` under a `date_histogram` evaluates each query once per document, not per bucket.
 */

import { compileDsl } from '../es-dsl/compile.js';
import { EsQueryError } from '../es-dsl/errors.js';
import { compileFilter } from '../filter/compile.js';
import { DocColumns } from '../filter/doc-columns.js';
import type { Filter } from '../filter.js';
import type { ResultBlock } from '../../store/interface.js';
import {
  AggregationError,
  collectSubs,
  createSubs,
  subFields,
  subResults,
  type AggregationKind,
  type Aggregator,
} from './aggregator.js';

/** A compiled filter and its verdicts for the last block it saw. */
class BlockVerdicts {
  #block: ResultBlock | undefined;
  #bits = new Uint8Array(0);

  constructor(readonly filter: Filter) {}

  /** Whether document `i` of `block` matches. */
  matches(block: ResultBlock, i: number): boolean {
    if (this.#block !== block) {
      this.#block = block;
      const sources = new Array<Record<string, unknown>>(block.length);
      for (let k = 0; k < block.length; k++) sources[k] = block.source(k);
      this.#bits = new Uint8Array(block.length).fill(1);
      this.filter.apply(new DocColumns(sources), this.#bits);
    }
    return this.#bits[i] === 1;
  }
}

/** The `filters` kind, for the registry in `parse.ts`. */
export const FILTERS: AggregationKind = {
  name: 'filters',
  buckets: true,
  parse(body, ctx) {
    for (const key of Object.keys(body)) {
      if (!['filters', 'other_bucket', 'other_bucket_key', 'keyed'].includes(key)) {
        throw new AggregationError(ctx.path, `unknown parameter [${key}]`);
      }
    }
    const given = body.filters;
    const named = !Array.isArray(given);
    // Named filters answer an object of buckets unless `keyed: false` asks for a list with keys.
    const keyed = named && body.keyed !== false;
    if (typeof given !== 'object' || given === null) {
      throw new AggregationError(ctx.path, '[filters] must be an object or a list of queries');
    }
    const entries: [string, unknown][] = Array.isArray(given)
      ? given.map((q, i) => [String(i), q])
      : Object.entries(given);
    const verdicts = entries.map(([name, q]) => {
      try {
        const query = compileDsl(q, {
          now: ctx.now,
          ...(ctx.resolve === undefined ? {} : { resolve: ctx.resolve }),
        });
        return new BlockVerdicts(compileFilter(query));
      } catch (err) {
        if (!(err instanceof EsQueryError)) throw err;
        throw new AggregationError(`${ctx.path}.filters.${name}`, err.message);
      }
    });
    const otherKey = typeof body.other_bucket_key === 'string' ? body.other_bucket_key : undefined;
    const other = body.other_bucket === true || otherKey !== undefined;
    const subs = ctx.subs;
    return {
      // Filters read whole documents (their sources), so they need no column loaded.
      fields: subFields(subs),
      create(): Aggregator {
        const buckets = entries.map(() => ({ count: 0, subs: createSubs(subs) }));
        const rest = { count: 0, subs: createSubs(subs) };
        return {
          collect(block, i) {
            let any = false;
            for (let k = 0; k < verdicts.length; k++) {
              if (!verdicts[k]!.matches(block, i)) continue;
              any = true;
              buckets[k]!.count++;
              collectSubs(buckets[k]!.subs, block, i);
            }
            if (other && !any) {
              rest.count++;
              collectSubs(rest.subs, block, i);
            }
          },
          result() {
            const render = (b: typeof rest) => ({ doc_count: b.count, ...subResults(b.subs) });
            if (!keyed) {
              const list = buckets.map((b, k) => ({
                ...(named ? { key: entries[k]![0] } : {}),
                ...render(b),
              }));
              const last = { ...(named ? { key: otherKey ?? '_other_' } : {}), ...render(rest) };
              return { buckets: other ? [...list, last] : list };
            }
            const out: Record<string, unknown> = {};
            entries.forEach(([name], k) => (out[name] = render(buckets[k]!)));
            if (other) out[otherKey ?? '_other_'] = render(rest);
            return { buckets: out };
          },
        };
      },
    };
  },
};
