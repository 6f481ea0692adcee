/**
 * @module
 * Alert label and annotation templates, as Prometheus expands them: the text runs with
 * `$labels`, `$externalLabels`, `$externalURL` and `$value` declared (the same declarations
 * Prometheus prepends, on the template's first line, so line numbers in errors match), under the
 * name `__alert_<rule name>`. A template that fails to run expands to
 * `<error expanding template: …>`, as in Prometheus, so one bad annotation never stops an alert.
 */

import { execute } from '../../lib/template/exec.js';
import { TemplateSyntaxError } from '../../lib/template/lex.js';
import { parseTemplate, type Template } from '../../lib/template/parse.js';
import {
  templateFunctions,
  TEMPLATE_FUNCTION_NAMES,
  type TemplateQuery,
} from './template-funcs.js';

const PREFIX =
  '{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}';

/**
 * Parses an alert template; the error message reads like Prometheus'
 * (`template: __alert_HighLoad:1: unexpected EOF`).
 *
 * @throws {Error} with that message; `cause` is the {@link TemplateSyntaxError}.
 * @example
 * const t = parseAlertTemplate('HighLoad', '{{ $labels.instance }} is at {{ humanize $value }}');
 */
export function parseAlertTemplate(ruleName: string, text: string): Template {
  const name = `__alert_${ruleName}`;
  try {
    return parseTemplate(name, PREFIX + text, TEMPLATE_FUNCTION_NAMES);
  } catch (err) {
    if (!(err instanceof TemplateSyntaxError)) throw err;
    throw new Error(`template: ${name}:${err.line}: ${err.reason}`, { cause: err });
  }
}

/** What an alert template sees. */
export interface AlertTemplateData {
  labels: Readonly<Record<string, string>>;
  externalLabels: Readonly<Record<string, string>>;
  externalURL: string;
  value: number;
  query: TemplateQuery;
}

/**
 * The function map of one evaluation's query: a rule's alerts share it, instead of building
 * ~25 closures per alert (about 2 % of bench/rules.bench.ts' CPU with 64 000 alerts).
 */
const functionCache = new WeakMap<
  TemplateQuery,
  { externalURL: string; functions: ReturnType<typeof templateFunctions> }
>();

function functionsFor(d: AlertTemplateData): ReturnType<typeof templateFunctions> {
  const cached = functionCache.get(d.query);
  if (cached !== undefined && cached.externalURL === d.externalURL) return cached.functions;
  const functions = templateFunctions({ query: d.query, externalURL: d.externalURL });
  functionCache.set(d.query, { externalURL: d.externalURL, functions });
  return functions;
}

/**
 * Expands a parsed template; failures become Prometheus' `<error expanding template: …>` text.
 *
 * @example
 * await expandAlertTemplate(t, { labels, externalLabels: {}, externalURL: '', value: 1, query });
 */
export async function expandAlertTemplate(t: Template, d: AlertTemplateData): Promise<string> {
  try {
    return await execute(
      t,
      {
        Labels: d.labels,
        ExternalLabels: d.externalLabels,
        ExternalURL: d.externalURL,
        Value: d.value,
      },
      functionsFor(d),
    );
  } catch (err) {
    return `<error expanding template: ${err instanceof Error ? err.message : String(err)}>`;
  }
}
