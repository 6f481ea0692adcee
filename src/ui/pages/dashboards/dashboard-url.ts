/**
 * @module
 * A dashboard view's state in the URL, in Grafana's parameter names so links read the same:
 * `/dashboards?uid=…&from=now-6h&to=now&refresh=30s&var-job=a&var-job=b`. A parameter left out
 * means the dashboard's saved default. Pure, tested beside this file.
 */

export interface DashboardUrlState {
  uid: string | null;
  from?: string;
  to?: string;
  refresh?: string;
  /** Variable name → selected values, for variables named in the URL. */
  vars: Map<string, string[]>;
}

/** @example parseDashboardSearch('?uid=a&var-x=1&var-x=2').vars.get('x') // ['1','2'] */
export function parseDashboardSearch(search: string): DashboardUrlState {
  const p = new URLSearchParams(search);
  const vars = new Map<string, string[]>();
  for (const [k, v] of p) {
    if (!k.startsWith('var-')) continue;
    const name = k.slice(4);
    vars.set(name, [...(vars.get(name) ?? []), v]);
  }
  const opt = (k: string) => p.get(k) ?? undefined;
  return { uid: p.get('uid'), from: opt('from'), to: opt('to'), refresh: opt('refresh'), vars };
}

/** The query string for a state; the inverse of {@link parseDashboardSearch}. */
export function formatDashboardSearch(s: DashboardUrlState): string {
  const p = new URLSearchParams();
  if (s.uid !== null) p.set('uid', s.uid);
  if (s.from !== undefined) p.set('from', s.from);
  if (s.to !== undefined) p.set('to', s.to);
  if (s.refresh !== undefined) p.set('refresh', s.refresh);
  for (const [name, values] of s.vars) for (const v of values) p.append(`var-${name}`, v);
  const text = p.toString();
  return text === '' ? '' : `?${text}`;
}
