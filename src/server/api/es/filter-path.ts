/**
 * @module
 * Elasticsearch's response filtering, the `filter_path` URL parameter: a comma-separated list
 * of dotted paths that a response is cut down to. A segment is a field name, `*` wildcards
 * within a name (`items.*.err*`), or `**` for any number of levels (`aggregations.**.value`);
 * arrays take no segment of their own, their elements are filtered alike. Objects and arrays
 * left with nothing are dropped, so an answer of which nothing matches is `{}`. A path after `-`
 * removes what it matches instead (`-hits.hits._source`); exclusions apply first, then the
 * inclusions. Shippers use it to keep `_bulk` answers to what they read
 * (`filter_path=errors,items.*.status,items.*.error`).
 */

/** One segment of a path: a name test, or {@link ANY_DEPTH}. */
type Segment = ((key: string) => boolean) | typeof ANY_DEPTH;

const ANY_DEPTH = Symbol('**');

/**
 * A parsed `filter_path`: where a walk from the root stands in its inclusions and its
 * exclusions.
 */
export interface FilterPath {
  readonly include: State | undefined;
  readonly exclude: State | undefined;
}

/**
 * Parses `filter_path` as it came in the URL (a repeated parameter gives a list); undefined when
 * there is none or it names nothing.
 *
 * @example
 * const filter = parseFilterPath('errors,items.*.status');
 */
export function parseFilterPath(spec: unknown): FilterPath | undefined {
  const texts = Array.isArray(spec) ? spec : [spec];
  const include: Position[] = [];
  const exclude: Position[] = [];
  for (const text of texts) {
    if (typeof text !== 'string') continue;
    for (let path of text.split(',')) {
      path = path.trim();
      const excluded = path.startsWith('-');
      if (excluded) path = path.slice(1);
      if (path === '') continue;
      (excluded ? exclude : include).push([path.split('.').map(segment), 0]);
    }
  }
  if (include.length === 0 && exclude.length === 0) return undefined;
  return {
    include: include.length === 0 ? undefined : new State(include, false),
    exclude: exclude.length === 0 ? undefined : new State(exclude, false),
  };
}

function segment(text: string): Segment {
  if (text === '**') return ANY_DEPTH;
  if (!text.includes('*')) return (key) => key === text;
  const escaped = text.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const re = new RegExp(`^${escaped.join('.*')}$`, 's');
  return (key) => re.test(key);
}

/** A path that may still match, and the index of its next segment. */
type Position = readonly [path: readonly Segment[], at: number];

/**
 * Field names a state remembers where they lead: an answer's fields repeat (every `_bulk`
 * item has the same few), so a walk mostly looks its steps up; names past this many (the
 * fields of documents in `_source`, say) are worked out each time.
 */
const MAX_REMEMBERED = 1024;

/**
 * Where a walk stands in a set of paths: the positions still open, and whether one of the
 * paths matched the field it arrived by whole (what remains of it is only `**`).
 */
class State {
  readonly #next = new Map<string, State>();

  constructor(
    readonly open: readonly Position[],
    readonly whole: boolean,
  ) {}

  /** The state after field `key`. */
  step(key: string): State {
    let s = this.#next.get(key);
    if (s !== undefined) return s;
    const open: Position[] = [];
    let whole = false;
    const visit = (path: readonly Segment[], at: number): void => {
      const seg = path[at];
      if (seg === undefined) return;
      if (seg === ANY_DEPTH) {
        // `**` takes this field and stays for deeper ones, or takes none.
        open.push([path, at]);
        visit(path, at + 1);
        return;
      }
      if (!seg(key)) return;
      if (onlyAnyDepth(path, at + 1)) whole = true;
      else open.push([path, at + 1]);
    };
    for (const [path, at] of this.open) visit(path, at);
    s = new State(open, whole);
    if (this.#next.size < MAX_REMEMBERED) this.#next.set(key, s);
    return s;
  }
}

/** True when `path` from `at` on is only `**` (or nothing). */
function onlyAnyDepth(path: readonly Segment[], at: number): boolean {
  for (let i = at; i < path.length; i++) if (path[i] !== ANY_DEPTH) return false;
  return true;
}

/**
 * `value` filtered by `filter`: a copy with what the filter leaves, sharing the subtrees it
 * keeps whole.
 *
 * @example
 * applyFilterPath({ took: 3, errors: false, items: [] }, parseFilterPath('errors')!);
 * // { errors: false }
 */
export function applyFilterPath(value: unknown, filter: FilterPath): unknown {
  let out = value;
  if (filter.exclude !== undefined) out = excluded(out, filter.exclude);
  if (filter.include !== undefined) out = included(out, filter.include) ?? {};
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** What of `value` the inclusions at `state` keep, or undefined for nothing. */
function included(value: unknown, state: State): unknown {
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const e of value) {
      const kept = included(e, state);
      if (kept !== undefined) out.push(kept);
    }
    return out.length === 0 ? undefined : out;
  }
  if (!isObject(value)) return undefined;
  let out: Record<string, unknown> | undefined;
  for (const key in value) {
    const v = value[key];
    if (v === undefined) continue;
    const next = state.step(key);
    const kept = next.whole ? v : next.open.length === 0 ? undefined : included(v, next);
    if (kept !== undefined) (out ??= {})[key] = kept;
  }
  return out;
}

/** `value` without what the exclusions at `state` match. */
function excluded(value: unknown, state: State): unknown {
  if (Array.isArray(value)) return value.map((e) => excluded(e, state));
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key in value) {
    const next = state.step(key);
    if (next.whole) continue;
    out[key] = next.open.length === 0 ? value[key] : excluded(value[key], next);
  }
  return out;
}
