/**
 * Differential test against Prometheus' own OpenMetrics parser: a valid body is mutated at random
 * (deterministically) and each variant goes through `promtool tsdb create-blocks-from
 * openmetrics` and through ours; both must accept it or both refuse it. Two known differences
 * are set aside: the family rules only we check (see families.ts), and the trailing comma in a
 * label set, which Prometheus 3 accepts and the promtool Debian ships (2.42) does not yet.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { failure } from './parser.contract.js';

const PROMTOOL = '/usr/bin/promtool';
const skip = !existsSync(PROMTOOL) && !process.env.CI ? 'promtool not installed' : false;
const VARIANTS = 80;

/** Every sample has a timestamp: promtool refuses samples without one. */
const BASE = [
  '# TYPE foo counter',
  '# HELP foo Some help \\"x\\" \\\\ \\n.',
  'foo_total{a="1",b="x\\"y"} 1.5 1000',
  'foo_created{a="1",b="x\\"y"} 1e3 1000.5',
  '# TYPE h_seconds histogram',
  '# UNIT h_seconds seconds',
  'h_seconds_bucket{le="0.1"} 1 1000 # {trace_id="abc"} 0.05 999.5',
  'h_seconds_bucket{le="+Inf"} 2 1000 # {} 1',
  'h_seconds_count 2 1000',
  'h_seconds_sum -Inf 1000',
  'g{x=""} NaN 1000',
  '# EOF',
  '',
].join('\n');

/** Characters the mutations insert: the format's punctuation and a few of every other kind. */
const ALPHABET = ' \t\n#{}",=\\_a1.e+-xNI';

function variants(): string[] {
  let seed = 1;
  const rand = (n: number) => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n;
  const out = [BASE];
  while (out.length < VARIANTS) {
    let b = BASE;
    for (let edits = 1 + rand(2); edits > 0; edits--) {
      const p = rand(b.length);
      const c = ALPHABET[rand(ALPHABET.length)]!;
      const op = rand(3);
      b =
        op === 0
          ? b.slice(0, p) + b.slice(p + 1)
          : op === 1
            ? b.slice(0, p) + c + b.slice(p)
            : b.slice(0, p) + c + b.slice(p + 1);
    }
    out.push(b);
  }
  return out;
}

/**
 * Whether promtool reads `body` whole, or null when it cannot tell: it stops at the first sample
 * without a timestamp, which is valid OpenMetrics it merely cannot import.
 */
function promtoolAccepts(dir: string, body: string): boolean | null {
  writeFileSync(join(dir, 'in.om'), body);
  rmSync(join(dir, 'out'), { recursive: true, force: true });
  const r = spawnSync(
    PROMTOOL,
    ['tsdb', 'create-blocks-from', 'openmetrics', '-q', join(dir, 'in.om'), join(dir, 'out')],
    { encoding: 'utf8' },
  );
  if (r.status === 0) return true;
  if (/getting min and max timestamp: next:/.test(r.stderr)) return false;
  return /expected timestamp for series/.test(r.stderr) ? null : true;
}

test('OpenMetrics acceptance matches promtool on mutated bodies', { skip }, (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-promtool-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  let compared = 0;
  for (const body of variants()) {
    const ours = failure('openmetrics', body);
    if (
      /interleaved|does not fit|clashes|second #|after its samples|cannot have a unit/.test(ours)
    ) {
      continue;
    }
    if (ours === 'no error' && /,}/.test(body)) continue;
    const theirs = promtoolAccepts(dir, body);
    if (theirs === null) continue;
    assert.equal(ours === 'no error', theirs, `${JSON.stringify(body)}: ${ours}`);
    compared++;
  }
  assert.ok(compared > VARIANTS / 2, `only ${compared} bodies compared`);
});
