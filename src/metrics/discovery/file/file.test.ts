import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '../../../lib/log/logger.js';
import type { TargetGroup } from '../interface.js';
import { FileDiscoverer } from './file.js';
import { fileSDMetrics } from './metrics.js';

/** Runs a discoverer over a temp dir and keeps the groups it reported, as a consumer would. */
async function harness(t: { after: (fn: () => Promise<void>) => void }, refreshInterval = 60_000) {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-file-sd-'));
  const logs: string[] = [];
  const log = new Logger({ write: (l) => logs.push(l) });
  const metrics = fileSDMetrics();
  const groups = new Map<string, TargetGroup>();
  let updates = 0;
  let wake: (() => void) | undefined;
  const controller = new AbortController();
  const start = (patterns: string[]) =>
    new FileDiscoverer({
      files: patterns.map((p) => join(dir, p)),
      refreshInterval,
      log,
      metrics,
    }).run((gs) => {
      updates++;
      for (const g of gs) {
        if (g.targets.length === 0) groups.delete(g.source);
        else groups.set(g.source, g);
      }
      wake?.();
    }, controller.signal);
  let done: Promise<void> | undefined;
  t.after(async () => {
    controller.abort();
    await done;
    await rm(dir, { recursive: true, force: true });
  });
  /** Addresses per source, sources relative to the temp dir. */
  const view = () =>
    Object.fromEntries(
      [...groups].map(([s, g]) => [s.slice(dir.length + 1), g.targets.map((x) => x.__address__)]),
    );
  return {
    dir,
    logs,
    metrics,
    groups,
    view,
    updates: () => updates,
    run(patterns: string[]) {
      done = start(patterns);
    },
    async until(want: Record<string, string[]>, timeoutMs = 20_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (JSON.stringify(view()) !== JSON.stringify(want)) {
        const left = deadline - Date.now();
        if (left <= 0) assert.deepEqual(view(), want, 'timed out waiting for the groups');
        await new Promise<void>((r) => {
          wake = r;
          setTimeout(r, Math.min(left, 500));
        });
      }
    },
  };
}

const yml = (...targets: string[]) => `- targets: [${targets.join(', ')}]\n  labels: {env: t}\n`;

test('reads matching files at start, with labels and __meta_filepath', async (t) => {
  const h = await harness(t);
  await writeFile(join(h.dir, 'a.yml'), yml('a:1', 'a:2') + yml('a:3'));
  await writeFile(join(h.dir, 'b.json'), JSON.stringify([{ targets: ['b:1'] }]));
  await writeFile(join(h.dir, 'c.txt'), yml('c:1'));
  await writeFile(join(h.dir, 'other.json'), JSON.stringify([{ targets: ['o:1'] }]));
  h.run(['*.yml', 'b.json']);
  await h.until({ 'a.yml:0': ['a:1', 'a:2'], 'a.yml:1': ['a:3'], 'b.json:0': ['b:1'] });
  const g = h.groups.get(join(h.dir, 'a.yml:0'))!;
  assert.deepEqual(g.labels, { env: 't', __meta_filepath: join(h.dir, 'a.yml') });
});

test('no files: the first report is empty, and later files are picked up', async (t) => {
  const h = await harness(t);
  h.run(['*.yml']);
  while (h.updates() === 0) await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(h.view(), {});
  await writeFile(join(h.dir, 'new.yml'), yml('n:1'));
  await h.until({ 'new.yml:0': ['n:1'] });
});

test('writes, renames into place, shrinking and deletes are followed', async (t) => {
  const h = await harness(t);
  await writeFile(join(h.dir, 'a.yml'), yml('a:1') + yml('a:2'));
  h.run(['*.yml']);
  await h.until({ 'a.yml:0': ['a:1'], 'a.yml:1': ['a:2'] });

  await writeFile(join(h.dir, 'a.yml'), yml('a:9'));
  await h.until({ 'a.yml:0': ['a:9'] });

  // The safe way to replace a file: write elsewhere, then rename over it.
  await writeFile(join(h.dir, '.a.yml.tmp'), yml('a:7', 'a:8'));
  await rename(join(h.dir, '.a.yml.tmp'), join(h.dir, 'a.yml'));
  await h.until({ 'a.yml:0': ['a:7', 'a:8'] });

  await writeFile(join(h.dir, '.b.tmp'), yml('b:1'));
  await rename(join(h.dir, '.b.tmp'), join(h.dir, 'b.yml'));
  await h.until({ 'a.yml:0': ['a:7', 'a:8'], 'b.yml:0': ['b:1'] });

  await unlink(join(h.dir, 'a.yml'));
  await h.until({ 'b.yml:0': ['b:1'] });
});

test('a broken file keeps its groups, is logged with its position and counted', async (t) => {
  const h = await harness(t);
  await writeFile(join(h.dir, 'a.yml'), yml('a:1'));
  await writeFile(join(h.dir, 'b.yml'), yml('b:1'));
  h.run(['*.yml']);
  await h.until({ 'a.yml:0': ['a:1'], 'b.yml:0': ['b:1'] });

  await writeFile(join(h.dir, 'a.yml'), '- targets: [a:1\n');
  await writeFile(join(h.dir, 'b.yml'), yml('b:2'));
  await h.until({ 'a.yml:0': ['a:1'], 'b.yml:0': ['b:2'] });
  while (!h.logs.some((l) => l.includes('a.yml'))) await new Promise((r) => setTimeout(r, 20));
  const line = h.logs.find((l) => l.includes('cannot read target groups'))!;
  assert.match(line, /level=error/);
  assert.ok(line.includes(`${join(h.dir, 'a.yml')}:2:1: cannot parse YAML`), line);
  assert.ok(h.metrics.readErrors.labels().value >= 1);

  await writeFile(join(h.dir, 'a.yml'), yml('a:5'));
  await h.until({ 'a.yml:0': ['a:5'], 'b.yml:0': ['b:2'] });
});

test('a directory that appears later is found by the periodic refresh', async (t) => {
  const h = await harness(t, 200);
  h.run(['later/*.json']);
  while (h.updates() === 0) await new Promise((r) => setTimeout(r, 10));
  await mkdir(join(h.dir, 'later'));
  await writeFile(join(h.dir, 'later', 'x.json'), JSON.stringify([{ targets: ['x:1'] }]));
  await h.until({ 'later/x.json:0': ['x:1'] });
  // Watched from then on, and its removal removes its groups.
  await rm(join(h.dir, 'later'), { recursive: true });
  await h.until({});
});

test('an unchanged file is not reported again', async (t) => {
  const h = await harness(t, 100);
  await writeFile(join(h.dir, 'a.yml'), yml('a:1'));
  h.run(['a.yml']);
  await h.until({ 'a.yml:0': ['a:1'] });
  const before = h.updates();
  await new Promise((r) => setTimeout(r, 400));
  assert.equal(h.updates(), before);
});
