import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MetricFamily } from './family.js';
import { OPENMETRICS_CONTENT_TYPE, writeOpenMetrics } from './openmetrics-format.js';
import { registerProcessMetrics } from './process-collector.js';
import { Registry } from './registry.js';

test('OpenMetrics escapes help (including quotes) and label values', () => {
  const family: MetricFamily = {
    name: 'vigil_paths',
    help: 'Paths like C:\\tmp.\nSecond line with "quotes".',
    type: 'gauge',
    samples: [{ suffix: '', labels: [['path', 'C:\\tmp\n"x"']], value: 1 }],
  };
  assert.equal(
    writeOpenMetrics([family]),
    '# TYPE vigil_paths gauge\n' +
      '# HELP vigil_paths Paths like C:\\\\tmp.\\nSecond line with \\"quotes\\".\n' +
      'vigil_paths{path="C:\\\\tmp\\n\\"x\\""} 1\n' +
      '# EOF\n',
  );
});

test('OpenMetrics content type', () => {
  assert.equal(
    OPENMETRICS_CONTENT_TYPE,
    'application/openmetrics-text; version=1.0.0; charset=utf-8',
  );
});

test('a full exposition follows the OpenMetrics 1.0 ABNF and structure rules', async () => {
  const registry = new Registry();
  const stop = registerProcessMetrics(registry);
  registry
    .counter({ name: 'vigil_req_total', help: 'Req "x"\\y\nz.', labelNames: ['p'] })
    .labels('a"\\\nb')
    .inc(2);
  registry
    .gauge({ name: 'vigil_ratio', help: 'Ratio.', labelNames: ['k'] })
    .labels('nan')
    .set(NaN);
  const h = registry.histogram({
    name: 'vigil_q_seconds',
    help: 'Q.',
    unit: 'seconds',
    labelNames: ['k'],
  });
  h.labels('a').observe(0.3);
  h.labels('b').observe(42);
  await new Promise((resolve) => setTimeout(resolve, 30));
  const text = registry.expose('openmetrics');
  stop();
  assert.deepEqual(checkOpenMetrics(text), []);
});

test('the checker below rejects broken expositions', () => {
  const broken =
    '# TYPE foo counter\nfoo 1\n# TYPE h histogram\n# HELP h H.\n# UNIT h seconds\n' +
    'h_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_count 1.5\nh{a="x"} 1\n# TYPE foo gauge\n';
  assert.deepEqual(checkOpenMetrics(broken), [
    'does not end with "# EOF\\n"',
    'sample foo does not belong to counter foo',
    'misplaced UNIT: # UNIT h seconds',
    'unit is not a name suffix: # UNIT h seconds',
    'bucket without canonical le: h_bucket{le="1"} 2',
    'buckets not cumulative: h_bucket{le="+Inf"} 1',
    'histogram count is not an integer: h_count 1.5',
    'sample h does not belong to histogram h',
    'family foo interleaved or repeated',
  ]);
});

// A checker for the parts of OpenMetrics 1.0 this library produces, written from the spec's ABNF
// and its MetricFamily, Counter and Histogram sections. It is stricter than the ABNF in one way:
// of the escapes, it accepts only the three the spec says to use.
const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const ESCAPED = '(?:[^"\\\\\\n]|\\\\[n"\\\\])*';
const LABEL = `[a-zA-Z_][a-zA-Z0-9_]*="${ESCAPED}"`;
const REAL = '[+-]?(?:\\d+(?:\\.\\d*)?(?:e[+-]?\\d+)?|\\d*\\.\\d+(?:e[+-]?\\d+)?)';
const NUMBER = `(?:${REAL}|[+-]?inf(?:inity)?|nan)`;
const TYPE_LINE = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|unknown)$`);
const UNIT_LINE = new RegExp(`^# UNIT (${NAME}) ([a-zA-Z0-9_:]*)$`);
const HELP_LINE = new RegExp(`^# HELP (${NAME}) ${ESCAPED}$`);
const SAMPLE_LINE = new RegExp(`^(${NAME})(\\{(?:${LABEL}(?:,${LABEL})*)?\\})? (${NUMBER})$`, 'i');
const SUFFIXES: Record<string, string[]> = {
  counter: ['_total'],
  gauge: [''],
  unknown: [''],
  histogram: ['_bucket', '_sum', '_count'],
};
const CANONICAL_LE = /^(?:\+Inf|-?\d+\.\d+|-?\d(?:\.\d+)?e[+-]\d{2,3})$/;

function checkOpenMetrics(text: string): string[] {
  const problems: string[] = [];
  const eof = text.endsWith('# EOF\n');
  if (!eof) problems.push('does not end with "# EOF\\n"');
  const lines = (eof ? text.slice(0, -'# EOF\n'.length) : text).split('\n').slice(0, -1);
  const seen = new Set<string>();
  let family = '';
  let type = '';
  let meta: string[] = [];
  let prevBucket: { series: string; value: number } | undefined;
  for (const line of lines) {
    const t = TYPE_LINE.exec(line);
    if (t) {
      [, family = '', type = ''] = t;
      if (seen.has(family)) problems.push(`family ${family} interleaved or repeated`);
      seen.add(family);
      meta = ['TYPE'];
      continue;
    }
    const u = UNIT_LINE.exec(line);
    if (u) {
      if (u[1] !== family || meta.join() !== 'TYPE') problems.push(`misplaced UNIT: ${line}`);
      if (!family.endsWith('_' + u[2])) problems.push(`unit is not a name suffix: ${line}`);
      meta.push('UNIT');
      continue;
    }
    if (HELP_LINE.test(line)) {
      if (!line.startsWith(`# HELP ${family} `) || meta.includes('HELP'))
        problems.push(`misplaced HELP: ${line}`);
      meta.push('HELP');
      continue;
    }
    const s = SAMPLE_LINE.exec(line);
    if (!s) {
      problems.push(`not in the grammar: ${line}`);
      continue;
    }
    const [, name = '', labels = '', value = ''] = s;
    if (!SUFFIXES[type]!.some((suffix) => name === family + suffix)) {
      problems.push(`sample ${name} does not belong to ${type} ${family}`);
    }
    if (name.endsWith('_bucket')) {
      const le = /le="([^"]*)"\}$/.exec(labels)?.[1];
      if (le === undefined || !CANONICAL_LE.test(le))
        problems.push(`bucket without canonical le: ${line}`);
      const series = labels.replace(/,?le="[^"]*"/, '');
      if (prevBucket?.series === series && Number(value) < prevBucket.value) {
        problems.push(`buckets not cumulative: ${line}`);
      }
      prevBucket = { series, value: Number(value) };
    }
    if (type === 'histogram' && /_(bucket|count)$/.test(name) && !/^\d+$/.test(value)) {
      problems.push(`histogram count is not an integer: ${line}`);
    }
  }
  return problems;
}
