import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileFilter } from './filter/compile.js';
import { DocColumns, type DictionaryMode } from './filter/doc-columns.js';
import { compileKql } from './kql/compile.js';
import { KqlCompileError, KqlSyntaxError } from './kql/errors.js';
import { parse } from './kql/parse.js';
import { FIXTURE_DOCS, readCases } from './testdata/fixture.js';

const NOW = Date.UTC(2024, 4, 6, 12);

const docs = FIXTURE_DOCS;
const sources = docs.map((d) => d._source);

/** The ids of the matching documents as the data file writes them, or the error. */
function run(input: string, dictionary: DictionaryMode): string {
  let filter;
  try {
    filter = compileFilter(compileKql(parse(input), { now: NOW, query: input }));
  } catch (err) {
    if (err instanceof KqlSyntaxError || err instanceof KqlCompileError) {
      return `error: ${err.line}:${err.column}: ${err.shortMessage}`;
    }
    throw err;
  }
  const cols = new DocColumns(sources, { dictionary });
  const bits = new Uint8Array(cols.length).fill(1);
  filter.apply(cols, bits);
  const ids = docs.filter((_, i) => bits[i] === 1).map((d) => d._id);
  if (ids.length === 0) return '(none)';
  return ids.length === docs.length ? '(all)' : ids.join(' ');
}

test('testdata/kql-match.txt: each query matches exactly the listed documents', () => {
  const all = readCases('kql-match.txt');
  assert.ok(all.length >= 80, `${all.length} cases`);
  assert.ok(all.filter((c) => c.expected.startsWith('error: ')).length >= 10);
  const failures: string[] = [];
  for (const { line, input, expected } of all) {
    for (const mode of ['auto', 'always', 'off'] as const) {
      const got = run(input, mode);
      if (got !== expected) {
        failures.push(
          `kql-match.txt:${line} (${mode}): ${input}\n  want ${expected}\n  got  ${got}`,
        );
        break;
      }
    }
  }
  assert.deepEqual(failures, []);
});

test('compile errors show the query and mark the node', () => {
  const q = 'level:error and @timestamp < now-1x';
  assert.throws(() => compileKql(parse(q), { now: NOW, query: q }), {
    name: 'KqlCompileError',
    message: `${'cannot compile range: cannot parse date math "now-1x": expected a unit (y M w d h H m s ms) but found "x" at offset 5'}\n${q}\n${'-'.repeat(16)}${'^'.repeat(19)}`,
  });
});
