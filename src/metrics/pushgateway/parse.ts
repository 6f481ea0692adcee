/**
 * @module
 * A pushed text-format 0.0.4 body → metric families, read with our exposition parser and
 * grouped the way the Pushgateway's parser (Go's `expfmt.TextParser`) groups them: samples of a
 * name join that name's family wherever they appear; `_sum`, `_count` (and `_bucket`) samples
 * join a summary (histogram) family of the base name; samples of one summary or histogram with
 * the same labels form one metric. The Pushgateway's parser is stricter than a scraper's in a
 * few places, and so is this reader, since a push it refuses must be refused here too: the last
 * line must end in a line feed, a TYPE line may not follow the family's samples or another TYPE
 * line, a HELP line may not repeat, and label values know only the `\\`, `\"` and `\n` escapes.
 */

import { compareUtf8 } from '../../lib/strings/utf8-order.js';
import { createParser, ParseError } from '../model/textparse/parser.js';
import { parseGoFloat } from '../model/textparse/number.js';
import { PushParseError } from './errors.js';
import type { FamilyType, LabelPair, PushedFamily, PushedMetric } from './family.js';

interface Building {
  family: PushedFamily;
  /** Set by a TYPE line or by the first sample: a later TYPE line is an error. */
  typed: boolean;
  /** Summary and histogram metrics by their label set, to merge their lines. */
  byLabels: Map<string, PushedMetric>;
}

const TYPES: Record<string, FamilyType> = {
  counter: 'counter',
  gauge: 'gauge',
  summary: 'summary',
  histogram: 'histogram',
  unknown: 'untyped',
};

/**
 * Reads a pushed body. Throws {@link PushParseError} where the Pushgateway answers 400 for a
 * malformed body. Timestamps are kept on the metrics: refusing them is the store's check, since
 * a refused push still marks its group as failed.
 *
 * @example
 * const families = parsePushBody(Buffer.from('# TYPE jobs_done counter\njobs_done 3\n'));
 * families.get('jobs_done')?.metrics[0]?.value; // 3
 */
export function parsePushBody(body: Buffer): Map<string, PushedFamily> {
  const families = new Map<string, Building>();
  if (body.length > 0 && body[body.length - 1] !== 0x0a) {
    throw new PushParseError('unexpected end of input stream: the last line must end in "\\n"');
  }
  const p = createParser(body, 'text/plain; version=0.0.4');
  try {
    for (let kind = p.next(); kind !== null; kind = p.next()) {
      if (kind === 'type') {
        const [name, type] = p.type();
        const b = resolve(families, name);
        if (b.typed) {
          throw new PushParseError(
            `second TYPE line for metric name ${JSON.stringify(name)}, or TYPE reported after samples`,
          );
        }
        const t = TYPES[type];
        if (t === undefined) {
          throw new PushParseError(`unknown metric type ${JSON.stringify(type)}`);
        }
        b.family.type = t;
        b.typed = true;
      } else if (kind === 'help') {
        const [name, text] = p.help();
        const b = resolve(families, name);
        if (b.family.help !== null) {
          throw new PushParseError(`second HELP line for metric name ${JSON.stringify(name)}`);
        }
        b.family.help = text;
      } else if (kind === 'series') {
        addSample(families, p.series(), p.value(), p.timestamp());
      }
    }
  } catch (err) {
    if (err instanceof ParseError) throw new PushParseError(err.message, { cause: err });
    throw err;
  }
  const out = new Map<string, PushedFamily>();
  for (const [name, b] of families) out.set(name, b.family);
  return out;
}

/** The family a sample or metadata name belongs to, created untyped when new. */
function resolve(families: Map<string, Building>, name: string): Building {
  const own = families.get(name);
  if (own !== undefined) return own;
  for (const [suffix, types] of SUFFIX_TYPES) {
    if (!name.endsWith(suffix)) continue;
    const base = families.get(name.slice(0, -suffix.length));
    if (base !== undefined && types.includes(base.family.type)) return base;
  }
  const b: Building = {
    family: { name, help: null, type: 'untyped', metrics: [] },
    typed: false,
    byLabels: new Map(),
  };
  families.set(name, b);
  return b;
}

const SUFFIX_TYPES: readonly (readonly [string, readonly FamilyType[]])[] = [
  ['_sum', ['summary', 'histogram']],
  ['_count', ['summary', 'histogram']],
  ['_bucket', ['histogram']],
];

function addSample(
  families: Map<string, Building>,
  series: string,
  value: number,
  timestamp: number | null,
): void {
  const { name, labels } = splitSeries(series);
  const b = resolve(families, name);
  b.typed = true;
  const f = b.family;
  if (f.type !== 'summary' && f.type !== 'histogram') {
    f.metrics.push({ labels, value, points: [], sum: 0, count: 0, timestamp });
    return;
  }
  const suffix = name.slice(f.name.length);
  const special = f.type === 'summary' ? 'quantile' : 'le';
  const own = labels.filter((l) => l[0] !== special);
  const key = own.map(([n, v]) => `${n}\xff${v}`).join('\xff');
  let m = b.byLabels.get(key);
  if (m === undefined) {
    m = { labels: own, value: 0, points: [], sum: 0, count: 0, timestamp: null };
    b.byLabels.set(key, m);
    f.metrics.push(m);
  }
  if (timestamp !== null) m.timestamp = timestamp;
  if (suffix === '_sum') {
    m.sum = value;
  } else if (suffix === '_count') {
    m.count = toCount(value);
  } else {
    const bound = labels.find((l) => l[0] === special);
    const at = bound === undefined ? undefined : parseGoFloat(bound[1]);
    if (at === undefined) {
      throw new PushParseError(
        `${f.type} sample ${JSON.stringify(series)} needs a numeric ${JSON.stringify(special)} label`,
      );
    }
    m.points.push([at, f.type === 'summary' ? value : toCount(value)]);
  }
}

/** Counts are uint64 in the Pushgateway: fractions are cut off. */
function toCount(v: number): number {
  return Number.isFinite(v) ? Math.max(0, Math.trunc(v)) : 0;
}

/**
 * Splits a series the parser has already checked (`name{a="x",…}`, names possibly quoted) into
 * its name and label pairs, keeping empty values, which the parser's label sets drop.
 */
function splitSeries(series: string): { name: string; labels: LabelPair[] } {
  const brace = series.indexOf('{');
  let name = brace === -1 ? series : series.slice(0, brace);
  const labels: [string, string][] = [];
  if (brace !== -1) {
    let i = brace + 1;
    const end = series.length - 1;
    while (i < end) {
      while (series[i] === ' ' || series[i] === '\t' || series[i] === ',') i++;
      if (i >= end) break;
      let key: string;
      if (series[i] === '"') {
        [key, i] = readQuoted(series, i);
      } else {
        const stop = series.slice(i).search(/[\s=,}]/);
        key = series.slice(i, i + stop);
        i += stop;
      }
      while (series[i] === ' ' || series[i] === '\t') i++;
      if (series[i] !== '=') {
        // A quoted name standing alone inside the braces is the metric name.
        name = key;
        continue;
      }
      i++;
      while (series[i] === ' ' || series[i] === '\t') i++;
      let value: string;
      [value, i] = readQuoted(series, i);
      labels.push([key, value]);
    }
  }
  labels.sort((a, b) => compareUtf8(a[0], b[0]));
  for (let k = 1; k < labels.length; k++) {
    if (labels[k]![0] === labels[k - 1]![0]) {
      throw new PushParseError(`duplicate label name ${JSON.stringify(labels[k]![0])}`);
    }
  }
  return { name, labels };
}

/** Reads the quoted string at `i`; returns its unescaped text and the offset past it. */
function readQuoted(s: string, i: number): [string, number] {
  let out = '';
  let from = i + 1;
  let j = from;
  for (; s[j] !== '"'; j++) {
    if (s[j] !== '\\') continue;
    const c = s[j + 1];
    const plain = c === '\\' ? '\\' : c === '"' ? '"' : c === 'n' ? '\n' : null;
    if (plain === null) {
      throw new PushParseError(`invalid escape sequence "\\${c ?? ''}" in ${JSON.stringify(s)}`);
    }
    out += s.slice(from, j) + plain;
    j++;
    from = j + 1;
  }
  return [out + s.slice(from, j), j + 1];
}
