/**
 * @module
 * Field types of alertmanager.yml shared by its sections: matcher lists (`matchers`,
 * `source_matchers`…), the legacy `match`/`match_re` maps, and label names.
 */

import { z } from 'zod';
import { isLabelName } from '../model/labels.js';
import { Matcher, MatcherError, parseMatchers, sortMatchers } from '../model/matchers.js';

type Ctx = z.core.$RefinementCtx<unknown>;

/** A list of matcher strings, each of which may hold several (`a="1",b="2"`), sorted. */
export const matcherList = z.array(z.string()).transform((lines, ctx: Ctx) => {
  const out: Matcher[] = [];
  lines.forEach((line, i) => {
    try {
      out.push(...parseMatchers(line));
    } catch (err) {
      if (!(err instanceof MatcherError)) throw err;
      ctx.addIssue({ code: 'custom', path: [i], message: err.message });
    }
  });
  return sortMatchers(out);
});

function checkNames(map: Record<string, string>, ctx: Ctx): void {
  for (const name of Object.keys(map)) {
    if (!isLabelName(name)) {
      ctx.addIssue({ code: 'custom', path: [name], message: `invalid label name "${name}"` });
    }
  }
}

/** Legacy `match:` — label name to exact value. */
export const matchMap = z
  .record(z.string(), z.string())
  .superRefine(checkNames)
  .transform((m) => Object.entries(m).map(([n, v]) => new Matcher('=', n, v)));

/** Legacy `match_re:` — label name to regular expression. */
export const matchReMap = z
  .record(z.string(), z.string())
  .superRefine(checkNames)
  .transform((m, ctx: Ctx) => {
    const out: Matcher[] = [];
    for (const [n, v] of Object.entries(m)) {
      try {
        out.push(new Matcher('=~', n, v));
      } catch (err) {
        ctx.addIssue({ code: 'custom', path: [n], message: (err as Error).message });
      }
    }
    return out;
  });

export const labelName = z.string().superRefine((v, ctx) => {
  if (!isLabelName(v)) ctx.addIssue({ code: 'custom', message: `invalid label name "${v}"` });
});
