/**
 * @module
 * The options of a dashboard's variables, fetched from the metrics API as their definitions say
 * (`label_values` → `/api/v1/label/<l>/values`, optionally with `match[]`; a PromQL query → the
 * values of its series), and the selection of each: the URL's, else the saved `current`, else
 * the first option. Variables are resolved in order, so a later one may use an earlier one
 * (`label_values(up{job=~"$job"}, instance)`).
 */
import { useEffect, useMemo, useState } from 'react';
import { apiGet } from '../../api/client';
import type { QueryData } from '../../api/responseTypes/query';
import type { Variable } from './types';
import {
  ALL,
  filterOptions,
  interpolate,
  parseVariableQuery,
  splitCustom,
  type BuiltinValues,
  type VariableValue,
} from './variables';

export interface ResolvedVariable {
  variable: Variable;
  options: string[];
  selected: string[];
  error?: string;
}

async function fetchOptions(
  query: string,
  window: { startMs: number; endMs: number },
  signal: AbortSignal,
): Promise<string[]> {
  const q = parseVariableQuery(query);
  const range = `start=${window.startMs / 1000}&end=${window.endMs / 1000}`;
  switch (q.kind) {
    case 'label_values': {
      const match = q.match === undefined ? '' : `&match[]=${encodeURIComponent(q.match)}`;
      return apiGet<string[]>(
        `/label/${encodeURIComponent(q.label)}/values?${range}${match}`,
        signal,
      );
    }
    case 'label_names': {
      const match = q.match === undefined ? '' : `&match[]=${encodeURIComponent(q.match)}`;
      return apiGet<string[]>(`/labels?${range}${match}`, signal);
    }
    case 'metrics': {
      const names = await apiGet<string[]>(`/label/__name__/values?${range}`, signal);
      return filterOptions(names, q.regex);
    }
    case 'query_result':
    case 'promql': {
      const data = await apiGet<QueryData>(
        `/query?query=${encodeURIComponent(q.expr)}&time=${window.endMs / 1000}`,
        signal,
      );
      if (data.resultType !== 'vector') return [];
      return data.result.map((s) => {
        // One label (after aggregation by it) gives its value; otherwise the series text.
        const labels = Object.entries(s.metric).filter(([k]) => k !== '__name__');
        return q.kind === 'promql' && labels.length === 1
          ? labels[0]![1]
          : JSON.stringify(s.metric);
      });
    }
  }
}

function pick(v: Variable, options: string[], fromUrl: string[] | undefined): string[] {
  const wanted = fromUrl ?? v.current;
  const valid = wanted.filter((x) => (x === ALL ? v.includeAll : options.includes(x)));
  if (valid.length > 0) return v.multi ? valid : [valid[0]!];
  if (v.includeAll && v.multi && wanted.length === 0) return [ALL];
  return options.length > 0 ? [options[0]!] : [];
}

/**
 * @param urlVars selections from the URL
 * @param tick bump to fetch options again (the dashboard's refresh button)
 */
export function useVariables(
  variables: readonly Variable[],
  urlVars: ReadonlyMap<string, string[]>,
  window: { startMs: number; endMs: number },
  builtins: BuiltinValues,
  tick: number,
): ResolvedVariable[] | null {
  const [fetched, setFetched] = useState<ResolvedVariable[] | null>(null);
  const key = JSON.stringify([variables, [...urlVars], tick]);
  useEffect(() => {
    const controller = new AbortController();
    (async () => {
      const out: ResolvedVariable[] = [];
      const values = new Map<string, VariableValue>();
      for (const v of variables) {
        let options: string[] = [];
        let error: string | undefined;
        try {
          if (v.type === 'query') {
            const query = interpolate(v.query, values, builtins);
            options = filterOptions(await fetchOptions(query, window, controller.signal), v.regex);
          } else {
            options = filterOptions(splitCustom(v.query), v.regex);
          }
        } catch (err) {
          if (controller.signal.aborted) return;
          error = err instanceof Error ? err.message : String(err);
        }
        const selected = pick(v, options, urlVars.get(v.name));
        values.set(v.name, { selected, options, regex: v.multi || v.includeAll });
        out.push({ variable: v, options, selected, ...(error === undefined ? {} : { error }) });
      }
      if (!controller.signal.aborted) setFetched(out);
    })().catch(() => {});
    return () => controller.abort();
    // Options follow the definitions, the URL's choices and refreshes, not every time tick.
  }, [key]);
  // A new choice shows at once, on the options fetched last, while options are fetched again.
  return useMemo(() => {
    if (fetched === null) return null;
    const out: ResolvedVariable[] = [];
    for (const v of variables) {
      const last = fetched.find((r) => r.variable.name === v.name);
      // A variable whose options have not arrived yet: panels wait rather than query with
      // an empty value.
      if (last === undefined) return null;
      out.push({ ...last, variable: v, selected: pick(v, last.options, urlVars.get(v.name)) });
    }
    return out;
  }, [fetched, variables, urlVars]);
}

/** The substitution map of resolved variables. */
export function variableValues(resolved: readonly ResolvedVariable[]): Map<string, VariableValue> {
  return new Map(
    resolved.map((r) => [r.variable.name, { selected: r.selected, options: r.options }]),
  );
}
