/**
 * @module
 * The dashboard document: what the API stores, the provisioning folder holds and the web app
 * draws. It follows Grafana's shape where a Grafana user would look for something (panels with a
 * 24-column `gridPos`, `targets`, `templating`-style variables named `$var`, `time.from`/`to` as
 * `now-6h`) but keeps only the fields Vigil's panels use. {@link parseDashboard} validates a
 * document and names the field at fault (`panels[1].gridPos.w: …`).
 */

import { z } from 'zod';

/** Columns of the panel grid, as in Grafana. */
export const GRID_COLUMNS = 24;

/** The panel kinds the web app draws. PromQL kinds read `targets[].expr`; logs kinds `logs`. */
export const PANEL_TYPES = [
  'timeseries',
  'stat',
  'gauge',
  'bargauge',
  'table',
  'logs',
  'logvolume',
] as const;
export type PanelType = (typeof PANEL_TYPES)[number];

/** Variable kinds: `query` takes `label_values(…)` or a PromQL query, `custom` a comma list. */
export const VARIABLE_TYPES = ['query', 'custom', 'interval'] as const;

const UID = /^[A-Za-z0-9_-]{1,40}$/;
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const gridPos = z
  .object({
    x: z
      .number()
      .int()
      .min(0)
      .max(GRID_COLUMNS - 1),
    y: z.number().int().min(0),
    w: z.number().int().min(1).max(GRID_COLUMNS),
    h: z.number().int().min(1).max(100),
  })
  .refine((g) => g.x + g.w <= GRID_COLUMNS, {
    message: `x + w must be at most ${GRID_COLUMNS}`,
    path: ['w'],
  });

const target = z.object({
  /** PromQL; may use variables. */
  expr: z.string(),
  /** Series name template: `{{label}}` is replaced by the series' label value. */
  legendFormat: z.string().optional(),
  /** Shown as an instant value (stat, gauge, table) or over the range (timeseries). */
  instant: z.boolean().optional(),
});

const threshold = z.object({ value: z.number().nullable(), color: z.string().min(1) });

const panel = z.object({
  id: z.number().int().nonnegative(),
  type: z.enum(PANEL_TYPES),
  title: z.string().max(200).default(''),
  description: z.string().optional(),
  gridPos,
  /** PromQL queries (time series, stat, gauge, bar gauge, table). */
  targets: z.array(target).default([]),
  /** KQL query and index pattern (logs, log volume). */
  logs: z
    .object({
      query: z.string().default(''),
      index: z.string().default(''),
      /** Log volume: split bars by this field's top values. */
      splitBy: z.string().optional(),
      /** Logs: most lines shown. */
      limit: z.number().int().min(1).max(10_000).optional(),
    })
    .optional(),
  options: z
    .object({
      unit: z.string().optional(),
      decimals: z.number().int().min(0).max(10).optional(),
      min: z.number().optional(),
      max: z.number().optional(),
      stacked: z.boolean().optional(),
      /** Stat and gauge: how a series becomes one number. */
      reduce: z.enum(['last', 'mean', 'max', 'min', 'sum']).optional(),
      /** Stat: show the value, or the series' name (its legend), e.g. a version label. */
      textMode: z.enum(['value', 'name']).optional(),
      thresholds: z.array(threshold).optional(),
    })
    .default({}),
});

const variable = z.object({
  name: z.string().regex(VARIABLE_NAME, 'must be a name like my_var'),
  label: z.string().optional(),
  type: z.enum(VARIABLE_TYPES),
  /** `label_values(metric, label)`, `label_values(label)`, PromQL; or `a,b,c` for custom/interval. */
  query: z.string(),
  /** A regular expression values must match; a capture group picks the part shown. */
  regex: z.string().optional(),
  multi: z.boolean().default(false),
  includeAll: z.boolean().default(false),
  /** The selected values; `$__all` stands for every value. */
  current: z.array(z.string()).default([]),
});

const dashboardShape = z.object({
  uid: z.string().regex(UID, 'must be 1-40 letters, digits, "-" or "_"'),
  title: z.string().trim().min(1, 'must not be empty').max(200),
  description: z.string().optional(),
  tags: z.array(z.string().min(1)).default([]),
  time: z
    .object({ from: z.string().min(1), to: z.string().min(1) })
    .default({ from: 'now-1h', to: 'now' }),
  /** Auto-refresh interval (`30s`), empty for none. */
  refresh: z.string().default(''),
  variables: z.array(variable).default([]),
  panels: z.array(panel).default([]),
  /** Increased by one on each save; a save naming an older version is refused. */
  version: z.number().int().nonnegative().default(0),
});

export type Dashboard = z.output<typeof dashboardShape>;
export type Panel = Dashboard['panels'][number];
export type Variable = Dashboard['variables'][number];

const dashboardSchema = dashboardShape.superRefine((d, ctx) => {
  const ids = new Set<number>();
  d.panels.forEach((p, i) => {
    if (ids.has(p.id)) {
      ctx.addIssue({ code: 'custom', path: ['panels', i, 'id'], message: `duplicate id ${p.id}` });
    }
    ids.add(p.id);
  });
  const names = new Set<string>();
  d.variables.forEach((v, i) => {
    if (names.has(v.name)) {
      ctx.addIssue({
        code: 'custom',
        path: ['variables', i, 'name'],
        message: `duplicate variable ${v.name}`,
      });
    }
    names.add(v.name);
  });
});

/** A document that is not a valid dashboard; `field` is the path of the first fault. */
export class DashboardValidationError extends Error {
  override name = 'DashboardValidationError';
  constructor(
    readonly field: string,
    readonly reason: string,
    readonly problems: readonly string[],
  ) {
    super(`invalid dashboard: ${problems.join('; ')}`);
  }
}

/** `['panels', 1, 'gridPos', 'w']` → `panels[1].gridPos.w`. */
function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out === '' ? String(p) : `.${String(p)}`;
  }
  return out === '' ? '(document)' : out;
}

/**
 * Validates `doc` and fills defaults.
 *
 * @throws DashboardValidationError naming each field at fault
 * @example
 * parseDashboard({ uid: 'x', title: 'X', panels: [] }).time; // { from: 'now-1h', to: 'now' }
 */
export function parseDashboard(doc: unknown): Dashboard {
  const parsed = dashboardSchema.safeParse(doc);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${fieldPath(i.path)}: ${i.message}`);
  const first = parsed.error.issues[0]!;
  throw new DashboardValidationError(fieldPath(first.path), first.message, problems);
}

/** Whether `uid` can name a dashboard (and its file). */
export function isValidUid(uid: string): boolean {
  return UID.test(uid);
}
