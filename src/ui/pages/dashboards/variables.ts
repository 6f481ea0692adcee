/**
 * @module
 * Dashboard variables as Grafana substitutes them. `$var`, `${var}` and `[[var]]` in a query
 * are replaced by the selected value. A multi-value or "All" variable is meant for `=~`
 * matchers: its values are regex-escaped for a PromQL string literal (`a.b` → `a\\.b`) and
 * several become an alternation `(a|b)`, "All" `.*`. A single-value variable is inserted as is
 * (only backslashes doubled for the string literal), so it works in `=` matchers too. In KQL (logs panels)
 * several values become `("a" or "b")` and "All" `*`. Built-ins: `$__interval`,
 * `$__interval_ms`, `$__rate_interval`, `$__range`, `$__range_s`, `$__range_ms`. Pure, tested
 * beside this file.
 */

/** The value that selects every option. */
export const ALL = '$__all';

/** A variable's selection, ready for substitution. */
export interface VariableValue {
  /** Selected values; [ALL] for all. */
  selected: readonly string[];
  /** Every option, for "All" in KQL and for a `current` that is no longer an option. */
  options: readonly string[];
  /** Multi-value or with "All": values are regex-escaped (Grafana's rule). */
  regex?: boolean;
}

export interface BuiltinValues {
  /** The step of range queries, ms. */
  intervalMs: number;
  /** The dashboard's time range, ms. */
  rangeMs: number;
  /** The scrape interval assumed for `$__rate_interval`, ms. */
  scrapeIntervalMs?: number;
}

export type Syntax = 'promql' | 'kql';

/** Prometheus duration text for a whole number of ms: 90000 → `1m30s`, 1500 → `1500ms`. */
export function formatInterval(ms: number): string {
  if (ms % 1000 !== 0) return `${Math.round(ms)}ms`;
  let s = ms / 1000;
  const parts: string[] = [];
  for (const [unit, size] of [
    ['d', 86400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    if (s >= size) {
      parts.push(`${Math.floor(s / size)}${unit}`);
      s %= size;
    }
  }
  return parts.join('') || '0s';
}

/** A regex-escaped value inside a PromQL string literal: `\.` must be written `\\.`. */
function escapeRegex(v: string): string {
  return v.replace(/\\/g, '\\\\\\\\').replace(/[$^*{}[\]'+?.()|]/g, '\\\\$&');
}

/** A plain value inside a PromQL string literal. */
function escapeString(v: string): string {
  return v.replace(/\\/g, '\\\\');
}

function formatValues(v: VariableValue, syntax: Syntax): string {
  const all = v.selected.includes(ALL);
  const values = all ? v.options : v.selected;
  if (syntax === 'kql') {
    if (all) return '*';
    if (values.length === 1) return JSON.stringify(values[0]);
    return `(${values.map((x) => JSON.stringify(x)).join(' or ')})`;
  }
  if (all) return '.*';
  if (values.length === 0) return '';
  if (values.length === 1)
    return v.regex === true ? escapeRegex(values[0]!) : escapeString(values[0]!);
  return `(${values.map(escapeRegex).join('|')})`;
}

/**
 * Substitutes variables in `text`. Unknown names stay as written, as in Grafana.
 *
 * @example
 * interpolate('up{job=~"$job"}', new Map([['job', { selected: ['a', 'b'], options: [] }]]),
 *   { intervalMs: 15000, rangeMs: 3600000 }); // 'up{job=~"(a|b)"}'
 */
export function interpolate(
  text: string,
  variables: ReadonlyMap<string, VariableValue>,
  builtins: BuiltinValues,
  syntax: Syntax = 'promql',
): string {
  const builtin = (name: string): string | undefined => {
    switch (name) {
      case '__interval':
        return formatInterval(builtins.intervalMs);
      case '__interval_ms':
        return String(builtins.intervalMs);
      case '__rate_interval': {
        // Grafana's rule: at least four scrapes, and at least one step plus one scrape.
        const scrape = builtins.scrapeIntervalMs ?? 15_000;
        return formatInterval(Math.max(builtins.intervalMs + scrape, 4 * scrape));
      }
      case '__range':
        return formatInterval(Math.round(builtins.rangeMs / 1000) * 1000);
      case '__range_s':
        return String(Math.round(builtins.rangeMs / 1000));
      case '__range_ms':
        return String(builtins.rangeMs);
      default:
        return undefined;
    }
  };
  return text.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::[a-z]+)?\}|\[\[([A-Za-z_][A-Za-z0-9_]*)\]\]|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (match, a?: string, b?: string, c?: string) => {
      const name = a ?? b ?? c!;
      const fixed = builtin(name);
      if (fixed !== undefined) return fixed;
      const v = variables.get(name);
      return v === undefined ? match : formatValues(v, syntax);
    },
  );
}

/** What a `query` variable asks the server for. */
export type VariableQuery =
  | { kind: 'label_values'; label: string; match?: string }
  | { kind: 'label_names'; match?: string }
  | { kind: 'metrics'; regex: string }
  | { kind: 'query_result'; expr: string }
  | { kind: 'promql'; expr: string };

/**
 * Parses a query variable's definition, in Grafana's Prometheus data source syntax:
 * `label_values(label)`, `label_values(metric{sel}, label)`, `label_names()`, `metrics(re)`,
 * `query_result(expr)`; anything else is a PromQL query whose series' values become options.
 *
 * @example
 * parseVariableQuery('label_values(up, job)'); // { kind: 'label_values', label: 'job', match: 'up' }
 */
export function parseVariableQuery(query: string): VariableQuery {
  const q = query.trim();
  const call = /^([a-z_]+)\(([\s\S]*)\)$/.exec(q);
  if (call !== null) {
    const [, fn, args] = call as unknown as [string, string, string];
    if (fn === 'label_values') {
      const comma = args.lastIndexOf(',');
      if (comma < 0) return { kind: 'label_values', label: args.trim() };
      return {
        kind: 'label_values',
        label: args.slice(comma + 1).trim(),
        match: args.slice(0, comma).trim(),
      };
    }
    if (fn === 'label_names') {
      return args.trim() === '' ? { kind: 'label_names' } : { kind: 'label_names', match: args };
    }
    if (fn === 'metrics') return { kind: 'metrics', regex: args.trim() };
    if (fn === 'query_result') return { kind: 'query_result', expr: args.trim() };
  }
  return { kind: 'promql', expr: q };
}

/** A custom or interval variable's options: `a, b , c` → ['a','b','c']. */
export function splitCustom(query: string): string[] {
  return query
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/**
 * Applies a variable's `regex` to its options: non-matching values are dropped; with a capture
 * group, the first group is the option. Duplicates are removed; order is kept.
 */
export function filterOptions(values: readonly string[], regex: string | undefined): string[] {
  let re: RegExp | null = null;
  if (regex !== undefined && regex !== '') {
    const slashed = /^\/(.*)\/([gimsuy]*)$/.exec(regex);
    try {
      re = slashed === null ? new RegExp(regex) : new RegExp(slashed[1]!, slashed[2]);
    } catch {
      re = null;
    }
  }
  const out = new Set<string>();
  for (const v of values) {
    if (re === null) {
      out.add(v);
      continue;
    }
    const m = re.exec(v);
    if (m !== null) out.add(m[1] ?? v);
  }
  return [...out];
}
