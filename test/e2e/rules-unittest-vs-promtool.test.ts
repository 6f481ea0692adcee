import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runVigil } from '../harness/vigil.js';

const DIR = fileURLToPath(new URL('testdata/rules-unittest/', import.meta.url));
const FILES = readdirSync(DIR)
  .filter((f) => f.endsWith('.test.yml'))
  .sort();

/** Query error texts are the engines' own; everything else must match byte for byte. */
const normalize = (s: string): string => s.replace(/, err: .*$/gm, ', err: …');

// Debian's promtool (Prometheus 2.42) is the reference: on the same test files, rule files and
// input series, `vigil test rules` must pass and fail the same tests with the same report. A
// report names every failing alert check with its test group and eval_time, and lists the
// firing alerts (labels and annotations) and query samples each tool got, so equal reports
// mean both evaluated the rules to the same states and series at the same times.
for (const name of FILES) {
  test(`test rules ${name}: same result and report as promtool`, async () => {
    const file = join(DIR, name);
    const ref = spawnSync('promtool', ['test', 'rules', file], { encoding: 'utf8' });
    assert.equal(ref.error, undefined, 'promtool runs');
    const r = await runVigil(['test', 'rules', file], 60_000);
    assert.equal(
      r.code,
      ref.status,
      `exit code\n--- vigil\n${r.stderr}\n--- promtool\n${ref.stderr}`,
    );
    assert.equal(r.stdout, ref.stdout);
    assert.equal(normalize(r.stderr), normalize(ref.stderr));
  });
}

test('test rules: the failing file fails in both tools, for the expected checks only', async () => {
  const file = join(DIR, 'failing.test.yml');
  const r = await runVigil(['test', 'rules', file], 60_000);
  assert.equal(r.code, 1);
  const headlines = r.stderr.split('\n').filter((l) => /^ {4}(name|alertname|expr):/.test(l));
  assert.deepEqual(headlines, [
    '    name: fires too early,',
    '    alertname: InstanceDown, time: 4m, ',
    '    name: fires too early,',
    '    alertname: InstanceDown, time: 5m, ',
    '    expr: "job:http_requests:rate5m", time: 6m,',
    '    expr: "job:http_requests:rate5m", time: 30m,',
  ]);
});

test('test rules: several files, exit code 1 when any fails', async () => {
  const files = FILES.map((f) => join(DIR, f));
  const ref = spawnSync('promtool', ['test', 'rules', ...files], { encoding: 'utf8' });
  const r = await runVigil(['test', 'rules', ...files], 60_000);
  assert.equal(ref.status, 1);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, ref.stdout);
});

// Invalid test files fail in both tools; the wording of YAML and parse errors is each tool's
// own, but promtool's own messages (the warning for a rule file pattern matching nothing, a
// group named twice in group_eval_order) are the same.
for (const name of readdirSync(join(DIR, 'invalid')).sort()) {
  test(`test rules invalid/${name}: fails as in promtool`, async () => {
    const file = join(DIR, 'invalid', name);
    const ref = spawnSync('promtool', ['test', 'rules', file], { encoding: 'utf8' });
    const r = await runVigil(['test', 'rules', file], 60_000);
    assert.equal(ref.status, 1);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stdout, ref.stdout);
    const own = (s: string): string[] =>
      s.split('\n').filter((l) => /WARNING|FAILED|repeated in evaluation order/.test(l));
    assert.deepEqual(own(r.stderr), own(ref.stderr));
  });
}
