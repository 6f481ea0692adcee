import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Matcher } from '../model/matcher.js';
import { Tsdb } from './db.js';

const WRITER = fileURLToPath(new URL('testdata/crash-writer.ts', import.meta.url));
const SERIES = 20;
const RUNS = 20;

/** Runs the writer until it has acknowledged `acks` more batches, then SIGKILLs it. */
function runAndKill(dir: string, acks: number, sync: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dir, String(SERIES), sync], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let last = 0;
    let seen = 0;
    let buf = '';
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdout.on('data', (c: Buffer) => {
      buf += c.toString();
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        last = Number(buf.slice(4, nl));
        buf = buf.slice(nl + 1);
        if (++seen === acks) child.kill('SIGKILL');
      }
    });
    child.on('exit', (code, signal) =>
      signal === 'SIGKILL' ? resolve(last) : reject(new Error(`writer exited ${code}: ${stderr}`)),
    );
  });
}

test(`every acknowledged sample survives kill -9 (${RUNS} kills at varying points)`, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-crash-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  let acked = 0;
  for (let run = 0; run < RUNS; run++) {
    // Vary how far each run gets: 1..120 batches, so kills fall before, during and after block
    // cuts (every 40 batches) and WAL segment rotations.
    const acks = 1 + ((run * 37 + Math.floor(Math.random() * 17)) % 120);
    const last = await runAndKill(dir, acks, run % 4 === 3 ? 'fsync' : 'write');
    assert.ok(last > acked, `run ${run} acknowledged nothing new`);
    acked = last;
    const db = Tsdb.open(dir, { blockDuration: 60_000 });
    const set = db
      .querier(0, Number.MAX_SAFE_INTEGER)
      .select([new Matcher('=', '__name__', 'crash')]);
    let series = 0;
    while (set.next()) {
      const i = Number(set.at().labels.get('i'));
      const it = set.at().iterator();
      // Every acknowledged batch k (1..acked) is there with its exact value; a batch written
      // but not yet acknowledged when the kill came may be there too.
      for (let k = 1; k <= acked; k++) {
        assert.ok(it.next(), `run ${run}: series ${i} is missing batch ${k} of ${acked}`);
        assert.equal(it.atT(), k * 1000);
        assert.equal(it.atV(), k * 10 + i);
      }
      series++;
    }
    assert.equal(series, SERIES);
    await db.close();
  }
});
