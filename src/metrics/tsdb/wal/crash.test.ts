// Run as a test, this file starts itself as a child process that logs records in a loop and
// prints each record's number once log() has returned, then kills it with SIGKILL at a random
// moment and checks that every acknowledged record survived.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WalCorruptionError } from './errors.js';
import { PAGE_SIZE } from './layout.js';
import { WalReader } from './reader.js';
import { repair } from './repair.js';
import { Wal } from './wal.js';
import { rng } from '../../../../test/harness/temp.js';

const CHILD_DIR = 'VIGIL_WAL_CRASH_DIR';
const CHILD_START = 'VIGIL_WAL_CRASH_START';
/** Small segments, so that kills also land around segment rotation. */
const SEGMENT_SIZE = 3 * PAGE_SIZE;

/** Record `seq`, the same in child and parent: mostly small, every 97th multi-page. */
function crashRecord(seq: number): Uint8Array {
  const rand = rng(seq + 1);
  const size = seq % 97 === 0 ? 40_000 : 4 + ((rand() * 600) | 0);
  const rec = new Uint8Array(size);
  for (let i = 4; i < size; i++) rec[i] = (rand() * 256) | 0;
  new DataView(rec.buffer).setUint32(0, seq);
  return rec;
}

async function runChild(dir: string, start: number): Promise<void> {
  const wal = Wal.open(dir, { segmentSize: SEGMENT_SIZE });
  for (let seq = start; seq < start + 1_000_000; seq++) {
    wal.log(crashRecord(seq));
    // Pipes are written synchronously on Linux: the parent sees this only after log() returned.
    process.stdout.write(`${seq}\n`);
    if (seq % 256 === 0) await wal.sync();
  }
}

function readUntilError(dir: string): { recs: Uint8Array[]; err: unknown } {
  const reader = WalReader.open(dir);
  const recs: Uint8Array[] = [];
  try {
    for (const rec of reader) recs.push(rec.slice());
    return { recs, err: null };
  } catch (err) {
    return { recs, err };
  } finally {
    reader.close();
  }
}

/** Starts the child and SIGKILLs it once it has acknowledged `target` records; returns the last. */
function crashAfter(dir: string, start: number, target: number): Promise<number> {
  const env: NodeJS.ProcessEnv = { ...process.env, [CHILD_DIR]: dir, [CHILD_START]: String(start) };
  // Under `node --test` the child would otherwise report as a test file on its stdout.
  delete env.NODE_TEST_CONTEXT;
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let acked = start - 1;
  let partial = '';
  return new Promise((resolve, reject) => {
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop()!;
      if (lines.length > 0) acked = Number(lines.at(-1));
      if (acked >= start + target) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(acked);
      else reject(new Error(`crash child exited with ${code} before it was killed`));
    });
  });
}

if (process.env[CHILD_DIR]) {
  await runChild(process.env[CHILD_DIR]!, Number(process.env[CHILD_START]));
} else {
  test('kill -9 while logging loses no acknowledged record, 10 times over', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-wal-crash-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const rand = rng(42);
    let start = 0;
    let repairs = 0;
    for (let round = 0; round < 10; round++) {
      const acked = await crashAfter(dir, start, 20 + Math.floor(rand() * 1500));
      let { recs, err } = readUntilError(dir);
      if (err !== null) {
        assert.ok(err instanceof WalCorruptionError, String(err));
        repair(dir, err);
        repairs++;
        ({ recs, err } = readUntilError(dir));
        assert.equal(err, null);
      }
      assert.ok(recs.length > acked, `round ${round}: acknowledged ${acked}, found ${recs.length}`);
      for (let seq = 0; seq < recs.length; seq++) {
        assert.deepEqual(recs[seq], crashRecord(seq), `round ${round}: record ${seq}`);
      }
      start = recs.length;
    }
    t.diagnostic(`${start} records over 10 crashes, ${repairs} torn tails repaired`);
  });
}
