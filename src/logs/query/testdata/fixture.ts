/**
 * @module
 * The query suites' shared pieces: the documents of `docs.json` and the reader of the data
 * files (`kql-match.txt`, `lucene-match.txt`, `dsl-match.txt`) whose lines are
 * `input ==> expected`, with blank lines and `#` comments skipped, and how a Lucene line becomes
 * a query body.
 */

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

export interface FixtureDoc {
  _id: string;
  _source: Record<string, unknown>;
}

/** The documents every query suite runs against. */
export const FIXTURE_DOCS = JSON.parse(
  readFileSync(new URL('docs.json', import.meta.url), 'utf8'),
) as FixtureDoc[];

/** The cases of a data file in this folder, with their line numbers. */
export function readCases(file: string): { line: number; input: string; expected: string }[] {
  const text = readFileSync(new URL(file, import.meta.url), 'utf8');
  return text.split('\n').flatMap((raw, i) => {
    if (raw.trim() === '' || raw.startsWith('#')) return [];
    const at = raw.indexOf(' ==> ');
    assert.ok(at >= 0, `${file}:${i + 1}: no " ==> "`);
    return [{ line: i + 1, input: raw.slice(0, at), expected: raw.slice(at + 5) }];
  });
}

/** The `query_string` query of a lucene-match.txt line: `[and]` and `[field=x]` prefixes set its options. */
export function luceneBody(input: string): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  let rest = input;
  for (;;) {
    const m = /^\[(and|field=[^\]]+)\] /.exec(rest);
    if (m === null) break;
    if (m[1] === 'and') body.default_operator = 'AND';
    else body.default_field = m[1]!.slice(6);
    rest = rest.slice(m[0].length);
  }
  return { query_string: { ...body, query: rest } };
}
