import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runVigil } from '../harness/vigil.js';

const CASES = fileURLToPath(new URL('testdata/rules/', import.meta.url));
const files = (kind: string) =>
  readdirSync(join(CASES, kind))
    .filter((f) => f.endsWith('.yml'))
    .map((f) => join(CASES, kind, f));

function promtool(file: string): number | null {
  return spawnSync('promtool', ['check', 'rules', file], { encoding: 'utf8' }).status;
}

// Debian's promtool (Prometheus 2.42) is the reference: every file it accepts Vigil accepts,
// every file it rejects Vigil rejects, and Vigil names the line and key of the problem.
test('check rules accepts what promtool accepts', async (t) => {
  for (const file of files('good')) {
    await t.test(file.slice(CASES.length), async () => {
      assert.equal(promtool(file), 0, 'promtool accepts it');
      const r = await runVigil(['check', 'rules', file]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /SUCCESS: \d+ rules found/);
    });
  }
});

test('check rules rejects what promtool rejects, at file:line:col: key', async (t) => {
  const bad = files('bad');
  const r = await runVigil(['check', 'rules', ...bad]);
  assert.equal(r.code, 1, r.stderr);
  for (const file of bad) {
    await t.test(file.slice(CASES.length), () => {
      assert.equal(promtool(file), 1, 'promtool rejects it');
      const want = readFileSync(file, 'utf8')
        .split('\n', 1)[0]!
        .replace(/^# want: /, '');
      assert.ok(r.stderr.includes(`${file}:${want}\n`), `want ${want} in\n${r.stderr}`);
    });
  }
});
