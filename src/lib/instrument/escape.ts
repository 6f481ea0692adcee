/**
 * @module
 * Escaping and label-set rendering shared by the two writers. Most strings need no escaping, so
 * each function tests for a special character first and returns its input untouched otherwise.
 */
import type { LabelPairs } from './family.js';

const LABEL_SPECIAL = /[\\"\n]/;
const LABEL_SPECIAL_ALL = /[\\"\n]/g;
const TEXT_HELP_SPECIAL = /[\\\n]/;
const TEXT_HELP_SPECIAL_ALL = /[\\\n]/g;

function escapeChar(ch: string): string {
  return ch === '\n' ? '\\n' : '\\' + ch;
}

/**
 * Escapes a label value (both formats) or OpenMetrics help: `\` → `\\`, `"` → `\"`, newline → `\n`.
 *
 * @example
 * escapeLabelValue('C:\\tmp "x"'); // 'C:\\\\tmp \\"x\\"'
 */
export function escapeLabelValue(value: string): string {
  return LABEL_SPECIAL.test(value) ? value.replace(LABEL_SPECIAL_ALL, escapeChar) : value;
}

/**
 * Escapes help text for the text format, which escapes only `\` and newline (quotes stay as is).
 *
 * @example
 * escapeTextHelp('a\nb "c"'); // 'a\\nb "c"'
 */
export function escapeTextHelp(help: string): string {
  return TEXT_HELP_SPECIAL.test(help) ? help.replace(TEXT_HELP_SPECIAL_ALL, escapeChar) : help;
}

/**
 * Series' label sets rendered without the closing brace (`{a="x",b="y"`, or `` with no labels),
 * keyed by the labels array. Metrics hand out the same array on every collection, so a steady
 * series is rendered once; entries go when the array is collected.
 */
const rendered = new WeakMap<LabelPairs, string>();

function openLabels(labels: LabelPairs): string {
  let s = rendered.get(labels);
  if (s === undefined) {
    s = '';
    for (const [name, value] of labels)
      s += `${s === '' ? '{' : ','}${name}="${escapeLabelValue(value)}"`;
    rendered.set(labels, s);
  }
  return s;
}

/**
 * A sample's label set, with `le` (already spelled for the format) appended last when given.
 *
 * @example
 * renderLabels([['method', 'GET']], undefined); // '{method="GET"}'
 * renderLabels([], '+Inf'); // '{le="+Inf"}'
 * renderLabels([], undefined); // ''
 */
export function renderLabels(labels: LabelPairs, le: string | undefined): string {
  const open = labels.length === 0 ? '' : openLabels(labels);
  if (le !== undefined) return `${open === '' ? '{' : open + ','}le="${le}"}`;
  return open === '' ? '' : open + '}';
}
