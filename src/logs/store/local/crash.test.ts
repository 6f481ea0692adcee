import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../../../../test/harness/temp.js';
import { openLocalStore } from './store.js';

const WRITER = fileURLToPath(new URL('testdata/crash-writer.ts', import.meta.url));
const RUNS = 20;

/** Runs the writer until it has acknowledged `acks` batches, then SIGKILLs it; returns the acknowledged keys. */
function runAndKill(dir: string, run: number, acks: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dir, String(run)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keys: string[] = [];
    let seen = 0;
    let buf = '';
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdout.on('data', (c: Buffer) => {
      buf += c.toString();
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        if (seen < acks) keys.push(...buf.slice(4, nl).split(','));
        buf = buf.slice(nl + 1);
        if (++seen === acks) child.kill('SIGKILL');
      }
    });
    child.on('exit', (code, signal) =>
      signal === 'SIGKILL' ? resolve(keys) : reject(new Error(`writer exited ${code}: ${stderr}`)),
    );
  });
}

test(`every acknowledged document survives kill -9, none twice (${RUNS} kills)`, async (t) => {
  const dir = tempDir(t, 'vigil-logcrash-');
  const acked = new Set<string>();
  for (let run = 0; run < RUNS; run++) {
    // 1..40 batches of 20: kills land before, during and after flushes (every 15 batches).
    const acks = 1 + ((run * 13 + Math.floor(Math.random() * 11)) % 40);
    for (const k of await runAndKill(dir, run, acks)) acked.add(k);
    const store = await openLocalStore(dir, { inlineJobs: true });
    const seen = new Map<string, number>();
    await store.search({ indices: ['crash-*'], query: { kind: 'all' }, order: 'none' }, (b) => {
      for (let i = 0; i < b.length; i++) {
        const k = b.values(i, 'k')[0] as string;
        seen.set(k, (seen.get(k) ?? 0) + 1);
      }
    });
    for (const k of acked) assert.ok(seen.has(k), `run ${run}: acknowledged ${k} is missing`);
    for (const [k, n] of seen) assert.equal(n, 1, `run ${run}: ${k} stored ${n} times`);
    await store.close();
  }
});
