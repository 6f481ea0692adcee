/**
 * @module
 * The schema of alertmanager.yml in Alertmanager's own format, so a user's existing file works
 * unchanged: `global`, the `route` tree, `inhibit_rules`, `receivers`, `templates` and
 * `time_intervals` (and their older name `mute_time_intervals`). Beyond the shape of each key it
 * checks what Alertmanager checks across the file — receiver and time interval names defined
 * once and defined where used, the root route's restrictions, `group_by` rules — each problem
 * reported at the key it concerns.
 */

import { z } from 'zod';
import { duration, httpUrl, secret } from '../../config/types.js';
import { httpClientShape } from '../../config/http-client.js';
import { sortMatchers, type Matcher } from '../model/matchers.js';
import { timePeriodSchema } from '../time-interval.js';
import { labelName, matcherList, matchMap, matchReMap } from './fields.js';
import { receiverSchema } from './receivers.js';

/**
 * Alertmanager's `global` keys. Those of integrations Vigil does not deliver to are read and
 * unused, so a file written for Alertmanager loads.
 */
const globalSection = z
  .strictObject({
    resolve_timeout: duration.prefault('5m'),
    http_config: z.strictObject(httpClientShape).prefault({}),
    smtp_from: z.string().optional(),
    smtp_hello: z.string().default('localhost'),
    smtp_smarthost: z.string().optional(),
    smtp_auth_username: z.string().optional(),
    smtp_auth_password: secret.optional(),
    smtp_auth_password_file: z.string().optional(),
    smtp_auth_secret: secret.optional(),
    smtp_auth_identity: z.string().optional(),
    smtp_require_tls: z.boolean().default(true),
    slack_api_url: secret.optional(),
    slack_api_url_file: z.string().optional(),
    pagerduty_url: httpUrl.optional(),
    opsgenie_api_url: httpUrl.optional(),
    opsgenie_api_key: secret.optional(),
    opsgenie_api_key_file: z.string().optional(),
    wechat_api_url: httpUrl.optional(),
    wechat_api_secret: secret.optional(),
    wechat_api_corp_id: z.string().optional(),
    victorops_api_url: httpUrl.optional(),
    victorops_api_key: secret.optional(),
    victorops_api_key_file: z.string().optional(),
    telegram_api_url: httpUrl.optional(),
    webex_api_url: httpUrl.optional(),
  })
  .prefault({});

export interface RouteConfig {
  receiver?: string | undefined;
  /** `['...']` groups by every label. */
  group_by?: string[] | undefined;
  continue: boolean;
  /** `match`, `match_re` and `matchers` together, sorted as Alertmanager sorts them. */
  matchers: Matcher[];
  group_wait?: number | undefined;
  group_interval?: number | undefined;
  repeat_interval?: number | undefined;
  mute_time_intervals: string[];
  active_time_intervals: string[];
  routes: RouteConfig[];
}

const positive = (what: string) =>
  duration.refine((ms) => ms > 0, `${what} cannot be zero`).optional();

const routeSchema: z.ZodType<RouteConfig, unknown> = z
  .strictObject({
    receiver: z.string().optional(),
    group_by: z.array(z.string()).optional(),
    continue: z.boolean().default(false),
    match: matchMap.optional(),
    match_re: matchReMap.optional(),
    matchers: matcherList.optional(),
    group_wait: duration.optional(),
    group_interval: positive('group_interval'),
    repeat_interval: positive('repeat_interval'),
    mute_time_intervals: z.array(z.string()).default([]),
    active_time_intervals: z.array(z.string()).default([]),
    get routes() {
      return z.array(routeSchema).default([]);
    },
  })
  .superRefine((r, ctx) => {
    const seen = new Set<string>();
    (r.group_by ?? []).forEach((l, i) => {
      if (l !== '...' && !labelName.safeParse(l).success) {
        ctx.addIssue({
          code: 'custom',
          path: ['group_by', i],
          message: `invalid label name "${l}"`,
        });
      }
      if (seen.has(l)) {
        ctx.addIssue({
          code: 'custom',
          path: ['group_by', i],
          message: `duplicated label "${l}" in group_by`,
        });
      }
      seen.add(l);
    });
    if (seen.has('...') && seen.size > 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['group_by'],
        message: 'cannot have wildcard group_by (`...`) and other labels at the same time',
      });
    }
  })
  .transform(({ match, match_re, matchers, ...r }) => ({
    ...r,
    matchers: sortMatchers([...(match ?? []), ...(match_re ?? []), ...(matchers ?? [])]),
  }));

const inhibitRule = z
  .strictObject({
    source_match: matchMap.optional(),
    source_match_re: matchReMap.optional(),
    source_matchers: matcherList.optional(),
    target_match: matchMap.optional(),
    target_match_re: matchReMap.optional(),
    target_matchers: matcherList.optional(),
    equal: z.array(labelName).default([]),
  })
  .transform((r) => ({
    source: [...(r.source_match ?? []), ...(r.source_match_re ?? []), ...(r.source_matchers ?? [])],
    target: [...(r.target_match ?? []), ...(r.target_match_re ?? []), ...(r.target_matchers ?? [])],
    equal: r.equal,
  }));

const timeInterval = z.strictObject({
  name: z.string().min(1),
  time_intervals: z.array(timePeriodSchema),
});

export const alertmanagerConfigSchema = z
  .strictObject({
    global: globalSection,
    route: routeSchema.optional(),
    inhibit_rules: z.array(inhibitRule).default([]),
    receivers: z.array(receiverSchema).default([]),
    templates: z.array(z.string()).default([]),
    time_intervals: z.array(timeInterval).default([]),
    /** The older name of time_intervals, still read by Alertmanager. */
    mute_time_intervals: z.array(timeInterval).default([]),
  })
  .superRefine((c, ctx) => checkReferences(c, ctx));

type Parsed = z.output<typeof alertmanagerConfigSchema>;
export type AlertmanagerConfig = Omit<Parsed, 'route'> & { route: RouteConfig };
export type InhibitRuleConfig = Parsed['inhibit_rules'][number];
export type TimeIntervalConfig = Parsed['time_intervals'][number];

type Ctx = z.core.$RefinementCtx<unknown>;

/** What Alertmanager requires of an integration once `global` defaults are applied. */
function checkIntegrations(c: Parsed, ctx: Ctx): void {
  const g = c.global;
  c.receivers.forEach((r, i) => {
    r.email_configs.forEach((e, j) => {
      const path = ['receivers', i, 'email_configs', j];
      if (e.smarthost === undefined && g.smtp_smarthost === undefined) {
        ctx.addIssue({ code: 'custom', path, message: 'no global SMTP smarthost set' });
      }
      if (e.from === undefined && g.smtp_from === undefined) {
        ctx.addIssue({ code: 'custom', path, message: 'no global SMTP from set' });
      }
      const seen = new Set<string>();
      for (const h of Object.keys(e.headers)) {
        if (seen.has(h.toLowerCase())) {
          ctx.addIssue({
            code: 'custom',
            path: [...path, 'headers', h],
            message: `duplicate header "${h}" in email config`,
          });
        }
        seen.add(h.toLowerCase());
      }
    });
    r.slack_configs.forEach((s, j) => {
      const path = ['receivers', i, 'slack_configs', j];
      if (s.api_url !== undefined && s.api_url_file !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path,
          message: 'at most one of api_url & api_url_file must be configured',
        });
      }
      const none = (a: unknown, b: unknown) => a === undefined && b === undefined;
      if (none(s.api_url, s.api_url_file) && none(g.slack_api_url, g.slack_api_url_file)) {
        ctx.addIssue({ code: 'custom', path, message: 'no global Slack API URL set' });
      }
    });
  });
}

function checkReferences(c: Omit<Parsed, never>, ctx: Ctx): void {
  checkIntegrations(c, ctx);
  const receivers = new Set<string>();
  c.receivers.forEach((r, i) => {
    if (receivers.has(r.name)) {
      ctx.addIssue({
        code: 'custom',
        path: ['receivers', i, 'name'],
        message: `notification config name "${r.name}" is not unique`,
      });
    }
    receivers.add(r.name);
  });
  const intervals = new Set<string>();
  for (const key of ['time_intervals', 'mute_time_intervals'] as const) {
    c[key].forEach((t, i) => {
      if (intervals.has(t.name)) {
        ctx.addIssue({
          code: 'custom',
          path: [key, i, 'name'],
          message: `time interval "${t.name}" is not unique`,
        });
      }
      intervals.add(t.name);
    });
  }
  if (c.route === undefined) {
    ctx.addIssue({ code: 'custom', path: ['route'], message: 'no routes provided' });
    return;
  }
  const root = c.route;
  // A route that failed its own checks is not reshaped yet; its problems are already reported.
  const intact = (r: RouteConfig): boolean =>
    Array.isArray(r.matchers) && Array.isArray(r.routes) && r.routes.every(intact);
  if (!intact(root)) return;
  if (root.receiver === undefined || root.receiver === '') {
    ctx.addIssue({
      code: 'custom',
      path: ['route', 'receiver'],
      message: 'root route must specify a default receiver',
    });
  }
  if (root.matchers.length > 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['route'],
      message: 'root route must not have any matchers',
    });
  }
  if (root.continue) {
    ctx.addIssue({
      code: 'custom',
      path: ['route', 'continue'],
      message: 'cannot have continue in root route',
    });
  }
  if (root.mute_time_intervals.length > 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['route', 'mute_time_intervals'],
      message: 'root route must not have any mute time intervals',
    });
  }
  if (root.active_time_intervals.length > 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['route', 'active_time_intervals'],
      message: 'root route must not have any active time intervals',
    });
  }
  const walk = (r: RouteConfig, path: (string | number)[]) => {
    if (r.receiver !== undefined && !receivers.has(r.receiver)) {
      ctx.addIssue({
        code: 'custom',
        path: [...path, 'receiver'],
        message: `undefined receiver "${r.receiver}" used in route`,
      });
    }
    for (const key of ['mute_time_intervals', 'active_time_intervals'] as const) {
      r[key].forEach((name, i) => {
        if (!intervals.has(name)) {
          ctx.addIssue({
            code: 'custom',
            path: [...path, key, i],
            message: `undefined time interval "${name}" used in route`,
          });
        }
      });
    }
    r.routes.forEach((child, i) => walk(child, [...path, 'routes', i]));
  };
  walk(root, ['route']);
}
