/**
 * @module
 * How the store turns a {@link SearchRequest} into candidates for `search.ts`: the indices
 * matching the request's patterns; per segment, the blocks whose time range meets the request,
 * whose column token blooms may hold every token the query requires and which have a column for
 * every path it requires (`tokens.ts`); for a query that is one word or phrase on any field,
 * only the columns whose bloom may hold all its tokens are shown to the filter; per memory part, time-ordered chunks of its documents (no
 * index there: they are few and in memory). Segment readers are retained for the search's
 * duration, so a merge or retention drop during the search cannot close them.
 */

import { compileFilter } from '../../query/filter/compile.js';
import type { ResultBlock, SearchRequest, SearchStats } from '../interface.js';
import { type BlockPrefetch, type PrefetchPlan, prefetchBlock } from './block-prefetch.js';
import { hashKey } from './bloom.js';
import { MemBlock } from './mem-block.js';
import { scanHere } from './page-scan.js';
import type { MemoryPart } from './memory-part.js';
import { indexMatcher } from './names.js';
import { type Candidate, runSearch, type SearchLimits } from './search.js';
import { BLOCK_DOCS } from './segment-format.js';
import type { SegmentBlock } from './segment-block.js';
import type { ReadCounter, SegmentReader } from './segment-reader.js';
import { required } from './tokens.js';

/** What a search reads, captured when it starts. */
export interface SearchContext {
  readonly live: readonly {
    readonly entry: { readonly index: string };
    readonly reader: SegmentReader;
  }[];
  readonly parts: readonly MemoryPart[];
  /** Per index, paths past its field limit. */
  readonly hidden: ReadonlyMap<string, ReadonlySet<string>>;
  readonly limits: SearchLimits;
}

const NO_PATHS: ReadonlySet<string> = new Set();

/**
 * Runs `req` over `ctx`.
 *
 * @example
 * await searchStore(req, (b) => { for (let i = 0; i < b.length; i++) hits.push(b.id(i)); }, ctx);
 */
export async function searchStore(
  req: SearchRequest,
  onBlock: (block: ResultBlock) => boolean | void,
  ctx: SearchContext,
): Promise<SearchStats> {
  req.signal?.throwIfAborted();
  const match = indexMatcher(req.indices);
  const filter = req.query.kind === 'all' ? undefined : compileFilter(req.query);
  const need = required(req.query);
  const hashes = [...need.tokens].map((t) => {
    const h = new Uint32Array(2);
    hashKey(t, h);
    return h;
  });
  const paths = [...need.paths];
  const tokens = [...need.tokens];
  const from = req.from ?? -Infinity;
  const to = req.to ?? Infinity;
  const sources = req.sources === true;
  const candidates: Candidate[] = [];
  const hiddenSets = new HiddenSets();
  let skipped = 0;
  const retained: SegmentReader[] = [];
  for (const part of ctx.parts) part.retain();
  try {
    for (const { entry, reader } of ctx.live) {
      if (!match(entry.index)) continue;
      const f = reader.footer;
      if (f.count === 0 || f.maxMs < from || f.minMs >= to) {
        skipped += f.blocks.length;
        continue;
      }
      const hidden = ctx.hidden.get(entry.index) ?? NO_PATHS;
      const pathIds: number[] = [];
      let missing = false;
      for (const p of paths) {
        const pi = reader.pathIndex.get(p);
        if (pi === undefined || hidden.has(p)) missing = true;
        else pathIds.push(pi);
      }
      if (missing) {
        skipped += f.blocks.length;
        continue;
      }
      // Columns the caller will read values from (`req.fields`), read ahead too.
      const fieldIds: number[] = [];
      for (const p of req.fields ?? []) {
        const pi = reader.pathIndex.get(p);
        if (pi !== undefined && !hidden.has(p)) fieldIds.push(pi);
      }
      reader.retain();
      retained.push(reader);
      for (let b = 0; b < f.blocks.length; b++) {
        const meta = f.blocks[b]!;
        if (
          meta.maxMs < from ||
          meta.minMs >= to ||
          !reader.blockMayHaveAll(b, hashes) ||
          !pathIds.every((pi) => meta.cols.some(([c]) => c === pi))
        ) {
          skipped++;
          continue;
        }
        let blockHidden = hidden;
        let readCols: readonly number[] | undefined = pathIds;
        if (need.sameValue) {
          // Hide the columns that cannot hold the word or phrase: the filter then reads (and
          // decompresses) only the one or two that can, usually the message.
          const lacking = reader.pathsLackingAny(b, hashes);
          if (lacking.length === meta.cols.length) {
            skipped++;
            continue;
          }
          if (lacking.length > 0) blockHidden = hiddenSets.get(hidden, lacking);
          readCols = undefined;
        }
        const plan = {
          cols: meta.cols.filter(
            ([pi]) =>
              (readCols === undefined || readCols.includes(pi) || fieldIds.includes(pi)) &&
              !blockHidden.has(reader.footer.paths[pi]!),
          ),
          tokens,
          hashes,
          sources,
        };
        candidates.push(new SegmentCandidate(entry.index, reader, b, blockHidden, plan));
      }
    }
    for (const part of ctx.parts) {
      for (const [index, mem] of part.indices) {
        if (!match(index) || mem.length === 0 || mem.maxMs < from || mem.minMs >= to) continue;
        const hidden = ctx.hidden.get(index) ?? NO_PATHS;
        const n = mem.length;
        for (let k = 0; k * BLOCK_DOCS < n; k++) {
          const chunk = mem.chunk(k, n);
          candidates.push({
            index,
            minMs: chunk.ms[0]!,
            maxMs: chunk.ms[chunk.length - 1]!,
            open: () => new MemBlock(chunk, hidden),
          });
        }
      }
    }
    const stats = await runSearch(req, candidates, filter, ctx.limits, onBlock);
    return { ...stats, blocksSkipped: skipped };
  } finally {
    for (const r of retained) r.release();
    for (const part of ctx.parts) part.release();
  }
}

/**
 * A segment block that may hold matches. An object, not closures: a search makes one per block
 * of its range, and each lives as long as the search.
 */
class SegmentCandidate implements Candidate {
  readonly minMs: number;
  readonly maxMs: number;
  /** What was read ahead, until the block is opened: then the block holds it, not this. */
  #ahead: BlockPrefetch | undefined;

  constructor(
    readonly index: string,
    readonly reader: SegmentReader,
    readonly b: number,
    readonly hidden: ReadonlySet<string>,
    readonly plan: PrefetchPlan,
  ) {
    const meta = reader.footer.blocks[b]!;
    this.minMs = meta.minMs;
    this.maxMs = meta.maxMs;
  }

  open(counter: ReadCounter): SegmentBlock {
    const ahead = this.#ahead;
    this.#ahead = undefined;
    return this.reader.block(this.b, counter, this.hidden, ahead);
  }

  async prefetch(counter: ReadCounter): Promise<void> {
    this.#ahead = await prefetchBlock(this.reader, this.b, this.plan, counter);
  }

  helpAhead(): boolean {
    return scanHere();
  }
}

/**
 * The paths hidden from one block's filter: an index's own plus those a block's blooms rule out.
 * Blocks of a search mostly rule out the same columns, so each such set is made once per search
 * and shared (a set per block was a tenth of a histogram's garbage).
 */
class HiddenSets {
  /** Per index's own set, a trie of the ruled-out paths (in column order) to the sets made. */
  readonly #roots = new Map<ReadonlySet<string>, HiddenNode>();

  get(hidden: ReadonlySet<string>, lacking: readonly string[]): ReadonlySet<string> {
    let node: HiddenNode | undefined = this.#roots.get(hidden);
    if (node === undefined) this.#roots.set(hidden, (node = { next: new Map() }));
    for (const p of lacking) {
      let next: HiddenNode | undefined = node.next.get(p);
      if (next === undefined) node.next.set(p, (next = { next: new Map() }));
      node = next;
    }
    return (node.set ??= new Set([...hidden, ...lacking]));
  }
}

interface HiddenNode {
  set?: ReadonlySet<string>;
  readonly next: Map<string, HiddenNode>;
}
