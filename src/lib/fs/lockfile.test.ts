import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { LockHeldError, lockDirectory } from './lockfile.js';

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-lock-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('lock is exclusive while its owner lives', async (t) => {
  const dir = tempDir(t);
  // A live foreign owner: a sleeping child process whose pid we write into the lock file.
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
  t.after(() => child.kill('SIGKILL'));
  const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
  const startTicks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
  writeFileSync(join(dir, 'lock'), JSON.stringify({ pid: child.pid, startTicks }));
  assert.throws(
    () => lockDirectory(dir),
    (err: unknown) => err instanceof LockHeldError && err.pid === child.pid,
  );
});

test('a stale lock (dead owner or reused pid) is taken over and released', (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'lock'), JSON.stringify({ pid: 2 ** 22 + 1, startTicks: 1 }));
  const lock = lockDirectory(dir);
  assert.equal(JSON.parse(readFileSync(lock.path, 'utf8')).pid, process.pid);
  lock.release();
  lock.release();
  assert.equal(existsSync(lock.path), false);

  // pid 1 exists but started at another time than recorded: not the owner.
  writeFileSync(join(dir, 'lock'), JSON.stringify({ pid: 1, startTicks: -5 }));
  lockDirectory(dir).release();
});

test('a garbage lock file is treated as stale', (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'lock'), 'not json');
  lockDirectory(dir).release();
});
